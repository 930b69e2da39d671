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
});
