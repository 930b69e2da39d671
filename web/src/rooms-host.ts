// The host page (/rooms/host?code=): the join code, link and QR for a shared screen, then the live room with the host's controls.
import type { RoomState } from "../../schema/room.js";
import { ApiError } from "./lib/api.js";
import { copyText } from "./lib/clipboard.js";
import { byId, byTestId, showError } from "./lib/dom.js";
import { mountRoom } from "./lib/room.js";
import { getRoom, qrSrc, recallCreated } from "./lib/roomapi.js";
import { codeProblem, joinPath, nameProblem, normalizeCode, savedName } from "./lib/roomcode.js";

const el = {
  panel: byId("join-panel"),
  code: byTestId("room-code"),
  link: byId<HTMLAnchorElement>("join-link"),
  copy: byId<HTMLButtonElement>("copy-link"),
  copyStatus: byId("copy-status"),
  qr: byTestId<HTMLImageElement>("room-qr"),
  error: byTestId("room-error"),
  notHost: byId("not-host"),
  startOver: byId("start-over"),
  room: byId("room"),
};

/** Fills the join panel: the big code, the link (its short form as text) and the QR image with a stored fallback. */
function showJoinPanel(code: string): void {
  const created = recallCreated(code);
  let joinUrl = new URL(joinPath(code), location.href).href;
  if (created?.joinUrl) {
    try {
      joinUrl = new URL(created.joinUrl, location.href).href;
    } catch {
      // keep the link built here
    }
  }
  const u = new URL(joinUrl);
  el.code.textContent = code;
  el.link.href = joinUrl;
  el.link.textContent = `${u.host}${u.pathname}`;
  el.qr.addEventListener("load", () => (el.qr.hidden = false));
  el.qr.addEventListener(
    "error",
    () => {
      // The QR route failed: fall back to the SVG the creation answer carried (as an image, so it runs nothing).
      if (created?.qrSvg && !el.qr.src.startsWith("data:")) el.qr.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(created.qrSvg)}`;
      else el.qr.hidden = true;
    },
  );
  el.qr.src = qrSrc(code);
  el.copy.addEventListener("click", () => {
    void copyText(joinUrl, el.link).then((ok) => {
      el.copyStatus.textContent = ok ? "Copied." : "Copy it from the address above.";
      setTimeout(() => (el.copyStatus.textContent = ""), 3000);
    });
  });
  el.panel.hidden = false;
}

function onState(s: RoomState): void {
  const over = s.phase === "ended" || s.phase === "expired";
  el.notHost.hidden = s.you.host || over;
  el.panel.hidden = over;
  // Once the duels start, the join panel shrinks to a strip so the passages get the screen; late joiners still see the code.
  el.panel.classList.toggle("compact", s.phase !== "lobby");
  el.startOver.hidden = !over;
}

function gone(message: string): void {
  el.panel.hidden = true;
  el.startOver.hidden = false;
  showError(el.error, message);
}

async function init(): Promise<void> {
  const code = normalizeCode(new URLSearchParams(location.search).get("code") ?? "");
  const problem = codeProblem(code);
  if (problem) {
    gone(code ? `“${code}” is not a room code. ${problem}` : "This page needs a room code in its address (?code=…).");
    return;
  }
  document.title = `Palate · room ${code}`;
  try {
    const info = await getRoom(code);
    if (info.phase === "expired") {
      gone(`Room ${code} has expired: it sat idle for too long.`);
      return;
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      gone(`There is no room ${code}. It may have expired.`);
      return;
    }
    // Anything else (offline, a hiccup): the socket retries on its own.
  }
  showJoinPanel(code);
  const name = savedName();
  mountRoom({
    code,
    name: name && !nameProblem(name) ? name.trim() : undefined,
    root: el.room,
    error: el.error,
    onState,
    onFatal: (_c, message) => gone(message),
  });
}

void init();
