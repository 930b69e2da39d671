/**
 * Echo: the benchmarks' baselines, the same kind of object doing the least possible work: for
 * rooms, hibernatable WebSockets that send each message on to every socket; for votes, one
 * durable row per call, or the same call with no write. Routed only when the `BENCH_ROUTES` var is "on".
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.js";

export class Echo extends DurableObject<Env> {
  private calls = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS touches (n INTEGER PRIMARY KEY, at INTEGER NOT NULL)");
  }

  /** One durable write, answered once stored: the least a vote can cost. */
  touch(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("INSERT INTO touches (at) VALUES (?) RETURNING n", Date.now()).one().n;
  }

  /** The same call with nothing written: the cost of reaching the object alone. */
  count(): number {
    return this.calls++;
  }

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
