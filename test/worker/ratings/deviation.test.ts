// Covers worker/ratings/deviation.ts: per-rater deviation ε (shrinkage in τ, recovery, standard errors) and outcomeLogProb.
import { describe, expect, it } from "vitest";
import { A_WINS, B_WINS, BOTH_BAD, TIE, davidsonProbabilities } from "../../../worker/ratings/davidson.js";
import { DeviationScratch, type RaterSlice, fitDeviation, outcomeLogProb } from "../../../worker/ratings/deviation.js";
import { seededRandom } from "../../../worker/ratings/random.js";

const C = 6;
// The rater's base board (e.g. their cluster) and their true deviation from it (centred: the prior
// pins the deviations' mean near 0, and votes cannot move a shift of all of them).
const BASE = [0.5, 0.2, 0, 0, -0.3, -0.4];
const TRUTH = [0.8, -0.5, 0.3, 0, -0.9, 0.3];
const ETA = Math.log(0.3);

/** n votes of one rater drawn from BASE + TRUTH, uniformly random pairs. */
function rater(n: number, seed = 3): RaterSlice {
  const random = seededRandom(seed);
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  for (let v = 0; v < n; v++) {
    const i = Math.floor(random() * C);
    let j = Math.floor(random() * (C - 1));
    if (j >= i) j++;
    const p = davidsonProbabilities(BASE[i]! + TRUTH[i]! - BASE[j]! - TRUTH[j]!, ETA);
    const x = random();
    a.push(i);
    b.push(j);
    y.push(x < p.a ? A_WINS : x < p.a + p.b ? B_WINS : random() < 1 / 3 ? BOTH_BAD : TIE);
  }
  return { a, b, y, from: 0, to: n, baseD: a.map((x, v) => BASE[x]! - BASE[b[v]!]!), eta: ETA };
}

function fit(slice: RaterSlice, tau: number, scratch = new DeviationScratch(C)): { eps: number[]; se: number[] } {
  fitDeviation(slice, tau, scratch);
  return { eps: Array.from(scratch.eps), se: Array.from(scratch.hess, (h) => 1 / Math.sqrt(h)) };
}

const norm = (x: number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));
const distance = (x: number[], y: number[]) => norm(x.map((v, i) => v - y[i]!));

