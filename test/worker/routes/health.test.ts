import { describe, expect, it } from "vitest";
import { Client } from "../client.js";

describe("GET /api/health", () => {
  it("answers ok without a cookie", async () => {
    const client = new Client();
    const { status, body } = await client.json("/api/health");
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true });
    expect(client.cookie).toBeNull();
  });

  it("answers unknown API routes with a JSON 404", async () => {
    const { status, body } = await new Client().json("/api/nope");
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
  });

  it("answers a wrong method on a known route with a JSON 405 and Allow", async () => {
    const response = await new Client().fetch("/api/votes", { method: "PUT" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, GET");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });

  it("keeps the benchmarks' baselines closed unless BENCH_ROUTES is on", async () => {
    for (const path of ["/api/bench/write/x", "/api/bench/call/x"]) {
      const floor = await new Client().json(path, { method: "POST" });
      expect(floor.status).toBe(404);
      expect(floor.body.error.code).toBe("not_found");
    }
    const echo = await new Client().fetch("/api/bench/echo/x/ws", { headers: { Upgrade: "websocket" } });
    expect(echo.status).toBe(404);
  });
});
