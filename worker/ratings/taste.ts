/**
 * The taste fit: global board, K chosen on held-out votes, and the predictor's form and τ chosen
 * the same way, then everything refitted on all votes. DESIGN.md §4:
 * - held out: the last 20% of each rater's votes;
 * - K grows from 1 by seeding a new cluster from the worst-fitting raters; the smallest K within
 *   one standard error (over raters) of the best held-out log-likelihood wins, so K = 1 is a
 *   possible answer;
 * - taste space: a latent-factor model with D dimensions, D and the loadings' prior scale chosen
 *   on the same held-out votes (D = 0, the global board, is a possible answer);
 * - predictor: global, clusters or factors, each alone or plus a per-rater deviation whose prior
 *   is centred on it, with its τ found by a continuous search on held-out log-likelihood; again
 *   the simplest within one standard error of the best.
 * Deterministic: no randomness at all, only fixed orders.
 */
import type { PublishedSeparation } from "../../schema/fit.js";
import { fitDavidson } from "./davidson.js";
import { type FactorFit, RaterScratch, ensurePlaced, fitFactors, raterStep, raterTheta } from "./factors.js";
import { type Base, type HeldOutScore, type RaterBase, evenSample, scoreBase, scoreHeldOut, simplestWithinOneSE } from "./heldout.js";
import { choleskyFactor, choleskySolve } from "./linalg.js";
import { maximiseOnLogScale } from "./scales.js";
import { type GlobalBoard, type MixtureModel, type MixtureOptions, type Seeding, fitMixture, growMixture, pruneClusters, singleCluster } from "./mixture.js";
import { type RaterVotes, splitHeldOut, splitMixed, weightedPairCounts } from "./votes.js";

export type PredictorForm = "global" | "clusters" | "factors" | "global+deviation" | "clusters+deviation" | "factors+deviation";

/** Forms in order of simplicity: the one-SE rule keeps the earliest close to the best. */
export const FORMS: readonly PredictorForm[] = ["global", "clusters", "factors", "global+deviation", "clusters+deviation", "factors+deviation"];

export interface Predictor {
  form: PredictorForm;
  tau: number;
}

/** A population of raters and the predictor chosen for it alone. */
export interface Population {
  id: string;
  raters: number;
  /** its contenders by index; null when there is one population */
  contenders: number[] | null;
  /** which raters belong (by index); null when there is one population */
  rater: Uint8Array | null;
  predictor: Predictor;
  forms: { form: PredictorForm; tau: number; perVote: number; accuracy: number }[];
}

/** The taste space of a fit: the factor model, every rater's position, and how D and its scale were chosen. */
export interface TasteSpace {
  fit: FactorFit;
  selection: { dim: number; scale: number; tau: number; perVote: number }[];
}

export interface TasteOptions {
  maxK?: number;
  heldOut?: number;
  /** ways to seed a new cluster; each is tried and the best (training likelihood) kept */
  seedings?: Seeding[];
  mixture?: MixtureOptions;
  /** clusters with fewer raters (by membership) than this are dropped */
  minClusterRaters?: number;
  /** EM iterations each seeding gets before the best one is run to convergence */
  screenIterations?: number;
  /** the predictor's form and τ are chosen on at most this many raters (an even sample) */
  maxFormRaters?: number;
  /** taste-space dimensions tried, in order (growing stops after two that do not help) */
  dims?: number[];
  /** D and the loadings' scale are chosen on at most this many raters */
  maxFactorRaters?: number;
  /** range searched for τ and for the loadings' scale, logits */
  tauRange?: [number, number];
  scaleRange?: [number, number];
  /** evaluations of each continuous search */
  searchSteps?: number;
  /** a group of raters with no contender in common with the rest gets its own predictor from this size */
  minPopulationRaters?: number;
  /** called after each EM run (benchmarks sample memory there) */
  onProgress?: () => void;
}

