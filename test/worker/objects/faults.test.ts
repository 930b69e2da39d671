// Alarms that fail or run twice: with a throw injected into the first run, the outbox and the fits
// still converge to exactly the state a clean run reaches.
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PublishedFit } from "../../../schema/fit.js";
import type { Rater } from "../../../worker/objects/rater.js";
import { Client } from "../client.js";

async function arm(stub: DurableObjectStub, point: string): Promise<void> {
  await runInDurableObject(stub, (_: unknown, state: DurableObjectState) => state.storage.kv.put(`fault:${point}`, 1));
}

async function alarmOf(stub: DurableObjectStub): Promise<"ran" | "none" | "threw"> {
  try {
    return (await runDurableObjectAlarm(stub)) ? "ran" : "none";
  } catch {
    return "threw";
  }
}

describe("a rater's outbox alarm that dies after sending", () => {
  it("resends on the retry, and the Arena counts every vote once", async () => {
    const client = new Client();
    for (let i = 0; i < 4; i++) {
      const duel = await client.duel();
      expect((await client.vote({ token: duel.token, choice: i % 2 ? "a" : "tie" })).status).toBe(201);
    }
    const rater = env.RATER.getByName(client.rater);
    await runInDurableObject(rater, (instance: Rater) => instance.faults.add("rater-after-send"));
    const before = await env.ARENA.getByName("global").voteCount();
    expect(await alarmOf(rater)).toBe("threw");
    // The Arena already has them, the outbox still holds them...
    expect(await env.ARENA.getByName("global").voteCount()).toBe(before + 4);
    expect(await rater.pendingVotes()).toBe(4);
    // ...and the retry (and one more run, as at-least-once alarms may do) changes nothing more.
    await rater.flushOutbox();
    await rater.flushOutbox();
    expect(await rater.pendingVotes()).toBe(0);
    expect(await env.ARENA.getByName("global").voteCount()).toBe(before + 4);
  });

  it("re-arms a lost alarm on the rater's next contact", async () => {
    const client = new Client();
    const duel = await client.duel();
    await client.vote({ token: duel.token, choice: "b" });
    const before = env.RATER.getByName(client.rater);
    // A crash that lost the alarm: storage keeps the vote, the object starts afresh.
    await runInDurableObject(before, (_: unknown, state: DurableObjectState) => state.storage.deleteAlarm());
    await runInDurableObject(before, (_: unknown, state: DurableObjectState) => state.abort("simulated crash")).catch(() => {});
    const rater = env.RATER.getByName(client.rater);
    expect(await rater.pendingVotes()).toBe(1);
    await client.json("/api/me");
    expect(await alarmOf(rater)).toBe("ran");
    expect(await rater.pendingVotes()).toBe(0);
  });
});

describe("a rater object restarted between votes", () => {
  it("answers from storage: a retried vote is still the same vote, and the board carries on", async () => {
    const client = new Client();
    const first = await client.duel();
    const cast = await client.vote({ token: first.token, choice: "a" });
    expect(cast.status).toBe(201);
    const before = env.RATER.getByName(client.rater);
    const board = (await before.profile()).rows;
    await runInDurableObject(before, (_: unknown, state: DurableObjectState) => state.abort("simulated restart")).catch(() => {});
    // Nothing in memory now: the duel, its vote and the board come back from storage.
    const retried = await client.vote({ token: first.token, choice: "b" });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ duplicate: true, voteId: cast.body.voteId, choice: "a" });
    const second = await client.duel();
    expect((await client.vote({ token: second.token, choice: "b" })).status).toBe(201);
    const after = await env.RATER.getByName(client.rater).profile();
    expect(after.votes).toBe(2);
    expect(after.rows.reduce((n, r) => n + r.votes, 0)).toBe(4);
    // A contender judged before the restart moved on from its stored rating, not from a fresh one.
    for (const row of after.rows) {
      const old = board.find((r) => r.contender === row.contender);
      if (old && row.votes === 2) expect(row.sigma).toBeLessThan(old.sigma);
    }
  });
});

describe("the Arena's refit alarm", () => {
  it("publishes the same fit after a failed first run as a clean run would, and again when run twice", async () => {
    const client = new Client();
    for (let i = 0; i < 6; i++) {
      const duel = await client.duel();
      await client.vote({ token: duel.token, choice: i % 3 ? "a" : "b" });
    }
    await env.RATER.getByName(client.rater).flushOutbox();
    const arena = env.ARENA.getByName("global");
    await arm(arena, "arena-alarm");
    expect(await alarmOf(arena)).toBe("threw");
    expect(await arena.latestFit()).toBeNull();
    await runInDurableObject(arena, (_: unknown, state: DurableObjectState) => state.storage.setAlarm(Date.now()));
    expect(await alarmOf(arena)).toBe("ran");
    const first = JSON.parse((await arena.latestFit())!) as PublishedFit;
    await runInDurableObject(arena, (_: unknown, state: DurableObjectState) => state.storage.setAlarm(Date.now()));
    expect(await alarmOf(arena)).toBe("ran");
    const second = JSON.parse((await arena.latestFit())!) as PublishedFit;
    expect(second.id).toBeGreaterThan(first.id);
    expect(second.global).toEqual(first.global);
    // The same clusters under the same names (a few votes can fit clusters with equal boards,
    // between which a name is a tie, so names are compared as a set).
    expect(second.taste.clusters.map((c) => [c.share, c.theta])).toEqual(first.taste.clusters.map((c) => [c.share, c.theta]));
    expect(new Set(second.taste.clusters.map((c) => c.id))).toEqual(new Set(first.taste.clusters.map((c) => c.id)));
    expect(first.global.votes).toBe(await arena.voteCount());
  });
});
