// A live room on a page: the socket, the rendered view, votes with their reading time, host commands and the keyboard.
import type { Choice } from "../../../schema/api.js";
import type { RoomState } from "../../../schema/room.js";
import { isTypingTarget, showError } from "./dom.js";
import { type Fatal, RoomSocket } from "./roomsocket.js";
import { type Control, RoomView } from "./roomview.js";

/** What a page gives mountRoom. */
export interface RoomOptions {
  code: string;
  /** the display name sent in hello (the server picks one when absent) */
  name?: string;
  /** where the live view is appended */
  root: HTMLElement;
  /** the page's [data-testid="room-error"] region */
  error: HTMLElement;
  /** called after each state is rendered (the host page updates its join panel) */
  onState?(state: RoomState): void;
  /** called when the room is gone for good */
  onFatal?(code: Fatal, message: string): void;
}

/** A mounted room: stop() closes the socket. */
export interface MountedRoom {
  stop(): void;
}

const KEYS: Record<string, Choice> = { "1": "a", a: "a", "2": "b", b: "b", "3": "tie", t: "tie", "4": "both_bad", x: "both_bad" };
const HOST_KEYS: Record<string, Control> = { s: "start", r: "reveal", n: "next" };
const MAX_READ_MS = 86_400_000;
const ERROR_MS = 8000;
const PENDING_MS = 10_000;

/** Connects to a room and renders it into opts.root until stop(). */
export function mountRoom(opts: RoomOptions): MountedRoom {
  let state: RoomState | null = null;
  let shownKey = "";
  let shownAt = performance.now();
  let errorTimer: ReturnType<typeof setTimeout> | undefined;
  let pendingTimer: ReturnType<typeof setTimeout> | undefined;

  const flash = (message: string | null) => {
    clearTimeout(errorTimer);
    showError(opts.error, message);
    if (message) errorTimer = setTimeout(() => showError(opts.error, null), ERROR_MS);
  };

  const view = new RoomView({
    vote(choice) {
      if (!state || state.phase !== "voting" || !state.duel) return;
      const readMs = Math.min(MAX_READ_MS, Math.max(0, Math.round(performance.now() - shownAt)));
      if (socket.send({ type: "vote", choice, readMs })) {
        flash(null);
        view.setPending(choice);
        // Unconfirmed after a while (a lost message): unlock the buttons; the same vote again is harmless.
        clearTimeout(pendingTimer);
        pendingTimer = setTimeout(() => view.setPending(null), PENDING_MS);
      } else {
        flash("Not connected, so the vote was not sent. Reconnecting…");
      }
    },
    control(command) {
      if (!state?.you.host) return;
      if (socket.send({ type: command })) {
        flash(null);
        view.busyControls();
      } else {
        flash("Not connected, so the room did not get that. Reconnecting…");
      }
    },
  });
  opts.root.appendChild(view.root);

  const socket = new RoomSocket(opts.code, opts.name, {
    state(s) {
      // Reading time counts from when this duel first appeared on this page (kept across reconnects).
      const key = s.phase === "voting" && s.duel ? `${s.round}:${s.duel.prompt.id}` : "";
      if (key && key !== shownKey) {
        shownKey = key;
        shownAt = performance.now();
      }
      state = s;
      view.render(s);
      opts.onState?.(s);
      if (s.phase === "expired") {
        socket.stop();
        flash(null);
        showError(opts.error, "This room has expired: it sat idle for too long.");
      }
    },
    error(_code, message) {
      flash(message);
      view.setPending(null);
      if (state) view.render(state);
    },
    connection(status) {
      view.setConnection(status);
      // A vote in flight when the line dropped may or may not have arrived: the next state says which.
      if (status === "reconnecting") view.setPending(null);
    },
    fatal(code, message) {
      clearTimeout(errorTimer);
      showError(opts.error, message);
      // The server closes every socket when a room expires, before the last state can arrive: show it as expired.
      if (code === "expired" && state) {
        state = { ...state, phase: "expired", deadline: null, duel: null, reveal: null };
        view.render(state);
        opts.onState?.(state);
      }
      opts.onFatal?.(code, message);
    },
  });

  const ticker = setInterval(() => view.tick(Date.now()), 250);

  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || e.isComposing) return;
    if (isTypingTarget(e.target)) return;
    const k = e.key.toLowerCase();
    const choice = KEYS[k];
    if (choice && state?.phase === "voting") {
      e.preventDefault();
      view.vote(choice);
      return;
    }
    const cmd = HOST_KEYS[k];
    if (cmd && state?.you.host && view.canCommand(cmd)) {
      e.preventDefault();
      view.command(cmd);
    }
  };
  document.addEventListener("keydown", onKey);
  socket.start();

  return {
    stop() {
      clearInterval(ticker);
      clearTimeout(pendingTimer);
      document.removeEventListener("keydown", onKey);
      socket.stop();
    },
  };
}
