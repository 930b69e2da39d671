// HTTP side of live rooms: create one, look one up, its QR code, and the creation answer kept for the host page.
import type { CreateRoom, RoomCode, RoomCreated, RoomPhase } from "../../../schema/room.js";
import { api } from "./api.js";

/** What GET /api/rooms/{code} answers. */
export interface RoomInfo {
  code: RoomCode;
  phase: RoomPhase;
  players: number;
}

/** The body of POST /api/rooms as the form fills it (the server applies the defaults). */
export type CreateRoomBody = Partial<CreateRoom>;

const CREATED_KEY = "palate.roomCreated.";

/** POST /api/rooms: creates a room whose host is the caller's rater. */
export function createRoom(body: CreateRoomBody): Promise<RoomCreated> {
  return api<RoomCreated>("/api/rooms", { method: "POST", body: JSON.stringify(body) });
}

/** GET /api/rooms/{code}: the room's phase and head count (ApiError with status 404 when there is none). */
export function getRoom(code: string, signal?: AbortSignal): Promise<RoomInfo> {
  return api<RoomInfo>(`/api/rooms/${encodeURIComponent(code)}`, { signal });
}

/** The URL of the room's QR code image (an SVG of the join link). */
export function qrSrc(code: string): string {
  return `/api/rooms/${encodeURIComponent(code)}/qr.svg`;
}

/** The same-origin WebSocket URL of a room. */
export function socketUrl(code: string, loc: Location = location): string {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${loc.host}/api/rooms/${encodeURIComponent(code)}/ws`;
}

/** Keeps the creation answer for this tab, so the host page has the join link after navigating. */
export function rememberCreated(created: RoomCreated): void {
  try {
    sessionStorage.setItem(CREATED_KEY + created.code, JSON.stringify(created));
  } catch {
    // without storage the host page builds the join link itself
  }
}

/** The creation answer kept for a code in this tab, if any. */
export function recallCreated(code: string): RoomCreated | null {
  try {
    const raw = sessionStorage.getItem(CREATED_KEY + code);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<RoomCreated> | null;
    if (!v || v.code !== code || typeof v.joinUrl !== "string" || typeof v.hostUrl !== "string") return null;
    return { code, joinUrl: v.joinUrl, hostUrl: v.hostUrl, qrSvg: typeof v.qrSvg === "string" ? v.qrSvg : "" };
  } catch {
    return null;
  }
}

/** A same-origin path from a server URL (absolute or relative), or the fallback when it points elsewhere. */
export function sameOriginPath(url: string, fallback: string): string {
  try {
    const u = new URL(url, location.href);
    return u.origin === location.origin ? u.pathname + u.search + u.hash : fallback;
  } catch {
    return fallback;
  }
}
