// Duel selection: the serving rules, and that cluster-aware selection finds a rater's taste cluster in fewer votes.
import { describe, expect, it } from "vitest";
import { normal, simulate } from "../../../eval/simulate.js";
import { type DuelIndex, type SelectionModel, clusterInformation, pickDuel } from "../../../worker/corpus/duels.js";
import { davidsonProbabilities } from "../../../worker/ratings/davidson.js";
import { type TasteModel, clusterMembership } from "../../../worker/ratings/posterior.js";
import { seededRandom } from "../../../worker/ratings/random.js";

const CONTENDERS = 12;
const contender = (i: number) => `c${i}`;

function corpus(prompts: number): DuelIndex {
  return {
    version: 1,
    prompts: Array.from({ length: prompts }, (_, p) => ({
      id: `p${p}`,
      genre: p % 2 ? "poetry" : "fiction",
      passages: Array.from({ length: CONTENDERS }, (_, c) => ({ id: `p${p}-${c}`, contender: contender(c) })),
    })),
  };
}

describe("pickDuel", () => {
  it("serves two unseen passages by different contenders on one prompt, in the genre asked", () => {
    const index = corpus(4);
    const seen = new Map<string, number>();
    const random = seededRandom(3);
    for (let i = 0; i < 2 * (CONTENDERS / 2); i++) {
      const pick = pickDuel(index, seen, random, "poetry")!;
      expect(pick.prompt === "p1" || pick.prompt === "p3").toBe(true);
      expect(pick.a.contender).not.toBe(pick.b.contender);
      expect(seen.has(pick.a.id) || seen.has(pick.b.id)).toBe(false);
      seen.set(pick.a.id, i);
      seen.set(pick.b.id, i);
    }
    // All poetry passages read: the next one is a repeat of the oldest.
    const repeat = pickDuel(index, seen, random, "poetry")!;
    expect(repeat.repeat).toBe(true);
    expect(pickDuel(index, seen, random, "opera")).toBeNull();
  });

  it("is the same for the same seed", () => {
    const a = pickDuel(corpus(3), new Map(), seededRandom(9));
    const b = pickDuel(corpus(3), new Map(), seededRandom(9));
    expect(a).toEqual(b);
  });

  it("finds a planted rater's cluster in fewer votes than random duels", () => {
    const planted = simulate({ seed: 5, contenders: CONTENDERS, raters: 1, shares: [0.4, 0.35, 0.25], clusterSpread: 1.4, individualSpread: 0, votesPerRater: 1, tieRate: 0.3 });
    const eta = Math.log(0.3);
    const shares = [0.4, 0.35, 0.25];
    const model: TasteModel = {
      fitId: 1,
      contenders: Array.from({ length: CONTENDERS }, (_, i) => contender(i)),
      global: { theta: Array.from(planted.global), eta },
      clusters: planted.clusters.map((theta, k) => ({ id: `k${k}`, share: shares[k]!, theta: Array.from(theta), eta })),
      predictor: { form: "clusters", tau: 0 },
      populations: [{ contenders: null, predictor: { form: "clusters", tau: 0 } }],
      space: null,
    };
    const index = corpus(40);
    const idx = new Map(model.contenders.map((c, i) => [c, i]));

    /** Votes a simulated rater needs before their most likely cluster is 90% sure (capped at 60). */
    const votesToFind = (informed: boolean, seed: number): { votes: number; right: boolean } => {
      const random = seededRandom(seed);
      const truth = seed % 3;
      const theta = planted.clusters[truth]!.map((t) => t + 0.3 * normal(random));
      const seen = new Map<string, number>();
      const a: number[] = [];
      const b: number[] = [];
      const y: number[] = [];
      let membership = [...shares];
      for (let n = 1; n <= 60; n++) {
        const selection: SelectionModel = { index: idx, clusters: model.clusters, membership, variance: new Array(CONTENDERS).fill(0.01) };
        const pick = pickDuel(index, seen, random, undefined, informed ? selection : null)!;
        seen.set(pick.a.id, n);
        seen.set(pick.b.id, n);
        const [i, j] = [idx.get(pick.a.contender)!, idx.get(pick.b.contender)!];
        const p = davidsonProbabilities(theta[i]! - theta[j]!, eta);
        const u = random();
        a.push(i);
        b.push(j);
        y.push(u < p.a ? 0 : u < p.a + p.b ? 1 : 2);
        membership = clusterMembership(model, a, b, y);
        const best = membership.indexOf(Math.max(...membership));
        if (membership[best]! >= 0.9) return { votes: n, right: best === truth };
      }
      return { votes: 60, right: false };
    };
    const raters = 150;
    let informedVotes = 0;
    let randomVotes = 0;
    let informedRight = 0;
    let randomRight = 0;
    for (let s = 1; s <= raters; s++) {
      const inf = votesToFind(true, s);
      const rnd = votesToFind(false, s);
      informedVotes += inf.votes;
      randomVotes += rnd.votes;
      informedRight += inf.right ? 1 : 0;
      randomRight += rnd.right ? 1 : 0;
    }
    // Informative duels should need clearly fewer votes (≥ 20% fewer on average) and be no less
    // often right about the cluster (within a few raters of noise).
    expect(informedVotes / raters).toBeLessThan(0.8 * (randomVotes / raters));
    expect(informedRight).toBeGreaterThanOrEqual(randomRight - 8);
  });

  it("scores no information for a pair every cluster agrees on", () => {
    const model: SelectionModel = {
      index: new Map([["x", 0], ["y", 1], ["z", 2]]),
      clusters: [
        { theta: [1, 0, 0], eta: -1 },
        { theta: [1, 0, 2], eta: -1 },
      ],
      membership: [0.5, 0.5],
      variance: [0.1, 0.1, 0.1],
    };
    expect(clusterInformation(model, 0, 1)).toBeCloseTo(0, 12);
    expect(clusterInformation(model, 0, 2)).toBeGreaterThan(0.05);
  });
});
