// A room's WebSocket: connects, says hello, reads server messages and reconnects with backoff when the line drops.
import type { ClientMessage, RoomState } from "../../../schema/room.js";
import { ApiError } from "./api.js";
import { getRoom, socketUrl } from "./roomapi.js";

/** Where the connection stands, for the page's status line ("stopped": closed on purpose, nothing to report). */
export type Connection = "connecting" | "open" | "reconnecting" | "stopped";

/** Why a room can no longer be joined. */
export type Fatal = "not_found" | "expired";

/** What the socket reports to its owner. */
export interface SocketHandlers {
  state(state: RoomState): void;
  error(code: string, message: string): void;
  connection(status: Connection, retryInMs?: number): void;
  /** The room is gone; the socket has stopped for good. */
  fatal(code: Fatal, message: string): void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;
/** Every this often an open socket sends "ping" (the Room answers "pong" without waking); a silent line is dropped at the next beat. */
const HEARTBEAT_MS = 20_000;

/** Delay before reconnect attempt n (1-based): doubling from 0.5 s up to 15 s, with ±20% jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + random() * 0.4));
}

/** One player's line to a room; call start() once, stop() when leaving. */
export class RoomSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private checking = false;
  private heard = true;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly kick = () => this.wake();

  constructor(
    private readonly code: string,
    private name: string | undefined,
    private readonly on: SocketHandlers,
  ) {}

  /** Opens the socket and keeps it open until stop(). */
  start(): void {
    window.addEventListener("online", this.kick);
    document.addEventListener("visibilitychange", this.kick);
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.open();
  }

  /** Closes the socket for good (no more reconnects). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    window.removeEventListener("online", this.kick);
    document.removeEventListener("visibilitychange", this.kick);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, "bye");
    this.on.connection("stopped");
  }

  /** Sends a message now; false when the socket is not open (nothing is queued). */
  send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  private open(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.on.connection(this.attempt === 0 ? "connecting" : "reconnecting");
    let ws: WebSocket;
    try {
      ws = new WebSocket(socketUrl(this.code));
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.addEventListener("open", () => {
      if (this.ws !== ws) return;
      this.heard = true;
      // The server keys the seat on the rater cookie, so a hello after a reconnect finds the same seat and vote.
      this.send(this.name ? { type: "hello", name: this.name } : { type: "hello" });
      this.on.connection("open");
    });
    ws.addEventListener("message", (ev) => {
      if (this.ws === ws) this.receive(ev.data);
    });
    ws.addEventListener("close", () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.retry();
    });
  }

  private receive(data: unknown): void {
    this.heard = true;
    if (typeof data !== "string" || data === "pong") return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!msg || typeof msg !== "object") return;
    const m = msg as { type?: unknown; state?: unknown; code?: unknown; message?: unknown };
    if (m.type === "state" && m.state && typeof m.state === "object") {
      this.attempt = 0;
      this.on.state(m.state as RoomState);
    } else if (m.type === "error") {
      const code = typeof m.code === "string" ? m.code : "error";
      const message = typeof m.message === "string" && m.message ? m.message : "The room refused that.";
      this.on.error(code, message);
    }
  }

  /** Heartbeat: a socket that said nothing since the last ping is presumed dead (phones drop lines silently). */
  private beat(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (!this.heard) {
      this.ws = null;
      ws.close(4000, "no pong");
      this.retry();
      return;
    }
    this.heard = false;
    ws.send("ping");
  }

  private retry(): void {
    if (this.stopped) return;
    this.attempt++;
    const delay = backoffMs(this.attempt);
    this.on.connection("reconnecting", delay);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), delay);
  }

  /** Before reopening, asks over HTTP whether the room still exists: a gone room would fail the upgrade forever. */
  private async check(): Promise<void> {
    if (this.stopped || this.checking) return;
    this.checking = true;
    try {
      const info = await getRoom(this.code);
      if (info.phase === "expired") {
        this.fail("expired", "This room has expired: it sat idle for too long.");
        return;
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        this.fail("not_found", `There is no room ${this.code} (any more).`);
        return;
      }
      // Offline or a server hiccup: try the socket anyway, then back off again.
    } finally {
      this.checking = false;
    }
    this.open();
  }

  private fail(code: Fatal, message: string): void {
    this.stop();
    this.on.fatal(code, message);
  }

  /** Back online or back on screen: reconnect now instead of waiting out the backoff. */
  private wake(): void {
    if (this.stopped || this.ws || document.visibilityState === "hidden") return;
    clearTimeout(this.timer);
    void this.check();
  }
}
