// Covers worker/ratings/posterior.ts: placing a rater under a published taste model (membership, board, predictions, votes to settle).
import { describe, expect, it } from "vitest";
import { POINTS_PER_LOGIT } from "../../../worker/ratings/board.js";
import { davidsonProbabilities } from "../../../worker/ratings/davidson.js";
import { type RaterVote, type TasteModel, clusterMembership, predictPair, raterPosterior, votesToSettle } from "../../../worker/ratings/posterior.js";
import { seededRandom } from "../../../worker/ratings/random.js";

// Two clusters with opposite tastes over six contenders; A is the majority (70%).
const A = [1.5, 1, 0.5, -0.5, -1, -1.5];
const B = A.map((x) => -x);
const IDS = A.map((_, i) => `c${i}`);
const ETA = Math.log(0.3);

function model(overrides: Partial<TasteModel> = {}, shares = [0.7, 0.3]): TasteModel {
  return {
    fitId: 1,
    contenders: IDS,
    global: { theta: [0, 0, 0, 0, 0, 0], eta: ETA },
    clusters: [
      { id: "c1", share: shares[0]!, theta: A, eta: ETA },
      { id: "c2", share: shares[1]!, theta: B, eta: ETA },
    ],
    predictor: { form: "clusters", tau: 0 },
    space: null,
    ...overrides,
    populations: [{ contenders: null, predictor: overrides.predictor ?? { form: "clusters", tau: 0 } }],
  };
}

/** n votes drawn from strengths θ on uniformly random pairs. */
function sample(theta: number[], n: number, seed: number): RaterVote[] {
  const random = seededRandom(seed);
  const out: RaterVote[] = [];
  for (let v = 0; v < n; v++) {
    const i = Math.floor(random() * 6);
    let j = Math.floor(random() * 5);
    if (j >= i) j++;
    const p = davidsonProbabilities(theta[i]! - theta[j]!, ETA);
    const x = random();
    out.push({ a: IDS[i]!, b: IDS[j]!, winner: x < p.a ? "a" : x < p.a + p.b ? "b" : random() < 1 / 3 ? "both_bad" : "tie" });
  }
  return out;
}

/** Votes where B's favourite always wins: c5 > c4 > ... > c0. */
const B_VOTES: RaterVote[] = [
  { a: "c5", b: "c0", winner: "a" },
  { a: "c1", b: "c4", winner: "b" },
  { a: "c3", b: "c2", winner: "a" },
  { a: "c0", b: "c3", winner: "b" },
  { a: "c5", b: "c2", winner: "a" },
  { a: "c1", b: "c3", winner: "b" },
  { a: "c4", b: "c0", winner: "a" },
  { a: "c2", b: "c5", winner: "b" },
];

/** Membership of B computed independently: Bayes' rule with Davidson probabilities. */
function handMembershipB(m: TasteModel, votes: RaterVote[]): number {
  let logOdds = Math.log(m.clusters[1]!.share / m.clusters[0]!.share);
  for (const v of votes) {
    const i = IDS.indexOf(v.a);
    const j = IDS.indexOf(v.b);
    const pa = davidsonProbabilities(A[i]! - A[j]!, ETA);
    const pb = davidsonProbabilities(B[i]! - B[j]!, ETA);
    const key = v.winner === "a" ? "a" : v.winner === "b" ? "b" : "tie";
    logOdds += Math.log(pb[key] / pa[key]);
  }
  return 1 / (1 + Math.exp(-logOdds));
}