describe("fitDeviation", () => {
  const many = rater(4000);

  it("with a loose prior on many votes, moves ε to the truth (within 4 standard errors each)", () => {
    const { eps, se } = fit(many, 5);
    for (let c = 0; c < C; c++) expect(Math.abs(eps[c]! - TRUTH[c]!)).toBeLessThan(4 * se[c]!);
    // Far closer to the truth than no deviation at all (|TRUTH| = 1.36).
    expect(distance(eps, TRUTH)).toBeLessThan(0.2);
    // The default 6 Jacobi-Newton steps are enough: 60 steps move no deviation by more than a third
    // of its standard error.
    const scratch = new DeviationScratch(C);
    fitDeviation(many, 5, scratch, 60);
    for (let c = 0; c < C; c++) expect(Math.abs(scratch.eps[c]! - eps[c]!)).toBeLessThan(se[c]! / 3);
  });

  it("with τ → 0 shrinks ε to 0, and shrinkage is monotone in τ", () => {
    const taus = [0.01, 0.05, 0.1, 0.3, 1, 3, 10];
    const fits = taus.map((tau) => fit(many, tau).eps);
    expect(norm(fits[0]!)).toBeLessThan(0.05);
    for (let i = 1; i < taus.length; i++) {
      expect(norm(fits[i]!)).toBeGreaterThan(norm(fits[i - 1]!));
      // (Not per contender: ε is coupled through the votes, so a contender whose true deviation is 0,
      // like contender 3, may wobble; the shrinkage is of the vector.)
    }
    // With this many votes, a looser prior also means closer to the truth (up to τ = 1, beyond which
    // the estimate has converged to the likelihood's and only wobbles at the 0.01 level).
    for (let i = 1; i < 5; i++) expect(distance(fits[i]!, TRUTH)).toBeLessThan(distance(fits[i - 1]!, TRUTH));
  });

  it("answers zero for τ ≤ 0", () => {
    const scratch = new DeviationScratch(C);
    fitDeviation(many, 1, scratch);
    fitDeviation(many, 0, scratch);
    expect(Array.from(scratch.eps)).toEqual(new Array(C).fill(0));
  });

  it("gives standard errors (Hessian diagonal) that shrink like 1/√votes and never exceed τ", () => {
    const tau = 5;
    const few = fit(rater(400, 9), tau).se;
    const lots = fit(rater(4000, 9), tau).se;
    for (let c = 0; c < C; c++) {
      expect(few[c]!).toBeLessThan(tau);
      expect(lots[c]!).toBeLessThan(few[c]!);
      // Ten times the votes: √10 ≈ 3.16 times smaller, give or take the sampling of pairs and the
      // moving estimate (±25%).
      expect(few[c]! / lots[c]!).toBeGreaterThan(2.4);
      expect(few[c]! / lots[c]!).toBeLessThan(4);
    }
    // A strong prior dominates the Hessian: the standard error is about τ itself.
    for (const s of fit(rater(40), 0.05).se) expect(s).toBeCloseTo(0.05, 3);
  });

  it("only touches the contenders the rater judged, and clears the last rater's deviations", () => {
    const scratch = new DeviationScratch(C);
    fitDeviation(many, 1, scratch);
    expect(scratch.count).toBe(C);
    // Second rater: votes only on 0 vs 1, contender 0 always wins.
    const second: RaterSlice = { a: [0, 0, 0, 0], b: [1, 1, 1, 1], y: [0, 0, 0, 0], from: 0, to: 4, baseD: [0, 0, 0, 0], eta: ETA };
    fitDeviation(second, 1, scratch);
    expect(scratch.count).toBe(2);
    expect(scratch.eps[0]!).toBeGreaterThan(0);
    expect(scratch.eps[1]!).toBeCloseTo(-scratch.eps[0]!, 12);
    for (let c = 2; c < C; c++) expect(scratch.eps[c]).toBe(0);
  });

  it("honours the slice bounds and the base difference", () => {
    // The same votes offset inside bigger arrays give the same ε.
    const slice = rater(200);
    const pad = (x: ArrayLike<number>) => [9, 9, 9, ...Array.from(x), 9];
    const shifted: RaterSlice = { ...slice, a: pad(slice.a), b: pad(slice.b), y: pad(slice.y), from: 3, to: 203 };
    expect(fit(shifted, 0.7).eps).toEqual(fit(slice, 0.7).eps);
    // If the base already says everything (base = truth), the deviation stays small compared with
    // the fit against a flat base, which has to carry the whole board.
    const informed: RaterSlice = { ...many, baseD: Array.from(many.a, (x, v) => BASE[x]! + TRUTH[x]! - BASE[many.b[v]!]! - TRUTH[many.b[v]!]!) };
    expect(norm(fit(informed, 1).eps)).toBeLessThan(0.2);
  });
});

describe("outcomeLogProb", () => {
  it("matches davidsonProbabilities for a, b, tie and both_bad (a tie for strength)", () => {
    for (const d of [-500, -3, -0.4, 0, 0.7, 2.5, 500]) {
      for (const eta of [Math.log(0.05), Math.log(0.3), 0, 1.5]) {
        const p = davidsonProbabilities(d, eta);
        const want = [p.a, p.b, p.tie, p.tie];
        for (const y of [A_WINS, B_WINS, TIE, BOTH_BAD]) {
          const got = outcomeLogProb(d, eta, y);
          expect(Number.isNaN(got)).toBe(false);
          if (want[y]! > 1e-200) expect(got).toBeCloseTo(Math.log(want[y]!), 9);
          else expect(got).toBeLessThan(-200);
        }
      }
    }
  });
});
