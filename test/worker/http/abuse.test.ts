// Integrity and abuse, with rate limits and fast-vote flags on as deployed: every bad vote is
// refused with a clear 4xx and counted nowhere; floods get 429 with Retry-After; votes faster
// than the passages can be read are stored and exported but left out of fits.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signDuelToken } from "../../../worker/http/tokens.js";
import { ADMIN, Client, flushRater, refit } from "../client.js";

/** Re-signs a served duel's claims with changes: what a forger who knew the secret could do. */
async function resign(client: Client, duel: { duelId: string; a: { passageId: string }; b: { passageId: string } }, change: Record<string, unknown>) {
  return signDuelToken(env.SIGNING_SECRET!, { r: client.rater, d: duel.duelId, a: duel.a.passageId, b: duel.b.passageId, t: Date.now(), ...change });
}

describe("votes that must not count", () => {
  it("refuses forged, expired, foreign and mismatched tokens and a tampered cookie, counting none", async () => {
    const alice = new Client();
    const duel = await alice.duel();
    const [payload, sig] = duel.token.split(".");
    const bob = new Client();
    await bob.duel();
    const tampered = new Client();
    tampered.cookie = alice.cookie!.replace(/.$/, (ch) => (ch === "A" ? "B" : "A"));
    const other = await alice.duel();
    const attempts: [Client, string, number, string][] = [
      [alice, `${payload}.${sig!.replace(/^./, (ch) => (ch === "A" ? "B" : "A"))}`, 403, "bad_token"],
      [alice, `${payload}x.${sig}`, 403, "bad_token"],
      [alice, await resign(alice, duel, { t: Date.now() - 3 * 86_400_000 }), 410, "expired_token"],
      [bob, duel.token, 403, "foreign_token"],
      [tampered, duel.token, 403, "foreign_token"],
      [alice, await resign(alice, duel, { b: other.b.passageId }), 404, "unknown_duel"],
      [alice, await resign(alice, duel, { d: "d-made-up" }), 404, "unknown_duel"],
    ];
    for (const [client, token, status, code] of attempts) {
      const { status: got, body } = await client.vote({ token, choice: "a", readMs: 60_000 });
      expect({ got, code: body.error?.code }).toEqual({ got: status, code });
    }
    for (const c of [alice, bob]) expect((await env.RATER.getByName(c.rater).profile()).votes).toBe(0);
  });

  it("counts a replayed vote once", async () => {
    const client = new Client();
    const duel = await client.duel();
    const first = await client.vote({ token: duel.token, choice: "b" });
    const replay = await client.vote({ token: duel.token, choice: "b" });
    expect(replay.body.voteId).toBe(first.body.voteId);
    expect(replay.body.duplicate).toBe(true);
    expect((await env.RATER.getByName(client.rater).profile()).votes).toBe(1);
  });
});

describe("rate limits", () => {
  it("answers a vote flood from one rater with 429 and Retry-After, and counts only what it allowed", async () => {
    const client = new Client();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const duel = await client.duel();
      const response = await client.fetch("/api/votes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: duel.token, choice: "a" }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get("retry-after");
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
      } else await response.arrayBuffer();
    }
    const allowed = statuses.filter((s) => s === 201).length;
    expect(allowed).toBe(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await env.RATER.getByName(client.rater).profile()).votes).toBe(allowed);
  });

  it("limits duel requests per rater too, and leaves other raters alone", async () => {
    const greedy = new Client();
    let limited = 0;
    for (let i = 0; i < 70; i++) if ((await greedy.fetch("/api/duel")).status === 429) limited++;
    expect(limited).toBe(10);
    expect((await new Client().fetch("/api/duel")).status).toBe(200);
  });
});

describe("votes faster than reading", () => {
  it("are stored and exported with a flag, and left out of the fit", async () => {
    const fast = new Client();
    const duel = await fast.duel();
    const { status, body } = await fast.vote({ token: duel.token, choice: "a", readMs: 50 });
    expect(status).toBe(201);
    expect(body.flagged).toBe(true);
    await flushRater(fast.rater);
    const exported = await fast.json("/api/votes?limit=1000");
    const row = exported.body.votes.find((v: { id: string }) => v.id === body.voteId);
    expect(row.flagged).toBe(true);
    const total = exported.body.votes.filter((v: { flagged: boolean }) => !v.flagged).length;
    await refit();
    const board = await fast.json("/api/leaderboard");
    expect(board.body.votes).toBe(total);
    // A flagged vote does not move the rater's own board either.
    expect((await fast.json("/api/me")).body.rows.every((r: { votes: number }) => r.votes === 0)).toBe(true);
    expect(ADMIN).toBeTruthy();
  });
});