describe("raterPosterior", () => {
  it("puts a rater whose votes follow cluster B in B with p > 0.95 after 10 votes", () => {
    const m = model();
    for (const seed of [1, 2, 3]) {
      const votes = sample(B, 10, seed);
      const post = raterPosterior(m, votes);
      expect(post.votes).toBe(10);
      // B starts at 30%; with these opposite tastes one decisive vote moves the log-odds by |θa − θb|.
      expect(post.membership[1]!).toBeGreaterThan(0.95);
      expect(post.membership[1]!).toBeCloseTo(handMembershipB(m, votes), 10);
      expect(post.membership[0]! + post.membership[1]!).toBeCloseTo(1, 12);
      expect(post.basis).toBe("cluster");
    }
    // And one following A lands in A.
    expect(raterPosterior(m, sample(A, 10, 4)).membership[0]!).toBeGreaterThan(0.95);
  });

  it("gives a rater with no votes the shares as membership and the global basis", () => {
    const post = raterPosterior(model(), []);
    expect(post.votes).toBe(0);
    expect(post.basis).toBe("global");
    expect(post.membership[0]).toBeCloseTo(0.7, 12);
    expect(post.membership[1]).toBeCloseTo(0.3, 12);
    expect(post.eta).toBeCloseTo(ETA, 12);
  });

  // Known bug (reported): with a "clusters" predictor, raterPosterior(model, []) returns the
  // share-weighted cluster board (here 0.7·A + 0.3·B = 0.4·A, θ = [0.6, 0.4, …]) while labelling it
  // basis "global"; its docstring and DESIGN.md §4 say a rater with no votes gets the global board
  // (θ = 0 here), as predictPair(model, null, …) does. Flip to it() once fixed.
  it("gives a rater with no votes the global board itself", () => {
    const m = model();
    const post = raterPosterior(m, []);
    for (let c = 0; c < 6; c++) expect(post.theta[c]).toBeCloseTo(m.global.theta[c]!, 9);
    expect(predictPair(m, post, 0, 5)).toEqual(predictPair(m, null, 0, 5));
  });

  it("ignores votes on unknown contenders and self-pairs", () => {
    const post = raterPosterior(model(), [{ a: "zz", b: "c1", winner: "a" }, { a: "c2", b: "c2", winner: "a" }, ...B_VOTES.slice(0, 2)]);
    expect(post.votes).toBe(2);
    expect(post.membership).toEqual(raterPosterior(model(), B_VOTES.slice(0, 2)).membership);
  });

  it("reports the quirk as the RMS distance from the global board in rating points", () => {
    const post = raterPosterior(model(), B_VOTES);
    // θ = r_A·A + r_B·B = (r_B − r_A)·B, and RMS(B) = √(3.5/3).
    const expected = POINTS_PER_LOGIT * (post.membership[1]! - post.membership[0]!) * Math.sqrt(3.5 / 3);
    expect(Math.abs(post.quirk - expected)).toBeLessThanOrEqual(0.05);
  });

  it("adds a deviation under a deviation form: basis 'rater', sd below τ only where the rater voted", () => {
    const tau = 0.6;
    const m = model({ predictor: { form: "clusters+deviation", tau } });
    // Only c0..c3 judged; the rater prefers c2 over c3 even more than B does.
    const votes: RaterVote[] = [...B_VOTES.filter((v) => ![v.a, v.b].some((x) => x === "c4" || x === "c5")), ...Array.from({ length: 6 }, () => ({ a: "c2", b: "c3", winner: "b" as const }))];
    const post = raterPosterior(m, votes);
    expect(post.basis).toBe("rater");
    const clustersOnly = raterPosterior(model(), votes);
    expect(post.membership).toEqual(clustersOnly.membership);
    for (const c of [4, 5]) {
      expect(post.sd[c]).toBe(tau);
      expect(post.theta[c]).toBe(clustersOnly.theta[c]);
    }
    for (const c of [0, 1, 2, 3]) expect(post.sd[c]!).toBeLessThan(tau);
    // The deviation leans the rater's way: c3 gains on c2 relative to the cluster mixture.
    expect(post.theta[3]! - post.theta[2]!).toBeGreaterThan(clustersOnly.theta[3]! - clustersOnly.theta[2]!);
    // Under "global+deviation" the base is the global board, not the clusters.
    const g = raterPosterior(model({ predictor: { form: "global+deviation", tau } }), votes);
    expect(g.theta[5]).toBe(0);
    expect(g.theta[3]!).toBeGreaterThan(g.theta[2]!);
  });
});

