/**
 * The taste fit: global board, K chosen on held-out votes, and the predictor's form and τ chosen
 * the same way, then everything refitted on all votes. DESIGN.md §4:
 * - held out: the last 20% of each rater's votes;
 * - K grows from 1 by seeding a new cluster from the worst-fitting raters; the smallest K within
 *   one standard error (over raters) of the best held-out log-likelihood wins, so K = 1 is a
 *   possible answer;
 * - predictor: global, clusters, or either plus a per-rater deviation with shrinkage τ, again the
 *   simplest within one standard error of the best.
 * Deterministic: no randomness at all, only fixed orders.
 */
import { fitDavidson } from "./davidson.js";
import { type HeldOutScore, evenSample, scoreHeldOut, simplestWithinOneSE } from "./heldout.js";
import { type GlobalBoard, type MixtureModel, type MixtureOptions, type Seeding, fitMixture, growMixture, pruneClusters, singleCluster } from "./mixture.js";
import { type RaterVotes, splitHeldOut, weightedPairCounts } from "./votes.js";

export type PredictorForm = "global" | "clusters" | "global+deviation" | "clusters+deviation";

export interface Predictor {
  form: PredictorForm;
  tau: number;
}

export interface TasteOptions {
  maxK?: number;
  heldOut?: number;
  taus?: number[];
  /** ways to seed a new cluster; each is tried and the best (training likelihood) kept */
  seedings?: Seeding[];
  mixture?: MixtureOptions;
  /** clusters with fewer raters (by membership) than this are dropped */
  minClusterRaters?: number;
  /** EM iterations each seeding gets before the best one is run to convergence */
  screenIterations?: number;
  /** the predictor's form and τ are chosen on at most this many raters (an even sample) */
  maxFormRaters?: number;
  /** called after each EM run (benchmarks sample memory there) */
  onProgress?: () => void;
}

const DEFAULTS: Required<TasteOptions> = {
  maxK: 8,
  heldOut: 0.2,
  taus: [0.15, 0.3, 0.6, 1.0],
  seedings: [
    { kind: "lean", fraction: 0.05, side: 1 },
    { kind: "lean", fraction: 0.05, side: -1 },
    { kind: "worst", fraction: 0.08 },
  ],
  screenIterations: 4,
  maxFormRaters: 20_000,
  onProgress: () => {},
  mixture: {},
  minClusterRaters: 3,
};

export interface TasteFit {
  global: GlobalBoard;
  mixture: MixtureModel;
  /** responsibilities on all votes, R×K */
  resp: Float64Array;
  predictor: Predictor;
  /** held-out log-likelihood per vote for each K tried */
  selection: { k: number; perVote: number }[];
  forms: { form: PredictorForm; tau: number; perVote: number }[];
  heldOutVotes: number;
}

/** Fits the global board, the taste clusters and the predictor. */
export function fitTaste(votes: RaterVotes, options: TasteOptions = {}): TasteFit {
  const o = { ...DEFAULTS, ...options };
  const { train, test } = splitHeldOut(votes, o.heldOut);
  const globalTrain = fitGlobal(train);
  const heldOutVotes = test.a.length;

  // K selection on held-out votes.
  type Candidate = { model: MixtureModel; resp: Float64Array; logLik: number; score: HeldOutScore };
  const candidates: Candidate[] = [];
  const first = fitMixture(train, singleCluster(globalTrain), globalTrain, o.mixture);
  candidates.push({ ...first, score: scoreHeldOut(train, test, first.model, first.resp, globalTrain, 0) });
  let bestIndex = 0;
  let misses = 0;
  // Compare K−1, K, K+1 (DESIGN.md §4): growing stops at the first K that does not beat the best.
  while (heldOutVotes > 0 && candidates.length < o.maxK && misses < 1) {
    const prev = candidates[candidates.length - 1]!;
    // Several seedings of the new cluster, screened by a few EM iterations each; the best
    // non-degenerate one (training likelihood) is then run to convergence.
    let lead: ReturnType<typeof fitMixture> | null = null;
    for (const seeding of o.seedings) {
      const grown = growMixture(train, prev.model, globalTrain, seeding, o.mixture);
      const fit = fitMixture(train, grown.model, globalTrain, { ...o.mixture, maxIterations: o.screenIterations }, grown.resp);
      o.onProgress();
      if (pruneClusters(fit.model, fit.resp, train.raters, o.minClusterRaters)) continue;
      if (!lead || fit.logLik > lead.logLik) lead = fit;
    }
    if (!lead) break;
    const best = fitMixture(train, lead.model, globalTrain, o.mixture, lead.resp);
    if (pruneClusters(best.model, best.resp, train.raters, o.minClusterRaters)) break;
    const score = scoreHeldOut(train, test, best.model, best.resp, globalTrain, 0);
    candidates.push({ ...best, score });
    if (score.logLik > candidates[bestIndex]!.score.logLik) {
      bestIndex = candidates.length - 1;
      misses = 0;
    } else misses++;
  }
  const chosen = simplestWithinOneSE(candidates.map((c) => c.score));
  const trained = candidates[chosen]!;

  // Predictor form and τ on held-out votes, with the chosen K's training fit (on an even sample
  // of raters when there are very many: deviations cost a Newton solve per rater and τ).
  const sample = evenSample(test, o.maxFormRaters);
  const options_: { form: PredictorForm; tau: number; score: HeldOutScore }[] = [];
  options_.push({ form: "global", tau: 0, score: scoreHeldOut(train, test, null, null, globalTrain, 0, undefined, sample) });
  if (trained.model.k > 1) options_.push({ form: "clusters", tau: 0, score: scoreHeldOut(train, test, trained.model, trained.resp, globalTrain, 0, undefined, sample) });
  for (const tau of o.taus) options_.push({ form: "global+deviation", tau, score: scoreHeldOut(train, test, null, null, globalTrain, tau, undefined, sample) });
  if (trained.model.k > 1) {
    for (const tau of o.taus) options_.push({ form: "clusters+deviation", tau, score: scoreHeldOut(train, test, trained.model, trained.resp, globalTrain, tau, undefined, sample) });
  }
  const pick = heldOutVotes > 0 ? options_[simplestWithinOneSE(options_.map((x) => x.score))]! : options_[0]!;

  // Refit on every vote at the chosen K, warm-started from the training fit.
  const global = fitGlobal(votes);
  const final = trained.model.k === 1
    ? fitMixture(votes, singleCluster(global), global, o.mixture)
    : fitMixture(votes, trained.model, global, o.mixture);
  o.onProgress();
  const per = (s: HeldOutScore) => (s.votes > 0 ? s.logLik / s.votes : 0);
  return {
    global,
    mixture: final.model,
    resp: final.resp,
    predictor: { form: pick.form, tau: pick.tau },
    selection: candidates.map((c) => ({ k: c.model.k, perVote: per(c.score) })),
    forms: options_.map((x) => ({ form: x.form, tau: x.tau, perVote: per(x.score) })),
    heldOutVotes,
  };
}

/** The global Davidson fit of rater-grouped votes (point estimates). */
export function fitGlobal(votes: RaterVotes): GlobalBoard {
  const fit = fitDavidson(votes.contenders, weightedPairCounts(votes), { intervals: false });
  return { theta: fit.theta, eta: fit.eta };
}

export { type HeldOutScore, mixtureProbabilities, raterStrengths, scoreHeldOut, simplestWithinOneSE } from "./heldout.js";
