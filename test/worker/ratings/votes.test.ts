// Covers worker/ratings/votes.ts: grouping votes by rater, pair/outcome orientation, held-out split, pair tables.
import { describe, expect, it } from "vitest";
import { A_WINS, B_WINS, BOTH_BAD, TIE, davidsonProbabilities } from "../../../worker/ratings/davidson.js";
import { seededRandom } from "../../../worker/ratings/random.js";
import {
  HI_WINS,
  LO_WINS,
  PAIR_TIE,
  type RaterVotes,
  groupVotes,
  heldOutCount,
  pairLogProbs,
  splitHeldOut,
  weightedPairCounts,
} from "../../../worker/ratings/votes.js";

type Vote = [rater: number, a: number, b: number, y: number];

function group(raters: number, contenders: number, list: Vote[]): RaterVotes {
  return groupVotes(
    raters,
    contenders,
    Int32Array.from(list, (v) => v[0]),
    Int32Array.from(list, (v) => v[1]),
    Int32Array.from(list, (v) => v[2]),
    Uint8Array.from(list, (v) => v[3]),
  );
}

/** Rater u's votes as [a, b, y] triples, in stored order. */
function votesOf(v: RaterVotes, u: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = v.start[u]!; i < v.start[u + 1]!; i++) out.push([v.a[i]!, v.b[i]!, v.y[i]!]);
  return out;
}

/** n distinguishable votes of one rater: vote i is (i mod 7) vs (i mod 7 + 1 + i mod 3) mod 7, outcome i mod 4. */
function numbered(rater: number, n: number): Vote[] {
  return Array.from({ length: n }, (_, i) => [rater, i % 7, ((i % 7) + 1 + (i % 3)) % 7, i % 4] as Vote);
}

describe("groupVotes", () => {
  // Interleaved log of three raters (rater 1 votes first), every orientation and outcome.
  const log: Vote[] = [
    [1, 3, 1, A_WINS], // pair (1,3): a = 3 is the higher index and won → HI_WINS
    [0, 0, 2, B_WINS], // pair (0,2): b = 2 won → HI_WINS
    [1, 1, 3, A_WINS], // same pair (1,3) from the other side: a = 1 = lo won → LO_WINS
    [2, 2, 0, B_WINS], // pair (0,2): b = 0 = lo won → LO_WINS
    [0, 2, 0, TIE], // pair (0,2), tie
    [1, 3, 1, B_WINS], // pair (1,3): b = 1 = lo won → LO_WINS
    [0, 1, 2, BOTH_BAD], // pair (1,2), both bad is a tie for strength
  ];
  const g = group(3, 4, log);

  it("keeps each rater's votes in their original order", () => {
    expect(Array.from(g.start)).toEqual([0, 3, 6, 7]);
    expect(votesOf(g, 0)).toEqual([
      [0, 2, B_WINS],
      [2, 0, TIE],
      [1, 2, BOTH_BAD],
    ]);
    expect(votesOf(g, 1)).toEqual([
      [3, 1, A_WINS],
      [1, 3, A_WINS],
      [3, 1, B_WINS],
    ]);
    expect(votesOf(g, 2)).toEqual([[2, 0, B_WINS]]);
  });

  it("indexes each unordered pair once, lo < hi, whatever the orientation of the vote", () => {
    const pairs = Array.from(g.pairLo, (lo, p) => [lo, g.pairHi[p]!]);
    // Pairs are numbered as first met in rater-grouped order: rater 0 meets (0,2) and (1,2), rater 1 (1,3).
    expect(pairs).toEqual([
      [0, 2],
      [1, 2],
      [1, 3],
    ]);
    // Rater order is 0, 0, 0, 1, 1, 1, 2.
    expect(Array.from(g.pair)).toEqual([0, 0, 1, 2, 2, 2, 0]);
  });

  it("orients outcomes from the pair's side: the winner's index decides LO or HI", () => {
    expect(Array.from(g.o)).toEqual([HI_WINS, PAIR_TIE, PAIR_TIE, HI_WINS, LO_WINS, LO_WINS, LO_WINS]);
    expect(Array.from(g.code)).toEqual(Array.from(g.pair, (p, i) => p * 3 + g.o[i]!));
  });

  it("feeds pair counts that agree with the raw votes", () => {
    const counts = weightedPairCounts(g);
    // pair (0,2): 0 beat 2 once (rater 2), 2 beat 0 once (rater 0), one tie.
    expect([counts.winsI[0], counts.winsJ[0], counts.ties[0]]).toEqual([1, 1, 1]);
    // pair (1,3): 1 beat 3 twice, 3 beat 1 once.
    expect([counts.winsI[2], counts.winsJ[2], counts.ties[2]]).toEqual([2, 1, 0]);
    // pair (1,2): the both-bad vote is a tie and is also counted as both bad.
    expect([counts.ties[1], counts.bothBad[1]]).toEqual([1, 1]);
    expect(counts.bothBad[0]).toBe(0);
    // A rater weight scales only that rater's votes: rater 1 weighted 0.5.
    const w = weightedPairCounts(g, Float64Array.of(1, 0.5, 1));
    expect([w.winsI[2], w.winsJ[2]]).toEqual([1, 0.5]);
    expect([w.winsI[0], w.winsJ[0], w.ties[0]]).toEqual([1, 1, 1]);
  });

  it("gives raters without votes an empty range", () => {
    const sparse = group(4, 3, [
      [3, 0, 1, A_WINS],
      [1, 1, 2, TIE],
    ]);
    expect(Array.from(sparse.start)).toEqual([0, 0, 1, 1, 2]);
  });
});

