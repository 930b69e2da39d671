// The isolate's vote forwarder: votes from many requests reach the Arena in few calls, each vote
// exactly once, and only the request that opened a batch has anything to wait for.
import { describe, expect, it } from "vitest";
import type { LoggedVote } from "../../../worker/objects/arena.js";
import { VoteForwarder } from "../../../worker/writes/forward.js";

const vote = (i: number): LoggedVote => ({ id: `v-${i}`, rater: `r-${i % 7}`, prompt: "p", a: "x", b: "y", winner: "a", readMs: null, reasons: "[]", at: i });

/** Adds vote `i` as a request would: answers what the request is asked to keep alive, if anything. */
function add(forwarder: VoteForwarder, i: number, send: (batch: LoggedVote[]) => Promise<unknown>): Promise<void> | null {
  let kept: Promise<void> | null = null;
  forwarder.add(vote(i), send, (sending) => (kept = sending));
  return kept;
}

describe("VoteForwarder", () => {
  it("sends the votes of a window in one call, and the next window in another", async () => {
    const calls: string[][] = [];
    const forwarder = new VoteForwarder(5);
    const send = async (batch: LoggedVote[]) => void calls.push(batch.map((v) => v.id));
    const first = [0, 1, 2, 3].map((i) => add(forwarder, i, send));
    // Only the opener's request has a promise to keep alive.
    expect(first.map((p) => p !== null)).toEqual([true, false, false, false]);
    await first[0];
    const second = [4, 5].map((i) => add(forwarder, i, send));
    await second[0];
    expect(calls).toEqual([
      ["v-0", "v-1", "v-2", "v-3"],
      ["v-4", "v-5"],
    ]);
  });

  it("closes a full batch and opens another, losing none", async () => {
    const calls: number[] = [];
    const forwarder = new VoteForwarder(5);
    const send = async (batch: LoggedVote[]) => void calls.push(batch.length);
    const pending = Array.from({ length: 450 }, (_, i) => add(forwarder, i, send)).filter((p) => p !== null);
    await Promise.all(pending);
    expect(calls).toEqual([200, 200, 50]);
  });

  it("swallows a failed call (the outbox resends) and keeps working", async () => {
    const forwarder = new VoteForwarder(1);
    let calls = 0;
    await add(forwarder, 0, async () => {
      calls++;
      throw new Error("arena unreachable");
    });
    const delivered: string[] = [];
    await add(forwarder, 1, async (batch) => {
      calls++;
      delivered.push(...batch.map((v) => v.id));
    });
    expect(calls).toBe(2);
    expect(delivered).toEqual(["v-1"]);
  });
});
