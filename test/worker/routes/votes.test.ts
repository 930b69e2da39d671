import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signDuelToken } from "../../../worker/http/tokens.js";
import { Client, eventually, flushRater } from "../client.js";

const json = { "content-type": "application/json" };

describe("POST /api/votes", () => {
  it("stores the vote and reveals who wrote each passage", async () => {
    const client = new Client();
    const duel = await client.duel();
    const { status, body } = await client.vote({ token: duel.token, choice: "a", readMs: 12000, reasons: ["voice"] });
    expect(status).toBe(201);
    expect(body.duplicate).toBe(false);
    const snapshot = await env.CORPUS.getByName("main").snapshot();
    const contenderOf = (passage: string) => snapshot.passages.find((p) => p.id === passage)!.contender;
    expect(body.reveal.a.contender).toBe(contenderOf(duel.a.passageId));
    expect(body.reveal.b.contender).toBe(contenderOf(duel.b.passageId));
    const c = snapshot.contenders.find((x) => x.id === body.reveal.a.contender)!;
    expect(body.reveal.a).toEqual({ contender: c.id, model: c.model, persona: c.persona });
    const profile = await env.RATER.getByName(client.rater).profile();
    expect(profile.votes).toBe(1);
  });

  it("counts the same token once, however often it is sent", async () => {
    const client = new Client();
    const duel = await client.duel();
    const first = await client.vote({ token: duel.token, choice: "b" });
    const again = await client.vote({ token: duel.token, choice: "b" });
    const changed = await client.vote({ token: duel.token, choice: "a" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect(again.body.voteId).toBe(first.body.voteId);
    expect(changed.body.voteId).toBe(first.body.voteId);
    expect(changed.body.choice).toBe("b");
    await flushRater(client.rater);
    await flushRater(client.rater);
    expect(await env.RATER.getByName(client.rater).profile()).toMatchObject({ votes: 1 });
    expect(await env.RATER.getByName(client.rater).pendingVotes()).toBe(0);
    expect(await env.ARENA.getByName("global").voteCount()).toBeGreaterThanOrEqual(1);
  });

  it("hands new votes to the Arena at once, and the outbox's later check adds nothing", async () => {
    const arena = env.ARENA.getByName("global");
    const logged = (ids: string[]) =>
      runInDurableObject(arena, (_: unknown, state: DurableObjectState) =>
        state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM votes WHERE id IN (${ids.map(() => "?").join(", ")})`, ...ids).one().n,
      );
    const clients = [new Client(), new Client(), new Client()];
    const ids: string[] = [];
    for (const client of clients) {
      const duel = await client.duel();
      const { status, body } = await client.vote({ token: duel.token, choice: "a" });
      expect(status).toBe(201);
      ids.push(body.voteId);
    }
    // No rater alarm has run: the votes travel by the Worker's batched fast path.
    expect(await eventually(() => logged(ids), (n) => n === 3)).toBe(3);
    const total = await arena.voteCount();
    for (const client of clients) {
      expect(await env.RATER.getByName(client.rater).pendingVotes()).toBe(1);
      await flushRater(client.rater);
      expect(await env.RATER.getByName(client.rater).pendingVotes()).toBe(0);
    }
    expect(await arena.voteCount()).toBe(total);
  });

  it("counts concurrent retries of one vote once", async () => {
    const client = new Client();
    const duel = await client.duel();
    const results = await Promise.all(Array.from({ length: 5 }, () => client.vote({ token: duel.token, choice: "tie" })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.voteId)).size).toBe(1);
    expect((await env.RATER.getByName(client.rater).profile()).votes).toBe(1);
  });

  it("refuses a forged token", async () => {
    const client = new Client();
    const duel = await client.duel();
    const [payload, signature] = duel.token.split(".");
    const flipped = signature!.slice(0, -2) + (signature!.endsWith("AA") ? "BB" : "AA");
    const forged = await client.vote({ token: `${payload}.${flipped}`, choice: "a" });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe("bad_token");
    const garbage = await client.vote({ token: "not-a-token-at-all", choice: "a" });
    expect(garbage.status).toBe(403);
    expect((await env.RATER.getByName(client.rater).profile()).votes).toBe(0);
  });

  it("refuses another rater's token", async () => {
    const alice = new Client();
    const mallory = new Client();
    const duel = await alice.duel();
    await mallory.duel();
    const stolen = await mallory.vote({ token: duel.token, choice: "a" });
    expect(stolen.status).toBe(403);
    expect(stolen.body.error.code).toBe("foreign_token");
    expect((await env.RATER.getByName(alice.rater).profile()).votes).toBe(0);
    expect((await env.RATER.getByName(mallory.rater).profile()).votes).toBe(0);
  });

  it("refuses a validly signed token for a duel that was never served", async () => {
    const client = new Client();
    const duel = await client.duel();
    const token = await signDuelToken(env.SIGNING_SECRET!, { r: client.rater, d: "d-neverserved", a: duel.a.passageId, b: duel.b.passageId, t: Date.now() });
    const { status, body } = await client.vote({ token, choice: "a" });
    expect(status).toBe(404);
    expect(body.error.code).toBe("unknown_duel");
    const swapped = await signDuelToken(env.SIGNING_SECRET!, { r: client.rater, d: duel.duelId, a: duel.b.passageId, b: duel.a.passageId, t: Date.now() });
    expect((await client.vote({ token: swapped, choice: "a" })).status).toBe(404);
  });

  it("refuses an expired token", async () => {
    const client = new Client();
    const duel = await client.duel();
    const token = await signDuelToken(env.SIGNING_SECRET!, { r: client.rater, d: duel.duelId, a: duel.a.passageId, b: duel.b.passageId, t: Date.now() - 2 * 86_400_000 });
    const { status, body } = await client.vote({ token, choice: "a" });
    expect(status).toBe(410);
    expect(body.error.code).toBe("expired_token");
  });

  it("answers bad input with a clear 4xx and counts nothing", async () => {
    const client = new Client();
    const duel = await client.duel();
    const post = (body: BodyInit, headers: Record<string, string> = json) => client.json("/api/votes", { method: "POST", headers, body });
    const cases: [Promise<{ status: number; body: any }>, number, string][] = [
      [post("{not json"), 400, "bad_json"],
      [post(JSON.stringify({ token: duel.token, choice: "left" })), 400, "invalid"],
      [post(JSON.stringify({ token: duel.token })), 400, "invalid"],
      [post(JSON.stringify({ token: duel.token, choice: "a", readMs: -5 })), 400, "invalid"],
      [post(JSON.stringify({ token: duel.token, choice: "a", reasons: ["<b>"] })), 400, "invalid"],
      [post(JSON.stringify({ token: duel.token, choice: "a", extra: 1 })), 400, "invalid"],
      [post(JSON.stringify([1, 2])), 400, "invalid"],
      [post(JSON.stringify({ token: duel.token, choice: "a" }), { "content-type": "text/plain" }), 415, "unsupported_media_type"],
      [post(JSON.stringify({ token: duel.token, choice: "a", pad: "x".repeat(20_000) })), 413, "too_large"],
    ];
    for (const [request, status, code] of cases) {
      const { status: got, body } = await request;
      expect({ got, code: body.error?.code }).toEqual({ got: status, code });
      expect(typeof body.error.message).toBe("string");
    }
    expect((await env.RATER.getByName(client.rater).profile()).votes).toBe(0);
  });

  it("moves the rater's personal board toward their choice at once", async () => {
    const client = new Client();
    const duel = await client.duel();
    const { body } = await client.vote({ token: duel.token, choice: "a" });
    const me = await client.json("/api/me");
    expect(me.body.votes).toBe(1);
    const row = (id: string) => me.body.rows.find((r: { contender: string }) => r.contender === id);
    expect(row(body.reveal.a.contender).rating).toBeGreaterThan(row(body.reveal.b.contender).rating);
    expect(row(body.reveal.a.contender).votes).toBe(1);
  });
});
