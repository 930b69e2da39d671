// Covers worker/ratings/taste.ts: choice of K and of the predictor's form and τ on held-out votes, determinism, one-SE rule.
import { describe, expect, it } from "vitest";
import { adjustedRandIndex, hardAssign } from "../../../eval/metrics.js";
import { type Scenario, simulate } from "../../../eval/simulate.js";
import { type HeldOutScore, fitGlobal, fitTaste, scoreHeldOut, simplestWithinOneSE } from "../../../worker/ratings/taste.js";
import { groupVotes, splitMixed } from "../../../worker/ratings/votes.js";

function planted(s: Scenario) {
  const p = simulate(s);
  return { p, votes: groupVotes(s.raters, s.contenders, p.rater, p.a, p.b, p.y) };
}

// No planted clusters, mild individual noise (the eval's K=1 scenario, smaller).
const NO_CLUSTERS: Scenario = { seed: 2, contenders: 10, raters: 400, shares: [1], clusterSpread: 0, individualSpread: 0.3, votesPerRater: 30, tieRate: 0.3 };
// Three clusters 2.5 logits (sd) apart at 30 votes per rater: Bayes ARI with the true parameters is 1.0 on this seed.
const K3: Scenario = { seed: 2, contenders: 12, raters: 600, shares: [0.5, 0.3, 0.2], clusterSpread: 2.5, individualSpread: 0.3, votesPerRater: 30, tieRate: 0.3 };

describe("fitTaste", () => {
  it("picks K = 1 on data without clusters, and a predictor no worse than global beyond noise", () => {
    const { votes } = planted(NO_CLUSTERS);
    const fit = fitTaste(votes);
    expect(fit.mixture.k).toBe(1);
    expect(Array.from(fit.mixture.share)).toEqual([1]);
    expect(fit.resp.every((r) => r === 1)).toBe(true);
    // K = 2 was tried and did not win (growing stops at the first K that does not beat the best).
    expect(fit.selection.map((s) => s.k)).toEqual([1, 2]);
    expect(["global", "global+deviation"]).toContain(fit.predictor.form);

    // Re-score the chosen predictor and the global board on the same held-out votes: the chosen one
    // may lose to global by at most one standard error of the per-rater difference (the one-SE rule
    // never picks anything further from the best, and the best is at least as good as global).
    // The predictor is chosen on the mixed split (votes on unjudged contenders, then later votes).
    const { train, test } = splitMixed(votes);
    const g = fitGlobal(train);
    const global = scoreHeldOut(train, test, null, null, g, 0);
    const chosen = scoreHeldOut(train, test, null, null, g, fit.predictor.tau);
    let sum = 0;
    let sumSq = 0;
    const n = test.raters;
    for (let u = 0; u < n; u++) {
      const d = chosen.perRater[u]! - global.perRater[u]!;
      sum += d;
      sumSq += d * d;
    }
    const se = Math.sqrt((sumSq / n - (sum / n) ** 2) / (n - 1)) * n;
    expect(chosen.logLik).toBeGreaterThanOrEqual(global.logLik - se);
    // The fit's own per-vote numbers agree: chosen ≥ global − 0.005 nats per vote (one SE here is ≈ 0.002).
    const perVote = (form: string, tau: number) => fit.forms.find((f) => f.form === form && f.tau === tau)!.perVote;
    expect(perVote(fit.predictor.form, fit.predictor.tau)).toBeGreaterThanOrEqual(perVote("global", 0) - 0.005);
    expect(perVote("global", 0)).toBeCloseTo(global.logLik / global.votes, 10);
  });

  it("picks K = 3 on well-separated K = 3 data at 30 votes per rater and recovers the raters", () => {
    const { p, votes } = planted(K3);
    const fit = fitTaste(votes);
    expect(fit.mixture.k).toBe(3);
    // K = 4 was tried and lost on held-out votes.
    expect(fit.selection.map((s) => s.k)).toEqual([1, 2, 3, 4]);
    const hard = hardAssign(fit.resp, votes.raters, 3);
    expect(adjustedRandIndex(hard, p.truth)).toBeGreaterThanOrEqual(0.95);
    // Shares match the realised planted fractions within 0.03 (600 raters, near-perfect assignment).
    const realised = [0, 1, 2].map((k) => p.truth.filter((t) => t === k).length / votes.raters).sort();
    const shares = Array.from(fit.mixture.share).sort();
    for (let k = 0; k < 3; k++) expect(Math.abs(shares[k]! - realised[k]!)).toBeLessThan(0.03);
    // With real clusters, a cluster-based predictor wins and beats global by a wide margin.
    expect(fit.predictor.form.startsWith("clusters")).toBe(true);
    const global = fit.forms.find((f) => f.form === "global")!.perVote;
    const chosen = fit.forms.find((f) => f.form === fit.predictor.form && f.tau === fit.predictor.tau)!.perVote;
    expect(chosen - global).toBeGreaterThan(0.05);
  });

  it("is deterministic: the same votes give an identical fit", () => {
    const s: Scenario = { ...K3, raters: 300, seed: 3 };
    const first = fitTaste(planted(s).votes);
    const second = fitTaste(planted(s).votes);
    expect(second).toEqual(first);
    expect(first.mixture.k).toBeGreaterThan(1);
  });

  it("chooses a deviation form with τ > 0 when raters have strong individual tastes", () => {
    // No clusters, but each rater's strengths are off by N(0, 1.5²) logits, 100 votes each.
    const { votes } = planted({ seed: 1, contenders: 10, raters: 200, shares: [1], clusterSpread: 0, individualSpread: 1.5, votesPerRater: 100, tieRate: 0.3 });
    const fit = fitTaste(votes);
    expect(fit.predictor.form.endsWith("deviation")).toBe(true);
    expect(fit.predictor.tau).toBeGreaterThan(0);
    // The personal term is worth a lot here: ≥ 0.05 nats per vote better than the global board on
    // the mixed held-out votes (≥ 0.1 on later votes alone; it cannot help on a contender the rater never judged).
    const global = fit.forms.find((f) => f.form === "global")!.perVote;
    const chosen = fit.forms.find((f) => f.form === fit.predictor.form && f.tau === fit.predictor.tau)!.perVote;
    expect(chosen - global).toBeGreaterThan(0.05);
    // τ comes from a continuous search, not a grid: near the planted 1.5, far from a grid's cap of 1.
    expect(fit.predictor.tau).toBeGreaterThan(0.8);
    expect(fit.predictor.tau).toBeLessThan(4);
  });
});

