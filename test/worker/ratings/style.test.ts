// Length control: the covariate fit recovers a planted length effect and drops a contender that wins only by writing more.
import { describe, expect, it } from "vitest";
import { normal } from "../../../eval/simulate.js";
import { davidsonProbabilities, countPairs, fitDavidson } from "../../../worker/ratings/davidson.js";
import { seededRandom } from "../../../worker/ratings/random.js";
import { countCovariate, fitLengthControlled, lengthCovariate } from "../../../worker/ratings/style.js";

/** Planted arena: contender 0 is average but writes twice as long as everyone; γ = 1.5. */
function planted(seed: number, gamma: number) {
  const random = seededRandom(seed);
  const n = 8;
  const theta = [0, 0.9, 0.6, 0.3, 0, -0.3, -0.6, -0.9];
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  const x: number[] = [];
  for (let v = 0; v < 20000; v++) {
    const i = Math.floor(random() * n);
    let j = Math.floor(random() * (n - 1));
    if (j >= i) j++;
    // Lengths vary around 120 words; contender 0's passages run about 240.
    const words = (c: number) => Math.max(20, Math.round((c === 0 ? 240 : 120) * Math.exp(0.2 * normal(random))));
    const cov = lengthCovariate(words(i), words(j));
    const p = davidsonProbabilities(theta[i]! - theta[j]! + gamma * cov, Math.log(0.3));
    const u = random();
    a.push(i);
    b.push(j);
    x.push(cov);
    y.push(u < p.a ? 0 : u < p.a + p.b ? 1 : 2);
  }
  return { n, theta, votes: { a: Int32Array.from(a), b: Int32Array.from(b), y: Uint8Array.from(y), x: Float64Array.from(x) } };
}

describe("length-controlled Davidson-BT", () => {
  it("recovers the planted length coefficient within its interval", () => {
    const { n, votes } = planted(1, 1.5);
    const fit = fitLengthControlled(n, countCovariate(n, votes));
    expect(Math.abs(fit.gamma - 1.5)).toBeLessThan(3 * fit.gammaSe + 0.05);
    expect(fit.gammaSe).toBeLessThan(0.2);
  });

  it("drops a contender that wins only by being longer", () => {
    const { n, theta, votes } = planted(2, 1.5);
    const plain = fitDavidson(n, countPairs(n, votes));
    const controlled = fitLengthControlled(n, countCovariate(n, votes));
    // Plain, the long writer (truly average) beats contender 3 (truly +0.3); controlled, it does not,
    // and its strength relative to the field is back near its true 0.
    expect(plain.theta[0]!).toBeGreaterThan(plain.theta[3]! + 0.1);
    expect(controlled.theta[0]!).toBeLessThan(controlled.theta[3]! - 0.1);
    const centred = controlled.theta[0]! - controlled.theta.reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(centred - theta[0]!)).toBeLessThan(0.1);
  });

  it("finds no length effect where there is none, and then matches the plain board", () => {
    const { n, votes } = planted(3, 0);
    const fit = fitLengthControlled(n, countCovariate(n, votes));
    expect(Math.abs(fit.gamma)).toBeLessThan(3 * fit.gammaSe);
    const plain = fitDavidson(n, countPairs(n, votes));
    for (let c = 0; c < n; c++) expect(Math.abs(fit.theta[c]! - plain.theta[c]!)).toBeLessThan(0.08);
  });

  it("treats unknown lengths as no difference", () => {
    expect(lengthCovariate(100, 300)).toBeCloseTo(-0.5, 12);
    expect(lengthCovariate(null, 300)).toBe(0);
  });
});
