import { describe, expect, it } from "vitest";
import {
  A_WINS,
  B_WINS,
  BOTH_BAD,
  TIE,
  countPairs,
  davidsonProbabilities,
  fitDavidson,
  pairLogLik,
  type VoteArrays,
} from "../../../worker/ratings/davidson.js";
import { seededRandom } from "../../../worker/ratings/random.js";

function votes(list: [number, number, number][]): VoteArrays {
  return {
    a: Int32Array.from(list.map((v) => v[0])),
    b: Int32Array.from(list.map((v) => v[1])),
    y: Uint8Array.from(list.map((v) => v[2])),
  };
}

function repeat(n: number, v: [number, number, number]): [number, number, number][] {
  return Array.from({ length: n }, () => v);
}

describe("davidsonProbabilities", () => {
  it("matches the formula by hand", () => {
    // d = ln 4, ν = 1: e^{d/2} = 2, e^{-d/2} = 1/2, Z = 3.5
    const p = davidsonProbabilities(Math.log(4), 0);
    expect(p.a).toBeCloseTo(2 / 3.5, 12);
    expect(p.b).toBeCloseTo(0.5 / 3.5, 12);
    expect(p.tie).toBeCloseTo(1 / 3.5, 12);
  });

  it("stays finite for huge differences", () => {
    const p = davidsonProbabilities(5000, 0);
    expect(p.a).toBeCloseTo(1, 12);
    expect(p.b).toBe(0);
  });
});

describe("countPairs", () => {
  it("aggregates by unordered pair, from each side", () => {
    const pairs = countPairs(3, votes([[0, 1, A_WINS], [1, 0, A_WINS], [1, 0, B_WINS], [2, 1, TIE], [1, 2, BOTH_BAD]]));
    expect(Array.from(pairs.i)).toEqual([0, 1]);
    expect(Array.from(pairs.j)).toEqual([1, 2]);
    expect(Array.from(pairs.winsI)).toEqual([2, 0]);
    expect(Array.from(pairs.winsJ)).toEqual([1, 0]);
    expect(Array.from(pairs.ties)).toEqual([0, 2]);
    expect(Array.from(pairs.bothBad)).toEqual([0, 1]);
  });
});

describe("fitDavidson", () => {
  it("solves a two-contender case in closed form", () => {
    // 30 wins for 0, 10 for 1, 10 ties, and no prior: the MLE satisfies
    // e^{d/2}/Z = 30/50, e^{-d/2}/Z = 10/50, ν/Z = 10/50, so d = ln 3 and ν = 1/√3.
    const pairs = countPairs(2, votes([...repeat(30, [0, 1, A_WINS]), ...repeat(10, [0, 1, B_WINS]), ...repeat(10, [1, 0, TIE])]));
    const fit = fitDavidson(2, pairs, { lambda: 1e-9, etaLambda: 1e-9 });
    expect(fit.theta[0]! - fit.theta[1]!).toBeCloseTo(Math.log(3), 6);
    expect(fit.eta).toBeCloseTo(Math.log(1 / Math.sqrt(3)), 6);
    expect(fit.theta[0]! + fit.theta[1]!).toBeCloseTo(0, 9);
  });

  it("reports the hand-computed standard error", () => {
    // Two contenders, no ties in the data: the d–d element of the Fisher information is
    // m[(p+q)/4 − (p−q)²/4]; with the η coupling eliminated (Schur complement) Var(d) follows,
    // and θ0 − mean = d/2 has half its standard deviation.
    const pairs = countPairs(2, votes([...repeat(30, [0, 1, A_WINS]), ...repeat(10, [0, 1, B_WINS]), ...repeat(10, [0, 1, TIE])]));
    const fit = fitDavidson(2, pairs, { lambda: 1e-9, etaLambda: 1e-9 });
    const p = davidsonProbabilities(fit.theta[0]! - fit.theta[1]!, fit.eta);
    const m = 50;
    const hdd = m * ((p.a + p.b) / 4 - (p.a - p.b) ** 2 / 4);
    const hde = (m * (-p.tie * (p.a - p.b))) / 2;
    const hee = m * p.tie * (1 - p.tie);
    const varD = 1 / (hdd - (hde * hde) / hee);
    expect(fit.se[0]!).toBeCloseTo(Math.sqrt(varD) / 2, 5);
  });

  it("recovers planted strengths from simulated votes, independent of vote order", () => {
    const truth = [1.2, 0.5, 0, -0.4, -1.3];
    const random = seededRandom(7);
    const list: [number, number, number][] = [];
    for (let v = 0; v < 20000; v++) {
      const a = Math.floor(random() * 5);
      let b = Math.floor(random() * 4);
      if (b >= a) b++;
      const p = davidsonProbabilities(truth[a]! - truth[b]!, Math.log(0.4));
      const u = random();
      list.push([a, b, u < p.a ? A_WINS : u < p.a + p.b ? B_WINS : TIE]);
    }
    const fit = fitDavidson(5, countPairs(5, votes(list)));
    const shuffled = fitDavidson(5, countPairs(5, votes([...list].reverse())));
    for (let c = 0; c < 5; c++) {
      expect(Math.abs(fit.theta[c]! - truth[c]!)).toBeLessThan(4 * fit.se[c]! + 0.01);
      expect(fit.theta[c]!).toBeCloseTo(shuffled.theta[c]!, 9);
    }
    expect(Math.exp(fit.eta)).toBeCloseTo(0.4, 1);
  });

  it("keeps an unbeaten contender finite thanks to the prior", () => {
    const fit = fitDavidson(2, countPairs(2, votes(repeat(10, [0, 1, A_WINS]))));
    expect(Number.isFinite(fit.theta[0]!)).toBe(true);
    expect(fit.theta[0]!).toBeGreaterThan(1);
  });

  it("increases the log-likelihood over the starting point", () => {
    const pairs = countPairs(3, votes([...repeat(8, [0, 1, A_WINS]), ...repeat(5, [1, 2, A_WINS]), ...repeat(2, [2, 0, A_WINS])]));
    const fit = fitDavidson(3, pairs);
    expect(fit.logLik).toBeGreaterThan(pairLogLik(pairs, [0, 0, 0], Math.log(0.3)));
  });
});
