/** A WebSocket player for workerd tests: connects through the Worker, queues messages, waits for states. */
import { exports } from "cloudflare:workers";
import type { RoomState, ServerMessage } from "../../schema/room.js";
import { Client } from "./client.js";

export class Player {
  ws: WebSocket | null = null;
  readonly inbox: ServerMessage[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly client: Client = new Client()) {}

  /** Opens the room's socket with this player's cookie (a first contact gets one). */
  async connect(code: string): Promise<this> {
    if (!this.client.cookie) await this.client.fetch("/api/health");
    if (!this.client.cookie) await this.client.json("/api/me");
    const response = await exports.default.fetch(
      new Request(`http://palate.test/api/rooms/${code}/ws`, { headers: { Upgrade: "websocket", cookie: this.client.cookie! } }),
    );
    if (!response.webSocket) throw new Error(`no websocket: ${response.status} ${await response.text()}`);
    const ws = response.webSocket;
    ws.accept();
    ws.addEventListener("message", (e) => {
      // "pong" is the runtime's auto-response to "ping", outside the JSON protocol.
      if (e.data === "pong") return;
      this.inbox.push(JSON.parse(String(e.data)) as ServerMessage);
      for (const w of this.waiters.splice(0)) w();
    });
    this.ws = ws;
    return this;
  }

  send(message: unknown): void {
    this.ws!.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  close(): void {
    this.ws?.close(1000, "bye");
    this.ws = null;
  }

  /** Waits for a message matching `test` (looking at those already queued first), or fails after 5 s. */
  async next<T extends ServerMessage>(test: (m: ServerMessage) => m is T, what = "a message"): Promise<T> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const i = this.inbox.findIndex(test);
      if (i >= 0) return this.inbox.splice(0, i + 1).pop() as T;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; inbox: ${JSON.stringify(this.inbox.slice(-3))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** The next state that satisfies `test`. */
  async state(test: (s: RoomState) => boolean = () => true, what = "a state"): Promise<RoomState> {
    const m = await this.next((x): x is Extract<ServerMessage, { type: "state" }> => x.type === "state" && test(x.state), what);
    return m.state;
  }

  /** The next error message. */
  async error(): Promise<{ code: string; message: string }> {
    return this.next((x): x is Extract<ServerMessage, { type: "error" }> => x.type === "error", "an error");
  }
}

/** Creates a room hosted by `host`, answering its code. */
export async function createRoom(host: Client, body: Record<string, unknown> = { duels: 3 }): Promise<string> {
  const { status, body: created } = await host.json("/api/rooms", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (status !== 201) throw new Error(`create room: ${status} ${JSON.stringify(created)}`);
  return created.code;
}
