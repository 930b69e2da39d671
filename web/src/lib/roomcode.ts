// Room join codes and display names: tidies what a person types and checks it as the server's schema does.

/** The join-code alphabet of schema/room.ts: letters and digits without look-alikes (no 0/O, 1/I/L). */
export const ROOM_CODE_RE = /^[A-HJKMNP-Z2-9]{6}$/;

const NAME_KEY = "palate.roomName";
const NAME_BAD = /[<>&"`\p{Cc}]/u;

/** Upper-cases a typed code and drops spaces and dashes ("k7m pq2" → "K7MPQ2"). */
export function normalizeCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]+/g, "");
}

/** True when the text is a well-formed join code (six characters from the code alphabet). */
export function isRoomCode(code: string): boolean {
  return ROOM_CODE_RE.test(code);
}

/** Explains what is wrong with a typed code, or null when it is well formed. */
export function codeProblem(code: string): string | null {
  if (code.length === 0) return "Type the room's code: six letters or digits, e.g. K7MPQ2.";
  if (/[01OIL]/.test(code)) return "Room codes never use 0, 1, O, I or L. Check the code on the host's screen.";
  if (code.length !== 6) return `A room code has 6 characters; this one has ${code.length}.`;
  if (!isRoomCode(code)) return "A room code uses letters A–Z (not I, L, O) and digits 2–9.";
  return null;
}

/** Explains what is wrong with a display name (1–32 characters, no markup), or null when it is fine or empty. */
export function nameProblem(raw: string): string | null {
  const name = raw.trim();
  if (name.length === 0) return null;
  if ([...name].length > 32) return "Names are at most 32 characters.";
  if (NAME_BAD.test(name)) return "Names cannot contain < > & \" ` or control characters.";
  return null;
}

/** The display name remembered on this device, or "" when there is none. */
export function savedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? "";
  } catch {
    return "";
  }
}

/** Remembers a display name on this device (an empty name forgets it). */
export function saveName(raw: string): void {
  const name = raw.trim();
  try {
    if (name) localStorage.setItem(NAME_KEY, name);
    else localStorage.removeItem(NAME_KEY);
  } catch {
    // storage may be unavailable (private mode); the name then lasts for this page only
  }
}

/** The join page's path for a code ("/rooms/join?code=K7MPQ2"). */
export function joinPath(code: string): string {
  return `/rooms/join?code=${encodeURIComponent(code)}`;
}

/** The host page's path for a code ("/rooms/host?code=K7MPQ2"). */
export function hostPath(code: string): string {
  return `/rooms/host?code=${encodeURIComponent(code)}`;
}
