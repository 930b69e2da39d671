/**
 * Echo: the benchmark's baseline for rooms, the same kind of object doing the least possible work
 * (hibernatable WebSockets, each message sent on to every socket). Routed only when the
 * `BENCH_ROUTES` var is "on".
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.js";

export class Echo extends DurableObject<Env> {
  async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async webSocketMessage(_ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(message);
      } catch {
        // gone
      }
    }
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
    } catch {
      // already closed
    }
  }
}
