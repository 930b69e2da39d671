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
import { DeviationScratch, fitDeviation, outcomeLogProb } from "./deviation.js";
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

/** One candidate's held-out score: total log-likelihood and per-rater sums. */
export interface HeldOutScore {
  logLik: number;
  votes: number;
  perRater: Float64Array;
}

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

/**
 * Index of the simplest candidate (the earliest in the list) whose held-out log-likelihood is
 * within one standard error of the best; the error is over raters, from per-rater differences.
 */
export function simplestWithinOneSE(scores: HeldOutScore[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]!.logLik > scores[best]!.logLik) best = i;
  for (let i = 0; i < best; i++) {
    const a = scores[best]!.perRater;
    const b = scores[i]!.perRater;
    let n = 0;
    let sum = 0;
    let sumSq = 0;
    for (let u = 0; u < a.length; u++) {
      const d = a[u]! - b[u]!;
      if (d === 0 && a[u] === 0) continue;
      n++;
      sum += d;
      sumSq += d * d;
    }
    if (n < 2) return i;
    const mean = sum / n;
    const se = Math.sqrt(Math.max(0, sumSq / n - mean * mean) / (n - 1)) * n;
    if (sum <= se) return i;
  }
  return best;
}

/**
 * Scores held-out votes: each rater's strengths are the global board or their cluster mixture
 * (responsibilities from training votes), plus a deviation fitted on their training votes when
 * τ > 0. Answers the log-likelihood and, through `probs`, each vote's outcome probabilities.
 */
export function scoreHeldOut(
  train: RaterVotes,
  test: RaterVotes,
  model: MixtureModel | null,
  resp: Float64Array | null,
  global: GlobalBoard,
  tau: number,
  probs?: { a: Float64Array; b: Float64Array; tie: Float64Array },
  only?: Uint8Array | null,
): HeldOutScore {
  const perRater = new Float64Array(test.raters);
  const scratch = new DeviationScratch(train.contenders);
  const baseD = new Float64Array(Math.max(1, maxRaterVotes(train)));
  let total = 0;
  for (let u = 0; u < test.raters; u++) {
    const ts = test.start[u]!;
    const te = test.start[u + 1]!;
    if (te === ts || (only && !only[u])) continue;
    const rater = raterStrengths(model, resp, global, u);
    const s = train.start[u]!;
    const e = train.start[u + 1]!;
    if (tau > 0 && e > s) {
      for (let v = s; v < e; v++) baseD[v - s] = rater.d(train.a[v]!, train.b[v]!);
      fitDeviation({ a: train.a, b: train.b, y: train.y, from: s, to: e, baseD, eta: rater.eta }, tau, scratch);
    } else scratch.reset();
    let sum = 0;
    // Without a deviation, clusters predict by the mixture itself, Σ_k r_uk P_k(y), which is
    // better calibrated than one averaged board while the rater's cluster is still uncertain.
    const mixture = tau === 0 && model && resp && model.k > 1 ? { model, resp } : null;
    const p = [0, 0, 0];
    for (let v = ts; v < te; v++) {
      const a = test.a[v]!;
      const b = test.b[v]!;
      if (mixture) mixtureProbabilities(mixture.model, mixture.resp, u, a, b, p);
      else {
        const d = rater.d(a, b) + scratch.eps[a]! - scratch.eps[b]!;
        for (let y = 0; y < 3; y++) p[y] = Math.exp(outcomeLogProb(d, rater.eta, y));
      }
      const y = test.y[v]!;
      sum += Math.log(p[y === 0 ? 0 : y === 1 ? 1 : 2]!);
      if (probs) {
        probs.a[v] = p[0]!;
        probs.b[v] = p[1]!;
        probs.tie[v] = p[2]!;
      }
    }
    perRater[u] = sum;
    total += sum;
  }
  let votes = 0;
  for (let u = 0; u < test.raters; u++) if (!only || only[u]) votes += test.start[u + 1]! - test.start[u]!;
  return { logLik: total, votes, perRater };
}

/** Marks an even sample of at most `max` raters with held-out votes (null: all of them). */
function evenSample(test: RaterVotes, max: number): Uint8Array | null {
  const withVotes: number[] = [];
  for (let u = 0; u < test.raters; u++) if (test.start[u + 1]! > test.start[u]!) withVotes.push(u);
  if (withVotes.length <= max) return null;
  const mark = new Uint8Array(test.raters);
  const stride = withVotes.length / max;
  for (let i = 0; i < max; i++) mark[withVotes[Math.floor(i * stride)]!] = 1;
  return mark;
}

/** Writes Σ_k r_uk P_k(a wins, b wins, tie) into `out`. */
export function mixtureProbabilities(model: MixtureModel, resp: Float64Array, u: number, a: number, b: number, out: number[]): void {
  out[0] = out[1] = out[2] = 0;
  for (let c = 0; c < model.k; c++) {
    const r = resp[u * model.k + c]!;
    if (r < 1e-9) continue;
    const d = model.theta[c]![a]! - model.theta[c]![b]!;
    for (let y = 0; y < 3; y++) out[y]! += r * Math.exp(outcomeLogProb(d, model.eta[c]!, y));
  }
}

/** A rater's strength difference function and tie parameter under the global or mixture base. */
export function raterStrengths(model: MixtureModel | null, resp: Float64Array | null, global: GlobalBoard, u: number): { d: (a: number, b: number) => number; eta: number } {
  if (!model || !resp || model.k === 1) {
    const theta = model?.k === 1 ? model.theta[0]! : global.theta;
    const eta = model?.k === 1 ? model.eta[0]! : global.eta;
    return { d: (a, b) => theta[a]! - theta[b]!, eta };
  }
  const k = model.k;
  const weights: number[] = [];
  const thetas: Float64Array[] = [];
  let eta = 0;
  for (let c = 0; c < k; c++) {
    const r = resp[u * k + c]!;
    eta += r * model.eta[c]!;
    if (r > 1e-6) {
      weights.push(r);
      thetas.push(model.theta[c]!);
    }
  }
  return {
    d: (a, b) => {
      let d = 0;
      for (let i = 0; i < weights.length; i++) d += weights[i]! * (thetas[i]![a]! - thetas[i]![b]!);
      return d;
    },
    eta,
  };
}

function maxRaterVotes(votes: RaterVotes): number {
  let max = 0;
  for (let u = 0; u < votes.raters; u++) max = Math.max(max, votes.start[u + 1]! - votes.start[u]!);
  return max;
}
