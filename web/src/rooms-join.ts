// The join page (/rooms/join?code=): a code and an optional name, then the live room as a player.
import { ApiError, errorMessage } from "./lib/api.js";
import { byId, byTestId, showError } from "./lib/dom.js";
import { type MountedRoom, mountRoom } from "./lib/room.js";
import { getRoom } from "./lib/roomapi.js";
import { codeProblem, isRoomCode, nameProblem, normalizeCode, savedName, saveName } from "./lib/roomcode.js";

const JOINED_KEY = "palate.roomJoined";

const el = {
  head: byId("join-head"),
  form: byId<HTMLFormElement>("join-form"),
  code: byTestId<HTMLInputElement>("room-code"),
  name: byTestId<HTMLInputElement>("room-name"),
  join: byTestId<HTMLButtonElement>("room-join"),
  status: byId("status"),
  error: byTestId("room-error"),
  joined: byId("joined"),
  joinedCode: byId("joined-code"),
  joinedAs: byId("joined-as"),
  leave: byId<HTMLButtonElement>("leave"),
  room: byId("room"),
};

let mounted: MountedRoom | null = null;

function rememberJoined(code: string | null): void {
  try {
    if (code) sessionStorage.setItem(JOINED_KEY, code);
    else sessionStorage.removeItem(JOINED_KEY);
  } catch {
    // without storage a refresh asks to join again
  }
}

function joinedBefore(): string | null {
  try {
    return sessionStorage.getItem(JOINED_KEY);
  } catch {
    return null;
  }
}

function setCodeInUrl(code: string): void {
  const url = new URL(location.href);
  url.searchParams.set("code", code);
  history.replaceState(null, "", url);
}

function showForm(): void {
  el.form.hidden = false;
  el.head.hidden = false;
  el.joined.hidden = true;
  el.join.disabled = false;
  el.status.textContent = "";
}

/** Checks the room over HTTP, then swaps the form for the live room. */
async function join(): Promise<void> {
  showError(el.error, null);
  const code = normalizeCode(el.code.value);
  el.code.value = code;
  const problem = codeProblem(code);
  if (problem) {
    showError(el.error, problem);
    el.code.setAttribute("aria-invalid", "true");
    el.code.focus();
    return;
  }
  el.code.removeAttribute("aria-invalid");
  const nameIssue = nameProblem(el.name.value);
  if (nameIssue) {
    showError(el.error, nameIssue);
    el.name.setAttribute("aria-invalid", "true");
    el.name.focus();
    return;
  }
  el.name.removeAttribute("aria-invalid");
  const name = el.name.value.trim();
  saveName(name);
  el.join.disabled = true;
  el.status.textContent = "Looking for the room…";
  try {
    const info = await getRoom(code);
    if (info.phase === "expired") throw new ApiError("expired", `Room ${code} has expired: it sat idle for too long.`, 410);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.code === "expired")) {
      showError(el.error, e.status === 404 ? `There is no room ${code}. Check the code on the host's screen.` : e.message);
      el.code.focus();
      showForm();
      return;
    }
    if (!(e instanceof ApiError) || e.code !== "network") {
      showError(el.error, errorMessage(e));
      showForm();
      return;
    }
    // Offline: join anyway, the socket keeps trying.
  }
  setCodeInUrl(code);
  rememberJoined(code);
  document.title = `Palate · room ${code}`;
  el.form.hidden = true;
  el.head.hidden = true;
  el.joinedCode.textContent = code;
  el.joinedAs.textContent = name ? ` · playing as ${name}` : "";
  el.joined.hidden = false;
  mounted?.stop();
  el.room.replaceChildren();
  mounted = mountRoom({
    code,
    name: name || undefined,
    root: el.room,
    error: el.error,
    onFatal: () => {
      rememberJoined(null);
      el.leave.textContent = "Join another room";
    },
  });
}

function leave(): void {
  mounted?.stop();
  mounted = null;
  el.room.replaceChildren();
  rememberJoined(null);
  el.leave.textContent = "Leave";
  showError(el.error, null);
  showForm();
  el.code.focus();
}

function init(): void {
  const fromUrl = normalizeCode(new URLSearchParams(location.search).get("code") ?? "");
  el.code.value = fromUrl;
  el.name.value = savedName();
  el.code.addEventListener("input", () => {
    const at = el.code.selectionStart;
    el.code.value = el.code.value.toUpperCase();
    if (at !== null) el.code.setSelectionRange(at, at);
    el.code.removeAttribute("aria-invalid");
  });
  el.form.addEventListener("submit", (e) => {
    e.preventDefault();
    void join();
  });
  el.leave.addEventListener("click", leave);
  if (isRoomCode(fromUrl) && joinedBefore() === fromUrl) {
    // A refresh during a room: go straight back in (the server keeps the seat and vote).
    void join();
  } else if (isRoomCode(fromUrl)) {
    (el.name.value ? el.join : el.name).focus();
  } else {
    el.code.focus();
  }
}

init();