/** A score from per-rater held-out log-likelihoods. */
function score(perRater: number[]): HeldOutScore {
  return { logLik: perRater.reduce((s, x) => s + x, 0), votes: perRater.length * 5, perRater: Float64Array.from(perRater), decisive: 0, correct: 0 };
}

describe("simplestWithinOneSE", () => {
  const base = [-3, -4, -2.5, -5, -3.5, -4.2, -2.8, -3.9];

  it("keeps the simplest candidate when the best is within one standard error of it", () => {
    // Best beats candidate 0 by +0.3, −0.2, +0.25, −0.1, ... per rater: mean 0.05, SE of the sum ≈ 0.6 > sum 0.4.
    const noisy = [0.3, -0.2, 0.25, -0.1, 0.2, -0.15, 0.1, 0];
    const scores = [score(base), score(base.map((x, u) => x + noisy[u]! / 2)), score(base.map((x, u) => x + noisy[u]!))];
    expect(simplestWithinOneSE(scores)).toBe(0);
  });

  it("takes the best when it is far better than everything simpler", () => {
    // Best gains 0.5 ± 0.05 per rater over candidate 0 and 0.25 ± 0.05 over candidate 1.
    const gain = [0.5, 0.45, 0.55, 0.5, 0.48, 0.52, 0.5, 0.5];
    const scores = [score(base), score(base.map((x, u) => x + gain[u]! / 2 + (u % 2 ? 0.05 : -0.05))), score(base.map((x, u) => x + gain[u]!))];
    expect(simplestWithinOneSE(scores)).toBe(2);
  });

  it("takes the simplest within one SE even when simpler ones are far worse", () => {
    // 0 is far worse than the best (2); 1 is within noise of 2; 3 is worse than 2.
    const noisy = [0.1, -0.1, 0.08, -0.05, 0.02, -0.06, 0.04, 0];
    const scores = [
      score(base.map((x) => x - 1)),
      score(base.map((x, u) => x - noisy[u]!)),
      score(base),
      score(base.map((x) => x - 0.3)),
    ];
    expect(simplestWithinOneSE(scores)).toBe(1);
  });

  it("ignores raters with no held-out votes and falls back to the simplest with fewer than two raters", () => {
    // Raters 2..7 have no held-out votes (0 everywhere); on two raters the gain is certain.
    const two = [score([-1, -2, 0, 0, 0, 0, 0, 0]), score([-0.5, -1.4, 0, 0, 0, 0, 0, 0])];
    expect(simplestWithinOneSE(two)).toBe(1);
    // With a single rater there is no standard error: keep the simplest.
    const one = [score([-1, 0, 0]), score([-0.2, 0, 0])];
    expect(simplestWithinOneSE(one)).toBe(0);
  });
});
