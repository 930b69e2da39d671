// Covers worker/ratings/clusterIds.ts: board distance and stable cluster ids across refits.
import { describe, expect, it } from "vitest";
import { type IdentifiedBoard, SAME_CLUSTER_RMS, assignClusterIds, boardDistance } from "../../../worker/ratings/clusterIds.js";

const CONTENDERS = ["m0", "m1", "m2", "m3", "m4", "m5"];
const board = (theta: number[], ids = CONTENDERS) => new Map(ids.map((id, i) => [id, theta[i]!]));
const shift = (theta: number[], by: number) => theta.map((t) => t + by);
const wobble = (theta: number[], size: number) => theta.map((t, i) => t + size * Math.sin(3 * i + 1));

// Three clusters far apart (pairwise RMS distances well above SAME_CLUSTER_RMS = 0.6).
const A = [1.5, 1, 0.5, -0.5, -1, -1.5];
const B = [-1.5, -1, -0.5, 0.5, 1, 1.5];
const C = [1, -1, 1, -1, 1, -1];
const previous: IdentifiedBoard[] = [
  { id: "c1", theta: board(A) },
  { id: "c2", theta: board(B) },
  { id: "c4", theta: board(C) },
];

describe("boardDistance", () => {
  it("is the RMS difference of centred boards, by hand", () => {
    // Centred: x = (1, −1), y = (−1, 1): differences ±2, RMS 2.
    expect(boardDistance(new Map([["a", 3], ["b", 1]]), new Map([["a", -1], ["b", 1]]))).toBeCloseTo(2, 12);
  });

  it("ignores a shift of all strengths", () => {
    expect(boardDistance(board(A), board(shift(A, 7.25)))).toBeCloseTo(0, 12);
    const d = boardDistance(board(A), board(C));
    expect(boardDistance(board(shift(A, -3)), board(shift(C, 2)))).toBeCloseTo(d, 12);
    expect(d).toBeGreaterThan(1);
  });

  it("compares over the contenders both boards rank, and is infinite with none in common", () => {
    const more = board([...shift(A, 1), 42], [...CONTENDERS, "new"]);
    expect(boardDistance(board(A), more)).toBeCloseTo(0, 12);
    expect(boardDistance(board([1, 2], ["x", "y"]), board(A))).toBe(Infinity);
  });
});

describe("assignClusterIds", () => {
  it("keeps ids when the same clusters come back in another order (and shifted, a little changed)", () => {
    const next = [board(shift(wobble(C, 0.1), 2)), board(wobble(A, 0.15)), board(shift(B, -1))];
    const named = assignClusterIds(previous, next, 5);
    expect(named.ids).toEqual(["c4", "c1", "c2"]);
    expect(named.nextNumber).toBe(5);
  });

  it("gives a genuinely new cluster the next number", () => {
    const D = [0, 2, -2, 0, 2, -2];
    for (const old of previous) expect(boardDistance(board(D), old.theta)).toBeGreaterThan(SAME_CLUSTER_RMS);
    const named = assignClusterIds(previous, [board(A), board(D), board(B), board(C)], 5);
    expect(named.ids).toEqual(["c1", "c5", "c2", "c4"]);
    expect(named.nextNumber).toBe(6);
    // With no previous fit at all, ids count on from the given number.
    expect(assignClusterIds([], [board(A), board(B)], 1)).toEqual({ ids: ["c1", "c2"], nextNumber: 3 });
  });

  it("does not reuse a vanished cluster's id for a very different board", () => {
    // B vanished; E (far from every old board) appears while A and C stay.
    const E = [0, 0, 2, 2, -2, -2];
    for (const old of previous) expect(boardDistance(board(E), old.theta)).toBeGreaterThan(SAME_CLUSTER_RMS);
    const named = assignClusterIds(previous, [board(C), board(E), board(A)], 5);
    expect(named.ids).toEqual(["c4", "c5", "c1"]);
    expect(named.ids).not.toContain("c2");
    expect(named.nextNumber).toBe(6);
  });

  it("matches by least total distance, not greedily", () => {
    // Boards on a line: base + t·u, where u = (1, −1, 1, −1, 1, −1) has RMS 1, so distance = |Δt|.
    // Old: A at t = 0, B' at 0.55. New: X at 0.25 (nearer A), Y at −0.35 (near A only).
    // Greedy would give X → A and leave Y new; least total distance gives X → B' (0.3), Y → A (0.35).
    const base = [0.3, 0.1, -0.2, 0.5, -0.4, -0.3];
    const at = (t: number) => board(base.map((b, i) => b + t * (i % 2 ? -1 : 1)));
    const prev: IdentifiedBoard[] = [
      { id: "c1", theta: at(0) },
      { id: "c2", theta: at(0.55) },
    ];
    expect(boardDistance(at(0.25), at(0))).toBeCloseTo(0.25, 12);
    expect(boardDistance(at(-0.35), at(0.55))).toBeGreaterThan(SAME_CLUSTER_RMS);
    expect(assignClusterIds(prev, [at(0.25), at(-0.35)], 3)).toEqual({ ids: ["c2", "c1"], nextNumber: 3 });
    // Alone, X takes its nearest old cluster.
    expect(assignClusterIds(prev, [at(0.25)], 3).ids).toEqual(["c1"]);
  });
});