describe("predictPair", () => {
  it("sums to 1 and favours the rater's taste", () => {
    const m = model();
    const b = raterPosterior(m, sample(B, 10, 1));
    const a = raterPosterior(m, sample(A, 10, 4));
    for (const [i, j] of [
      [5, 0],
      [3, 2],
      [4, 1],
    ] as const) {
      for (const post of [a, b, null]) {
        const p = predictPair(m, post, i, j);
        expect(p.a + p.b + p.tie).toBeCloseTo(1, 12);
      }
      // i is B's favourite of the pair: the B-rater picks i, the A-rater picks j.
      expect(predictPair(m, b, i, j).a).toBeGreaterThan(predictPair(m, b, i, j).b);
      expect(predictPair(m, a, i, j).a).toBeLessThan(predictPair(m, a, i, j).b);
      // Without a posterior: the global board, on which the two are level here.
      const g = predictPair(m, null, i, j);
      expect(g.a).toBeCloseTo(g.b, 12);
    }
    // Under the "clusters" form it is the mixture of the clusters' predictions, Σ_k r_k P_k.
    const p = predictPair(m, b, 5, 0);
    const pa = davidsonProbabilities(A[5]! - A[0]!, ETA);
    const pb = davidsonProbabilities(B[5]! - B[0]!, ETA);
    const [ra, rb] = b.membership as [number, number];
    expect(p.a).toBeCloseTo(ra * pa.a + rb * pb.a, 12);
    expect(p.b).toBeCloseTo(ra * pa.b + rb * pb.b, 12);
    expect(p.tie).toBeCloseTo(ra * pa.tie + rb * pb.tie, 12);
  });

  it("predicts from the rater's own strengths under a deviation form", () => {
    const m = model({ predictor: { form: "clusters+deviation", tau: 0.5 } });
    const post = raterPosterior(m, sample(B, 10, 1));
    const p = predictPair(m, post, 5, 0);
    // The rater's strengths, with the uncertainty of both deviations folded in (probit approximation):
    // less sure than the point estimate alone, on the same side.
    const variance = post.sd[5]! ** 2 + post.sd[0]! ** 2;
    expect(p).toEqual(davidsonProbabilities((post.theta[5]! - post.theta[0]!) / Math.sqrt(1 + (Math.PI * variance) / 8), post.eta));
    expect(p.a).toBeGreaterThan(0.5);
    expect(p.a).toBeLessThan(davidsonProbabilities(post.theta[5]! - post.theta[0]!, post.eta).a);
  });
});

describe("votesToSettle", () => {
  it("decreases as consistent votes accumulate and is 0 once the top cluster is 95% likely", () => {
    const m = model({}, [0.5, 0.5]);
    const counts: number[] = [];
    const top: number[] = [];
    for (let n = 0; n <= B_VOTES.length; n++) {
      const post = raterPosterior(m, B_VOTES.slice(0, n));
      counts.push(post.votesToSettle!);
      top.push(Math.max(...post.membership));
    }
    expect(counts[0]!).toBeGreaterThan(0);
    for (let n = 1; n < counts.length; n++) {
      if (counts[n - 1] === 0) expect(counts[n]).toBe(0);
      else expect(counts[n]!).toBeLessThan(counts[n - 1]!);
      expect(counts[n] === 0).toBe(top[n]! >= 0.95);
    }
    expect(counts[counts.length - 1]).toBe(0);
  });

  it("predicts roughly how many votes a new rater needs", () => {
    // From even shares, simulate raters of B voting until their top cluster reaches 95%: the mean
    // number of votes should match the estimate at zero votes within ±50% (it ignores overshoot
    // and the spread of information between pairs).
    const m = model({}, [0.5, 0.5]);
    const predicted = votesToSettle(m, [0.5, 0.5])!;
    let total = 0;
    const raters = 200;
    for (let r = 0; r < raters; r++) {
      const votes = sample(B, 60, 100 + r);
      let n = 1;
      while (n < votes.length && Math.max(...clusterMembershipOf(m, votes.slice(0, n))) < 0.95) n++;
      total += n;
    }
    const mean = total / raters;
    expect(mean).toBeGreaterThan(predicted * 0.5);
    expect(mean).toBeLessThan(predicted * 1.5);
  });

  it("is null with one cluster, or when the clusters cannot be told apart", () => {
    const one = model({ clusters: [{ id: "c1", share: 1, theta: A, eta: ETA }] });
    expect(votesToSettle(one, [1])).toBeNull();
    expect(raterPosterior(one, B_VOTES).votesToSettle).toBeNull();
    expect(raterPosterior(one, B_VOTES).membership).toEqual([1]);
    const twins = model({ clusters: [{ id: "c1", share: 0.5, theta: A, eta: ETA }, { id: "c2", share: 0.5, theta: A, eta: ETA }] });
    expect(votesToSettle(twins, [0.5, 0.5])).toBeNull();
  });
});

function clusterMembershipOf(m: TasteModel, votes: RaterVote[]): number[] {
  const code = { a: 0, b: 1, tie: 2, both_bad: 3 } as const;
  return clusterMembership(
    m,
    votes.map((v) => IDS.indexOf(v.a)),
    votes.map((v) => IDS.indexOf(v.b)),
    votes.map((v) => code[v.winner]),
  );
}
