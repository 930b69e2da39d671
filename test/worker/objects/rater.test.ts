// The Rater's storage as a vote sees it: one vote writes its row and key and nothing else, and the
// personal board (replayed from the votes after its last checkpoint) reads the same before the
// checkpoint, after it, and after a restart.
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Rater } from "../../../worker/objects/rater.js";
import { Client } from "../client.js";

/** Rows written by every statement the rater runs during `body` (SQLite's own count, as Cloudflare bills it). */
async function rowsWritten(rater: string, body: (instance: Rater) => Promise<unknown>): Promise<number> {
  return runInDurableObject(env.RATER.getByName(rater), async (instance: Rater, state: DurableObjectState) => {
    const sql = state.storage.sql;
    const exec = sql.exec.bind(sql);
    const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
    sql.exec = ((query: string, ...bindings: unknown[]) => {
      const cursor = exec(query, ...bindings);
      cursors.push(cursor);
      return cursor;
    }) as typeof sql.exec;
    try {
      await body(instance);
    } finally {
      sql.exec = exec;
    }
    return cursors.reduce((n, c) => n + c.rowsWritten, 0);
  });
}

/** The last vote the rater's stored board checkpoint holds. */
function boardMark(rater: string): Promise<number> {
  return runInDurableObject(env.RATER.getByName(rater), (_: unknown, state: DurableObjectState) =>
    state.storage.sql.exec<{ through: number }>("SELECT through FROM marks WHERE name = 'board'").one().through,
  );
}

/** How many contenders the rater's stored board checkpoint holds. */
function storedRows(rater: string): Promise<number> {
  return runInDurableObject(env.RATER.getByName(rater), (_: unknown, state: DurableObjectState) => state.storage.sql.exec("SELECT contender FROM ratings").toArray().length);
}

describe("a vote's writes", () => {
  it("are its row and its key; the same vote again writes nothing", async () => {
    const client = new Client();
    const warm = await client.duel();
    await client.vote({ token: warm.token, choice: "a" });
    const duel = await client.duel();
    const cast = (instance: Rater) =>
      instance.castVote({ duelId: duel.duelId, passageA: duel.a.passageId, passageB: duel.b.passageId, choice: "b", taste: null });
    expect(await rowsWritten(client.rater, cast)).toBe(2);
    expect(await rowsWritten(client.rater, cast)).toBe(0);
    expect((await env.RATER.getByName(client.rater).profile()).votes).toBe(2);
  });
});

describe("the personal board", () => {
  it("reads the same from memory, after a checkpoint and after a restart", async () => {
    const client = new Client();
    for (const choice of ["a", "b", "tie", "a", "both_bad"] as const) {
      const duel = await client.duel();
      expect((await client.vote({ token: duel.token, choice })).status).toBe(201);
    }
    const rater = () => env.RATER.getByName(client.rater);
    const sorted = <T extends { contender: string }>(rows: T[]) => [...rows].sort((x, y) => x.contender.localeCompare(y.contender));
    const live = sorted((await rater().profile()).rows);
    expect(live.reduce((n, r) => n + r.votes, 0)).toBe(10);
    expect(live.reduce((n, r) => n + r.wins, 0)).toBe(3);
    expect(live.reduce((n, r) => n + r.bothBad, 0)).toBe(2);

    // Before any checkpoint, a restart replays all five votes.
    await runInDurableObject(rater(), (_: unknown, state: DurableObjectState) => state.abort("restart")).catch(() => {});
    expect(sorted((await rater().profile()).rows)).toEqual(live);

    // Five votes are too few for the alarm to store the board; asked to, the rater stores it,
    // and after another restart it is read back rather than replayed.
    await runDurableObjectAlarm(rater());
    const mark = () => boardMark(client.rater);
    expect(await mark()).toBe(0);
    await rater().checkpointBoard();
    expect(await mark()).toBe(5);
    expect(await storedRows(client.rater)).toBe(live.length);
    await runInDurableObject(rater(), (_: unknown, state: DurableObjectState) => state.abort("restart")).catch(() => {});
    expect(sorted((await rater().profile()).rows)).toEqual(live);

    // A vote after the checkpoint moves the board from there.
    const duel = await client.duel();
    await client.vote({ token: duel.token, choice: "a" });
    const next = (await rater().profile()).rows;
    expect(next.reduce((n, r) => n + r.votes, 0)).toBe(12);
  });
});

describe("the outbox alarm", () => {
  it("stores the board once a hundred votes lie past its checkpoint", async () => {
    const client = new Client();
    for (let i = 0; i < 100; i++) {
      const duel = await client.duel();
      await client.vote({ token: duel.token, choice: i % 3 === 0 ? "b" : "a" });
    }
    const rater = env.RATER.getByName(client.rater);
    const live = (await rater.profile()).rows.length;
    await runDurableObjectAlarm(rater);
    expect(await boardMark(client.rater)).toBe(100);
    expect(await storedRows(client.rater)).toBe(live);
    expect(await rater.pendingVotes()).toBe(0);
  });
});