const DEFAULTS: Required<TasteOptions> = {
  maxK: 8,
  heldOut: 0.2,
  seedings: [
    { kind: "lean", fraction: 0.05, side: 1 },
    { kind: "lean", fraction: 0.05, side: -1 },
    { kind: "worst", fraction: 0.08 },
  ],
  screenIterations: 4,
  maxFormRaters: 6_000,
  dims: [1, 2, 4, 8],
  maxFactorRaters: 2_500,
  tauRange: [0.05, 20],
  scaleRange: [0.05, 1],
  searchSteps: 7,
  minPopulationRaters: 30,
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
  /** the taste space fitted on all votes (null when D = 0 won) */
  factors: TasteSpace | null;
  /** held-out log-likelihood per vote for each K tried */
  selection: { k: number; perVote: number }[];
  /** the largest population's forms, each at its best τ: held-out log-likelihood per vote and accuracy on decisive votes */
  forms: { form: PredictorForm; tau: number; perVote: number; accuracy: number }[];
  /** populations of raters with no contender in common, largest first, each with its own predictor */
  populations: Population[];
  /** agreement (ARI) between restarts of the chosen K (1 for K = 1) */
  stability: number;
  /** whether the clusters are distinct tastes or a partition of a continuum (null for K = 1) */
  separation: PublishedSeparation | null;
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

  // The predictor is chosen on held-out votes of both kinds it is asked about: votes on
  // contenders a rater never judged, and later votes on contenders they did (`splitMixed`), with
  // the chosen K's mixture refitted on that split's training votes.
  const mixed = splitMixed(votes, o.heldOut);
  const globalMixed = fitGlobal(mixed.train);
  // Warm-started from the chosen K's fit on nearly the same votes, a few EM iterations suffice.
  const mixtureMixed = trained.model.k > 1 ? fitMixture(mixed.train, trained.model, globalMixed, { ...o.mixture, maxIterations: 5 }) : null;
  o.onProgress();

  // The taste space first, fitted jointly with each rater's deviation around it (a sample of
  // raters when many), starting from the τ that global + deviation asks for.
  const sample = evenSample(mixed.test, o.maxFormRaters);
  const flat: Base = { kind: "board", of: () => boardOf(globalMixed) };
  const tauSearch = (base: Base, only: Uint8Array | null) =>
    maximiseOnLogScale((tau) => scoreBase(mixed.train, mixed.test, base, tau, undefined, only), o.tauRange, o.searchSteps, (s) => s.logLik);
  const flatDeviation = tauSearch(flat, sample);
  const factorSample = evenSample(mixed.test, o.maxFactorRaters);
  const space = mixed.test.a.length > 0 ? chooseTasteSpace(mixed.train, mixed.test, globalMixed, factorSample, flatDeviation.x, o) : null;

  // Then the predictor's form and τ, per population of raters (groups with no contender in
  // common), so one population's taste never sets another's predictor.
  const groups = findPopulations(votes, o.minPopulationRaters);
  const clusterBase: Base | null = mixtureMixed ? { kind: "mixture", model: mixtureMixed.model, resp: mixtureMixed.resp, global: globalMixed } : null;
  const populations: Population[] = groups.map((group, index) => {
    const only = groups.length === 1 ? sample : intersect(group.raters, sample);
    const scored: { form: PredictorForm; tau: number; score: HeldOutScore }[] = [];
    scored.push({ form: "global", tau: 0, score: scoreBase(mixed.train, mixed.test, flat, 0, undefined, only) });
    const deviation = groups.length === 1 ? flatDeviation : tauSearch(flat, only);
    scored.push({ form: "global+deviation", tau: round(deviation.x, 4), score: deviation.value });
    if (clusterBase) {
      scored.push({ form: "clusters", tau: 0, score: scoreBase(mixed.train, mixed.test, clusterBase, 0, undefined, only) });
      const searched = tauSearch(clusterBase, only);
      scored.push({ form: "clusters+deviation", tau: round(searched.x, 4), score: searched.value });
    }
    if (space) {
      // "factors": the same fit's positions alone, without the raters' own deviations.
      scored.push({ form: "factors", tau: 0, score: scoreBase(mixed.train, mixed.test, factorBase(mixed.train, space.joint, false), 0, undefined, only) });
      scored.push({ form: "factors+deviation", tau: space.tau, score: scoreBase(mixed.train, mixed.test, factorBase(mixed.train, space.joint), 0, undefined, only) });
    }
    const forms = FORMS.flatMap((form) => scored.filter((c) => c.form === form));
    const pick = heldOutVotes > 0 ? forms[simplestWithinOneSE(forms.map((x) => x.score))]! : forms[0]!;
    return {
      id: `p${index + 1}`,
      raters: group.count,
      contenders: groups.length === 1 ? null : group.contenders,
      rater: groups.length === 1 ? null : group.raters,
      predictor: { form: pick.form, tau: pick.tau },
      forms: forms.map((x) => ({ form: x.form, tau: x.tau, perVote: perVote(x.score), accuracy: x.score.decisive > 0 ? x.score.correct / x.score.decisive : 0 })),
    };
  });
  const main = populations[0]!;

  // Refit on every vote at the chosen K and D, warm-started from the training fits.
  const global = fitGlobal(votes);
  const final = trained.model.k === 1
    ? fitMixture(votes, singleCluster(global), global, o.mixture)
    : fitMixture(votes, trained.model, global, o.mixture);
  o.onProgress();
  // The taste space on every vote, with its joint τ (the "factors" form predicts without ε).
  const factors = space
    ? {
        // Contenders from a sample of raters when many; the rest are placed on demand (publishing
        // places only the map's sample, and any rater is placed from the published model).
        fit: fitFactors(votes, space.dim, global, { scale: space.scale, tau: space.tau, startModel: space.joint.model, iterations: 15, only: evenSample(votes, o.maxFormRaters), placeAll: false }),
        selection: space.selection,
      }
    : null;
  o.onProgress();
  return {
    global,
    mixture: final.model,
    resp: final.resp,
    factors,
    predictor: main.predictor,
    populations,
    stability: 1,
    separation: null,
    selection: candidates.map((c) => ({ k: c.model.k, perVote: perVote(c.score) })),
    forms: main.forms,
    heldOutVotes,
  };
}

