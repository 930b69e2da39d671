// The personal board's step: one vote moves both ratings toward the choice and counts it; a
// contender new to the board starts where the vote says the rater's prediction was.
import { describe, expect, it } from "vitest";
import { type PersonalRow, applyVote, personalWinProbability } from "../../../worker/ratings/personal.js";

describe("applyVote", () => {
  it("starts new contenders at the vote's priors and moves the winner up", () => {
    const board = new Map<string, PersonalRow>();
    applyVote(board, { a: "x", b: "y", choice: "a", priorA: 0.4, priorB: -0.2, priorSigma: 1 });
    const x = board.get("x")!;
    const y = board.get("y")!;
    expect(x.mu).toBeGreaterThan(0.4);
    expect(y.mu).toBeLessThan(-0.2);
    expect(x.sigma).toBeLessThan(1);
    expect([x.votes, x.wins, y.votes, y.wins]).toEqual([1, 1, 1, 0]);
  });

  it("ignores the priors of contenders already on the board", () => {
    const board = new Map<string, PersonalRow>();
    applyVote(board, { a: "x", b: "y", choice: "b", priorA: 0, priorB: 0, priorSigma: 1 });
    const before = board.get("x")!;
    applyVote(board, { a: "x", b: "z", choice: "a", priorA: 5, priorB: 0, priorSigma: 1 });
    expect(board.get("x")!.mu).toBeGreaterThan(before.mu);
    expect(board.get("x")!.mu).toBeLessThan(2);
  });

  it("counts ties and both-bad as ties, both-bad also apart, and pulls the two together", () => {
    const board = new Map<string, PersonalRow>();
    applyVote(board, { a: "x", b: "y", choice: "tie", priorA: 1, priorB: -1, priorSigma: 1 });
    applyVote(board, { a: "x", b: "y", choice: "both_bad", priorA: 1, priorB: -1, priorSigma: 1 });
    const x = board.get("x")!;
    const y = board.get("y")!;
    expect([x.ties, x.bothBad, x.wins, y.ties, y.bothBad, y.wins]).toEqual([2, 1, 0, 2, 1, 0]);
    expect(personalWinProbability(x, y)).toBeLessThan(personalWinProbability({ mu: 1, sigma: 1 }, { mu: -1, sigma: 1 }));
  });
});
