// The vote pipeline's invariants (DESIGN.md §3): the outbox can be replayed without double counting,
// a rebuild from the vote log equals the incrementally published state, and the online cluster
// membership kept per vote equals one recomputed from scratch.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PublishedFit } from "../../../schema/fit.js";
import type { Arena, LoggedVote } from "../../../worker/objects/arena.js";
import { fitArena, tasteModel } from "../../../worker/ratings/publish.js";
import { Client, flushRater, refit } from "../client.js";

async function castVotes(client: Client, n: number, pick: (i: number) => "a" | "b" | "tie" | "both_bad"): Promise<void> {
  for (let i = 0; i < n; i++) {
    const duel = await client.duel();
    const { status } = await client.vote({ token: duel.token, choice: pick(i) });
    expect(status).toBe(201);
  }
}

async function logOf(): Promise<LoggedVote[]> {
  return runInDurableObject(env.ARENA.getByName("global"), async (_: Arena, state) =>
    state.storage.sql
      .exec<{ id: string; rater: string; prompt: string; a: string; b: string; winner: LoggedVote["winner"]; read_ms: number | null; reasons: string; at: number }>(
        "SELECT id, rater, prompt, a, b, winner, read_ms, reasons, at FROM votes ORDER BY seq",
      )
      .toArray()
      .map((v) => ({ id: v.id, rater: v.rater, prompt: v.prompt, a: v.a, b: v.b, winner: v.winner, readMs: v.read_ms, reasons: v.reasons, at: v.at })),
  );
}

describe("the outbox", () => {
  it("can be flushed and replayed any number of times without double counting", async () => {
    const client = new Client();
    await castVotes(client, 6, (i) => (i % 2 ? "a" : "b"));
    const arena = env.ARENA.getByName("global");
    const before = await arena.voteCount();
    await flushRater(client.rater);
    expect(await env.RATER.getByName(client.rater).pendingVotes()).toBe(0);
    await flushRater(client.rater);
    expect(await env.RATER.getByName(client.rater).flushOutbox()).toBe(0);
    const after = await arena.voteCount();
    expect(after - before).toBe(6);
    // Replaying what the Arena already holds (as a retried alarm would) adds nothing.
    const mine = (await logOf()).filter((v) => v.rater === client.rater);
    expect(mine).toHaveLength(6);
    expect(await arena.ingest(mine)).toBe(0);
    expect(await arena.ingest([...mine, ...mine])).toBe(0);
    expect(await arena.voteCount()).toBe(after);
  });
});

describe("rebuild from the vote log", () => {
  it("equals the state published incrementally, refit after refit", async () => {
    // Raters with two opposite tastes vote in rounds; the Arena ingests and refits between them.
    const order = (await env.CORPUS.getByName("main").snapshot()).contenders.map((c) => c.id);
    const snapshot = await env.CORPUS.getByName("main").snapshot();
    const contenderOf = new Map(snapshot.passages.map((p) => [p.id, p.contender]));
    for (let round = 0; round < 3; round++) {
      for (let r = 0; r < 6; r++) {
        const client = new Client();
        const likesEarly = r % 2 === 0;
        for (let i = 0; i < 10; i++) {
          const duel = await client.duel();
          const a = order.indexOf(contenderOf.get(duel.a.passageId)!);
          const b = order.indexOf(contenderOf.get(duel.b.passageId)!);
          const choice = (a < b) === likesEarly ? "a" : "b";
          expect((await client.vote({ token: duel.token, choice })).status).toBe(201);
        }
        await flushRater(client.rater);
      }
      await refit();
    }
    const published = JSON.parse((await env.ARENA.getByName("global").latestFit())!) as PublishedFit;
    const log = await logOf();
    const rebuilt = fitArena({
      contenders: snapshot.contenders,
      genres: new Map(snapshot.prompts.map((p) => [p.id, p.genre])),
      votes: log,
      previous: null,
    });
    expect(rebuilt.global).toEqual(published.global);
    expect(rebuilt.genres).toEqual(published.genres);
    expect(rebuilt.pairs).toEqual(published.pairs);
    expect(rebuilt.taste.k).toBe(published.taste.k);
    const strip = (t: PublishedFit["taste"]) => t.clusters.map(({ id: _id, ...rest }) => rest);
    expect(strip(rebuilt.taste)).toEqual(strip(published.taste));
    expect(rebuilt.taste.predictor).toEqual(published.taste.predictor);
  });

  it("gives each rater the same cluster membership online as recomputed from scratch", async () => {
    const client = new Client();
    await castVotes(client, 8, (i) => (i % 3 ? "a" : "b"));
    await flushRater(client.rater);
    await refit();
    const fit = JSON.parse((await env.ARENA.getByName("global").latestFit())!) as PublishedFit;
    const model = tasteModel(fit);
    // First contact after the fit syncs; then votes update the totals online, one by one.
    await client.json("/api/me");
    await castVotes(client, 5, (i) => (i % 2 ? "tie" : "a"));
    const online = (await env.RATER.getByName(client.rater).profile(model.fitId)).membership!;
    const scratch = await env.RATER.getByName(client.rater).syncTaste(model);
    expect(online.clusters).toEqual(scratch.clusters);
    online.membership.forEach((p, k) => expect(p).toBeCloseTo(scratch.membership[k]!, 9));
  });
});