/** Held-out log-likelihood per vote (0 without votes). */
function perVote(s: HeldOutScore): number {
  return s.votes > 0 ? s.logLik / s.votes : 0;
}

/**
 * Groups raters into populations: connected components of the graph of contenders joined by a
 * vote between them or by one rater judging both. Components with fewer than `minRaters`
 * raters join the largest; largest first.
 */
export function findPopulations(votes: RaterVotes, minRaters: number): { raters: Uint8Array; count: number; contenders: number[] }[] {
  const parent = Int32Array.from({ length: votes.contenders }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const join = (p: number, q: number) => {
    const x = find(p);
    const z = find(q);
    if (x !== z) parent[Math.max(x, z)] = Math.min(x, z);
  };
  for (let u = 0; u < votes.raters; u++) {
    for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) {
      join(votes.a[v]!, votes.b[v]!);
      join(votes.a[votes.start[u]!]!, votes.a[v]!);
    }
  }
  const raterRoot = new Int32Array(votes.raters).fill(-1);
  const size = new Map<number, number>();
  for (let u = 0; u < votes.raters; u++) {
    if (votes.start[u + 1] === votes.start[u]) continue;
    raterRoot[u] = find(votes.a[votes.start[u]!]!);
    size.set(raterRoot[u]!, (size.get(raterRoot[u]!) ?? 0) + 1);
  }
  const roots = [...size.keys()].sort((x, z) => size.get(z)! - size.get(x)! || x - z);
  const kept = roots.filter((r, i) => i === 0 || size.get(r)! >= minRaters);
  if (kept.length <= 1) return [{ raters: new Uint8Array(votes.raters).fill(1), count: size.size > 0 ? [...size.values()].reduce((a, b) => a + b, 0) : 0, contenders: [] }];
  const slot = new Map(kept.map((r, i) => [r, i]));
  const groups = kept.map(() => ({ raters: new Uint8Array(votes.raters), count: 0, contenders: [] as number[] }));
  for (let u = 0; u < votes.raters; u++) {
    if (raterRoot[u]! < 0) continue;
    const g = groups[slot.get(raterRoot[u]!) ?? 0]!;
    g.raters[u] = 1;
    g.count++;
  }
  for (let c = 0; c < votes.contenders; c++) {
    const i = slot.get(find(c));
    if (i !== undefined) groups[i]!.contenders.push(c);
    else groups[0]!.contenders.push(c);
  }
  return groups;
}