describe("splitHeldOut", () => {
  it("holds out round(20%) of each rater's votes, keeping at least two for training", () => {
    // n → held: 3 → 1 (round 0.6, leaving 2), 4 → 1 (0.8), 7 → 1 (1.4), 8 → 2 (1.6), 10 → 2; 1 and 2 → 0.
    const expected: Record<number, number> = { 1: 0, 2: 0, 3: 1, 4: 1, 7: 1, 8: 2, 10: 2, 100: 20 };
    for (const [n, held] of Object.entries(expected)) expect(heldOutCount(Number(n), 0.2)).toBe(held);
    // A large fraction is capped so that two votes stay in training.
    expect(heldOutCount(5, 0.9)).toBe(3);
  });

  it("holds out the last votes of each rater, in order, and keeps rater indices", () => {
    const sizes = [3, 4, 10, 1];
    const log: Vote[] = [];
    // Interleave the raters' votes so the split must use the grouped (per-rater) order.
    const queues = sizes.map((n, u) => numbered(u, n));
    for (let round = 0; round < 10; round++) for (const q of queues) if (q[round]) log.push(q[round]!);
    const g = group(4, 7, log);
    const { train, test } = splitHeldOut(g);
    const held = [1, 1, 2, 0];
    for (let u = 0; u < 4; u++) {
      const all = queues[u]!.map(([, a, b, y]) => [a, b, y]);
      expect(new Set(all.map((v) => v.join())).size).toBe(all.length);
      const kept = sizes[u]! - held[u]!;
      expect(votesOf(train, u)).toEqual(all.slice(0, kept));
      expect(votesOf(test, u)).toEqual(all.slice(kept));
      expect(train.start[u + 1]! - train.start[u]!).toBe(kept);
      expect(test.start[u + 1]! - test.start[u]!).toBe(held[u]);
    }
    // Pair ids and oriented outcomes travel with their votes (same pair table as the whole set).
    for (const half of [train, test]) {
      expect(half.pairLo).toBe(g.pairLo);
      for (let i = 0; i < half.a.length; i++) {
        const lo = Math.min(half.a[i]!, half.b[i]!);
        const hi = Math.max(half.a[i]!, half.b[i]!);
        expect([g.pairLo[half.pair[i]!], g.pairHi[half.pair[i]!]]).toEqual([lo, hi]);
        expect(half.code[i]).toBe(half.pair[i]! * 3 + half.o[i]!);
      }
    }
    expect(train.a.length + test.a.length).toBe(g.a.length);
  });
});

describe("pairLogProbs", () => {
  it("gives each pair three outcome probabilities that sum to 1 and match Davidson", () => {
    const random = seededRandom(11);
    const log: Vote[] = [];
    for (let v = 0; v < 200; v++) {
      const i = Math.floor(random() * 6);
      let j = Math.floor(random() * 5);
      if (j >= i) j++;
      log.push([0, i, j, A_WINS]);
    }
    const g = group(1, 6, log);
    // Include a huge strength gap: the table must stay finite (log-sum-exp).
    const theta = [2.5, -1, 0.3, 0, -40, 40];
    for (const eta of [Math.log(0.3), 0, 2]) {
      const table = pairLogProbs(g, theta, eta);
      expect(table.length).toBe(g.pairLo.length * 3);
      for (let p = 0; p < g.pairLo.length; p++) {
        const [lo, hi, tie] = [table[p * 3]!, table[p * 3 + 1]!, table[p * 3 + 2]!];
        expect(Number.isFinite(lo) && Number.isFinite(hi) && Number.isFinite(tie)).toBe(true);
        expect(Math.exp(lo) + Math.exp(hi) + Math.exp(tie)).toBeCloseTo(1, 12);
        const d = davidsonProbabilities(theta[g.pairLo[p]!]! - theta[g.pairHi[p]!]!, eta);
        expect(lo).toBeCloseTo(Math.log(d.a), 10);
        expect(tie).toBeCloseTo(Math.log(d.tie), 10);
      }
    }
  });
});
