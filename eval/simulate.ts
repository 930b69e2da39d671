/**
 * Planted taste data for the evaluation harness and tests: contenders with global strengths,
 * K planted clusters that shift some contenders, raters with individual noise, a realistic spread
 * of votes per rater, and ties. Seeded, so every run is the same.
 */
import { davidsonProbabilities } from "../worker/ratings/davidson.js";
import { randomInt, seededRandom } from "../worker/ratings/random.js";

export interface Scenario {
  seed: number;
  contenders: number;
  raters: number;
  /** planted cluster shares (length K; sums to 1); [1] for no clusters */
  shares: number[];
  /** sd of each cluster's offset from the global strengths, logits */
  clusterSpread: number;
  /** sd of each rater's own offset, logits */
  individualSpread: number;
  /** votes per rater: a fixed number, "spread" (many 3–10, some 100+) or "light" (fewer heavy raters) */
  votesPerRater: number | "spread" | "light";
  /** Davidson ν */
  tieRate: number;
}

export interface Planted {
  scenario: Scenario;
  global: Float64Array;
  clusters: Float64Array[];
  /** planted cluster of each rater */
  truth: Int32Array;
  /** each rater's true strengths */
  raterTheta: Float64Array[];
  rater: Int32Array;
  a: Int32Array;
  b: Int32Array;
  y: Uint8Array;
}

/** A standard normal draw (Box-Muller). */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Votes per rater in the "spread" setting: 60% 3–10, 30% 11–40, 10% 100–200. */
export function spreadVotes(random: () => number): number {
  const x = random();
  if (x < 0.6) return 3 + randomInt(random, 8);
  if (x < 0.9) return 11 + randomInt(random, 30);
  return 100 + randomInt(random, 101);
}

/** Votes per rater in the "light" setting (mean about 16): 70% 3–10, 27% 11–40, 3% 100–200. */
export function lightVotes(random: () => number): number {
  const x = random();
  if (x < 0.7) return 3 + randomInt(random, 8);
  if (x < 0.97) return 11 + randomInt(random, 30);
  return 100 + randomInt(random, 101);
}

/** Draws a planted data set; votes come in rater order, each rater's in time order. */
export function simulate(s: Scenario): Planted {
  const random = seededRandom(s.seed);
  const global = Float64Array.from({ length: s.contenders }, () => normal(random));
  const clusters = s.shares.map((_, k) =>
    k === 0 && s.shares.length > 1 ? Float64Array.from(global) : Float64Array.from(global, (g) => g + s.clusterSpread * normal(random)),
  );
  if (s.shares.length === 1) clusters[0] = Float64Array.from(global);
  const truth = new Int32Array(s.raters);
  const raterTheta: Float64Array[] = [];
  const rater: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  const eta = Math.log(s.tieRate);
  const cumulative = s.shares.map((_, i) => s.shares.slice(0, i + 1).reduce((x, z) => x + z, 0));
  for (let u = 0; u < s.raters; u++) {
    const x = random();
    const k = Math.max(0, cumulative.findIndex((c) => x < c));
    truth[u] = k;
    const theta = Float64Array.from(clusters[k]!, (t) => t + s.individualSpread * normal(random));
    raterTheta.push(theta);
    const n = s.votesPerRater === "spread" ? spreadVotes(random) : s.votesPerRater === "light" ? lightVotes(random) : s.votesPerRater;
    for (let v = 0; v < n; v++) {
      const i = randomInt(random, s.contenders);
      let j = randomInt(random, s.contenders - 1);
      if (j >= i) j++;
      const p = davidsonProbabilities(theta[i]! - theta[j]!, eta);
      const r = random();
      rater.push(u);
      a.push(i);
      b.push(j);
      // A tie is a "both bad" a third of the time; both count as ties for strength.
      y.push(r < p.a ? 0 : r < p.a + p.b ? 1 : random() < 1 / 3 ? 3 : 2);
    }
  }
  return { scenario: s, global, clusters, truth, raterTheta, rater: Int32Array.from(rater), a: Int32Array.from(a), b: Int32Array.from(b), y: Uint8Array.from(y) };
}