/** The raters in both marks (a null sample means every rater). */
function intersect(group: Uint8Array, sample: Uint8Array | null): Uint8Array {
  if (!sample) return group;
  return Uint8Array.from(group, (g, u) => g & sample[u]!);
}

/**
 * Chooses the taste space on held-out votes, one scale at a time, each fit jointly with the
 * raters' deviations: D grows through `dims` (at a middle loading scale and the global form's τ)
 * until two in a row fail to beat the best; then the loadings' scale, then τ, are searched
 * continuously, warm-started. Answers null when no D beats global + deviation by more than one
 * standard error (D = 0), else the space with its joint fit.
 */
function chooseTasteSpace(
  train: RaterVotes,
  test: RaterVotes,
  global: GlobalBoard,
  sample: Uint8Array | null,
  tau0: number,
  o: Required<TasteOptions>,
): { dim: number; scale: number; tau: number; selection: TasteSpace["selection"]; joint: FactorFit } | null {
  const per = (s: HeldOutScore) => (s.votes > 0 ? s.logLik / s.votes : 0);
  const selection: TasteSpace["selection"] = [];
  const attempt = (dim: number, scale: number, tau: number, start: FactorFit | null) => {
    const fit = fitFactors(train, dim, global, { scale, tau, start, only: sample, iterations: start ? 12 : 20, tolerance: 1e-4, placeAll: false });
    const score = scoreBase(train, test, factorBase(train, fit), 0, undefined, sample);
    selection.push({ dim, scale: round(scale, 4), tau: round(tau, 4), perVote: per(score) });
    o.onProgress();
    return { dim, scale, tau, fit, score };
  };
  // The bar to clear: global + deviation at τ0 on the same raters (D = 0).
  const reference = scoreBase(train, test, { kind: "board", of: () => boardOf(global) }, tau0, undefined, sample);
  selection.push({ dim: 0, scale: 0, tau: round(tau0, 4), perVote: per(reference) });
  const middle = Math.sqrt(o.scaleRange[0] * o.scaleRange[1]);
  let best: ReturnType<typeof attempt> | null = null;
  let misses = 0;
  for (const dim of o.dims) {
    if (misses >= 2 || dim >= train.contenders) break;
    const tried = attempt(dim, middle, tau0, null);
    if (!best || tried.score.logLik > best.score.logLik) {
      best = tried;
      misses = 0;
    } else misses++;
  }
  if (!best) return null;
  let top = best;
  const keep = (r: ReturnType<typeof attempt>) => {
    if (r.score.logLik > top.score.logLik) top = r;
    return r;
  };
  maximiseOnLogScale((scale) => keep(attempt(top.dim, scale, tau0, top.fit)), o.scaleRange, Math.max(3, o.searchSteps - 4), (r) => r.score.logLik);
  const scale = top.scale;
  maximiseOnLogScale((tau) => keep(attempt(top.dim, scale, tau, top.fit)), [Math.max(o.tauRange[0], tau0 / 4), Math.min(o.tauRange[1], tau0 * 4)], Math.max(3, o.searchSteps - 5), (r) => r.score.logLik);
  if (simplestWithinOneSE([reference, top.score]) === 0) return null;
  return { dim: top.dim, scale: round(top.scale, 4), tau: round(top.tau, 4), selection, joint: top.fit };
}

/**
 * Each rater's base under a factor fit: g + V·x_u plus their fitted deviations, with the
 * variance of each difference from the rater's joint posterior (and τ² for each contender the
 * rater never judged, whose deviation only the prior knows).
 */
export function factorBase(votes: RaterVotes, fit: FactorFit, withDeviation = true): Base {
  const { x, judged } = fit;
  // Without deviations: the same positions, read as if τ were 0.
  const model = withDeviation ? fit.model : { ...fit.model, tau: 0 };
  const dim = model.dim;
  const theta = new Float64Array(votes.contenders);
  const slotOf = new Int32Array(votes.contenders).fill(-1);
  let previous = -1;
  const tau2 = model.tau * model.tau;
  const scratch = new RaterScratch();
  return {
    kind: "board",
    of: (u) => {
      if (previous >= 0) for (let j = judged.start[previous]!; j < judged.start[previous + 1]!; j++) slotOf[judged.contender[j]!] = -1;
      previous = u;
      for (let j = judged.start[u]!; j < judged.start[u + 1]!; j++) slotOf[judged.contender[j]!] = j - judged.start[u]!;
      // Raters the contenders were not fitted on are placed on first use.
      ensurePlaced(votes, fit, u, scratch);
      raterTheta(model, x, u * dim, theta, withDeviation ? fit : undefined, u);
      // The posterior precision at the fit (Newton steps 0: measured, not moved). Like the
      // deviation forms, each block's uncertainty is taken given the others: the position's
      // from its D×D block, each deviation's from its diagonal.
      const { precision, p } = raterStep(votes, withDeviation ? fit : { ...fit, model }, u, scratch, 0);
      const block = new Float64Array(dim * dim);
      for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) block[i * dim + j] = precision[i * p + j]!;
      const l = dim > 0 ? choleskyFactor(block, dim) : null;
      const w = new Float64Array(Math.max(1, dim));
      const own = (slot: number) => (slot < 0 ? tau2 : dim + slot < p ? 1 / precision[(dim + slot) * p + dim + slot]! : 0);
      return {
        d: (a, b) => theta[a]! - theta[b]!,
        variance: (a, b) => {
          for (let i = 0; i < dim; i++) w[i] = model.v[a * dim + i]! - model.v[b * dim + i]!;
          const deviation = model.tau > 0 ? own(slotOf[a]!) + own(slotOf[b]!) : 0;
          return (l ? positionVariance(l, w, dim) : 0) + deviation;
        },
        eta: model.eta,
      };
    },
  };
}

/** wᵀ·H⁻¹·w for the Cholesky factor L of H: the squared norm of L⁻¹w. */
export function positionVariance(l: Float64Array, w: Float64Array, dim: number): number {
  let sum = 0;
  const z = new Float64Array(dim);
  for (let r = 0; r < dim; r++) {
    let s = w[r]!;
    for (let k = 0; k < r; k++) s -= l[r * dim + k]! * z[k]!;
    z[r] = s / l[r * dim + r]!;
    sum += z[r]! ** 2;
  }
  return sum;
}

function boardOf(global: GlobalBoard): RaterBase {
  const { theta, eta } = global;
  return { d: (a, b) => theta[a]! - theta[b]!, variance: () => 0, eta };
}

/** The raters the contenders' part of a factor fit is fitted on: an even sample when many (null: all). */
function sampleOf(votes: RaterVotes, max: number, atLeast: Uint8Array | null): Uint8Array | null {
  const mark = evenSample(votes, max);
  if (!mark || !atLeast) return mark;
  for (let u = 0; u < mark.length; u++) if (atLeast[u]) mark[u] = 1;
  return mark;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The global Davidson fit of rater-grouped votes (point estimates). */
export function fitGlobal(votes: RaterVotes): GlobalBoard {
  const fit = fitDavidson(votes.contenders, weightedPairCounts(votes), { intervals: false });
  return { theta: fit.theta, eta: fit.eta };
}

export { type HeldOutScore, mixtureProbabilities, raterStrengths, scoreHeldOut, simplestWithinOneSE } from "./heldout.js";
