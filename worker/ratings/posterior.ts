/**
 * One rater under a published taste model: cluster membership from their votes, their board
 * (cluster mixture plus deviation, as the fit's predictor says), quirk, how many votes would
 * settle their cluster, and predictions. Used per request by Rater objects (their own votes) and
 * by the Arena (any rater in the log); it applies a published fit, it never refits one.
 */
import { davidsonProbabilities } from "./davidson.js";
import { DeviationScratch, fitDeviation, outcomeLogProb } from "./deviation.js";
import { POINTS_PER_LOGIT } from "./board.js";
import { type FactorFit, type FactorModel, judgedContenders, raterStep } from "./factors.js";
import { choleskyFactor, choleskyInverse } from "./linalg.js";
import type { Predictor } from "./taste.js";
import { groupVotes } from "./votes.js";

/** The taste space as raters are placed in it: model, map origin and axes. */
export interface TasteSpaceModel {
  dim: number;
  scale: number;
  tau: number;
  eta: number;
  g: number[];
  /** loadings, contenders × dim, row-major */
  v: number[];
  origin: number[];
  axes: { direction: number[]; positive: string[]; negative: string[] }[];
}

/** What a published fit says about taste, compactly: enough to place any rater. */
export interface TasteModel {
  fitId: number;
  contenders: string[];
  global: { theta: number[]; eta: number };
  clusters: { id: string; share: number; theta: number[]; eta: number }[];
  /** the largest population's predictor */
  predictor: Predictor;
  /** each population's contenders (null: every contender) and predictor, largest first */
  populations: { contenders: number[] | null; predictor: Predictor }[];
  space: TasteSpaceModel | null;
}

/** Where a rater sits in the taste space: position, its sd per dimension, and map coordinates. */
export interface TastePlace {
  vector: number[];
  sd: number[];
  x: number;
  y: number;
}

/** A rater's vote by contender ids; `winner` is from a's side. */
export interface RaterVote {
  a: string;
  b: string;
  winner: "a" | "b" | "tie" | "both_bad";
}

export interface RaterPosterior {
  votes: number;
  /** probability of each cluster, in model.clusters order */
  membership: number[];
  /** strengths by contender index, logits */
  theta: Float64Array;
  /** standard error of each strength (τ for contenders the rater has not judged) */
  sd: Float64Array;
  eta: number;
  basis: "rater" | "cluster" | "factors" | "global";
  /** the predictor used (the rater's population's) */
  predictor: Predictor;
  /** position in the taste space (null without a space or votes) */
  place: TastePlace | null;
  /** RMS distance from the global board, in rating points */
  quirk: number;
  votesToSettle: number | null;
}

const OUTCOME = { a: 0, b: 1, tie: 2, both_bad: 3 } as const;
const SETTLED = 0.95;

/** Places a rater under the model from their votes (an empty list gives the global board). */
export function raterPosterior(model: TasteModel, votes: readonly RaterVote[]): RaterPosterior {
  const index = new Map(model.contenders.map((id, i) => [id, i]));
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  for (const v of votes) {
    const ia = index.get(v.a);
    const ib = index.get(v.b);
    if (ia === undefined || ib === undefined || ia === ib) continue;
    a.push(ia);
    b.push(ib);
    y.push(OUTCOME[v.winner]);
  }
  const k = model.clusters.length;
  const membership = clusterMembership(model, a, b, y);
  const n = model.contenders.length;
  const predictor = populationPredictor(model, a);
  const form = predictor.form;
  const place = model.space && a.length > 0 ? placeInSpace(model.space, n, a, b, y) : null;
  // A rater with no (usable) votes gets the global board, whatever the predictor.
  const useClusters = k > 1 && a.length > 0 && (form === "clusters" || form === "clusters+deviation");
  const useFactors = place !== null && (form === "factors" || form === "factors+deviation");
  const theta = new Float64Array(n);
  let eta = 0;
  const sd = new Float64Array(n);
  if (useFactors) {
    theta.set(form === "factors" ? place.theta : place.thetaWithDeviation);
    sd.set(form === "factors" ? place.sd : place.sdWithDeviation);
    eta = model.space!.eta;
  } else if (useClusters) {
    for (let c = 0; c < k; c++) {
      const cl = model.clusters[c]!;
      for (let i = 0; i < n; i++) theta[i]! += membership[c]! * cl.theta[i]!;
      eta += membership[c]! * cl.eta;
    }
  } else {
    theta.set(model.global.theta);
    eta = model.global.eta;
  }
  const tau = !useFactors && form.endsWith("deviation") ? predictor.tau : 0;
  if (!useFactors) sd.fill(tau);
  if (tau > 0 && a.length > 0) {
    const scratch = new DeviationScratch(n);
    const baseD = Float64Array.from(a, (x, v) => theta[x]! - theta[b[v]!]!);
    fitDeviation({ a, b, y, from: 0, to: a.length, baseD, eta }, tau, scratch);
    for (let i = 0; i < scratch.count; i++) {
      const c = scratch.touched[i]!;
      theta[c]! += scratch.eps[c]!;
      sd[c] = 1 / Math.sqrt(scratch.hess[c]!);
    }
  }
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (theta[i]! - model.global.theta[i]!) ** 2;
  const basis = a.length === 0 ? "global" : useFactors ? (form === "factors" ? "factors" : "rater") : tau > 0 ? "rater" : useClusters ? "cluster" : "global";
  return {
    votes: a.length,
    membership,
    theta,
    sd,
    eta,
    basis,
    predictor,
    place: place ? { vector: place.vector, sd: place.vectorSd, x: place.x, y: place.y } : null,
    quirk: Math.round(POINTS_PER_LOGIT * Math.sqrt(sq / Math.max(1, n)) * 10) / 10,
    votesToSettle: votesToSettle(model, membership),
  };
}

/** The predictor of the population a rater's votes fall in (the largest population's without votes). */
export function populationPredictor(model: TasteModel, a: readonly number[]): Predictor {
  const populations = model.populations ?? [];
  if (populations.length <= 1 || a.length === 0) return model.predictor;
  const first = a[0]!;
  return populations.find((p) => p.contenders?.includes(first))?.predictor ?? model.predictor;
}

/**
 * Places a rater in the taste space from their votes: the joint MAP of their position and
 * deviations under the published contenders (the fit's own rater step, run to convergence),
 * with standard errors from its Hessian, and the position's coordinates on the map's axes.
 */
export function placeInSpace(space: TasteSpaceModel, n: number, a: number[], b: number[], y: number[]) {
  const dim = space.dim;
  const votes = groupVotes(1, n, new Int32Array(a.length), Int32Array.from(a), Int32Array.from(b), Uint8Array.from(y));
  const model: FactorModel = { dim, g: Float64Array.from(space.g), v: Float64Array.from(space.v), eta: space.eta, scale: space.scale, tau: space.tau };
  const judged = judgedContenders(votes);
  const fit: FactorFit = { model, x: new Float64Array(dim), eps: new Float64Array(judged.contender.length), judged, objective: 0, iterations: 0, placed: null };
  for (let step = 0; step < 12; step++) raterStep(votes, fit, 0);
  const { precision, p } = raterStep(votes, fit, 0, undefined, 0);
  const cov = p > 0 ? choleskyInverse(choleskyFactor(precision, p), p) : new Float64Array(0);
  const theta = new Float64Array(n);
  const sd = new Float64Array(n);
  const thetaWithDeviation = new Float64Array(n);
  const sdWithDeviation = new Float64Array(n);
  const slot = new Int32Array(n).fill(-1);
  for (let j = 0; j < judged.contender.length; j++) slot[judged.contender[j]!] = j;
  for (let c = 0; c < n; c++) {
    let t = space.g[c]!;
    let variance = 0;
    for (let i = 0; i < dim; i++) {
      t += space.v[c * dim + i]! * fit.x[i]!;
      for (let j = 0; j < dim; j++) variance += space.v[c * dim + i]! * cov[i * p + j]! * space.v[c * dim + j]!;
    }
    theta[c] = t;
    sd[c] = Math.sqrt(variance);
    const s = slot[c]!;
    const own = space.tau > 0 ? (s >= 0 && dim + s < p ? 1 / precision[(dim + s) * p + dim + s]! : space.tau * space.tau) : 0;
    thetaWithDeviation[c] = t + (s >= 0 && space.tau > 0 ? fit.eps[s]! : 0);
    sdWithDeviation[c] = Math.sqrt(variance + own);
  }
  const vector = Array.from(fit.x, (x) => round(x, 4));
  const vectorSd = Array.from({ length: dim }, (_, i) => round(Math.sqrt(Math.max(0, cov[i * p + i] ?? 0)), 4));
  const coordinate = (axis: number) => {
    const direction = space.axes[axis]?.direction;
    if (!direction) return 0;
    let s = 0;
    for (let i = 0; i < dim; i++) s += (fit.x[i]! - (space.origin[i] ?? 0)) * direction[i]!;
    return round(s, 4);
  };
  return { theta, sd, thetaWithDeviation, sdWithDeviation, vector, vectorSd, x: coordinate(0), y: coordinate(1) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Membership probabilities: shares times the likelihood of the votes under each cluster. */
export function clusterMembership(model: TasteModel, a: number[], b: number[], y: number[]): number[] {
  const k = model.clusters.length;
  if (k === 0) return [];
  const logs = model.clusters.map((cl) => {
    let ll = Math.log(Math.max(cl.share, 1e-300));
    for (let v = 0; v < a.length; v++) ll += outcomeLogProb(cl.theta[a[v]!]! - cl.theta[b[v]!]!, cl.eta, y[v]!);
    return ll;
  });
  const max = Math.max(...logs);
  const w = logs.map((l) => Math.exp(l - max));
  const z = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / z);
}

/**
 * Roughly how many more votes make the top cluster 95% likely: the log-odds still to gain over
 * the runner-up, divided by the mean information one vote gives between the two (the KL
 * divergence of their outcome distributions, averaged over contender pairs).
 */
export function votesToSettle(model: TasteModel, membership: number[]): number | null {
  if (model.clusters.length < 2) return null;
  const order = membership.map((p, i) => ({ p, i })).sort((x, z) => z.p - x.p);
  const [top, second] = [order[0]!, order[1]!];
  if (top.p >= SETTLED) return 0;
  const need = Math.log(SETTLED / (1 - SETTLED)) - Math.log(top.p / Math.max(second.p, 1e-12));
  const x = model.clusters[top.i]!;
  const z = model.clusters[second.i]!;
  const n = model.contenders.length;
  let kl = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = davidsonProbabilities(x.theta[i]! - x.theta[j]!, x.eta);
      const q = davidsonProbabilities(z.theta[i]! - z.theta[j]!, z.eta);
      kl += p.a * Math.log(p.a / q.a) + p.b * Math.log(p.b / q.b) + p.tie * Math.log(p.tie / q.tie);
      pairs++;
    }
  }
  const perVote = kl / Math.max(1, pairs);
  if (perVote < 1e-6) return null;
  return Math.min(999, Math.max(1, Math.ceil(need / perVote)));
}

/**
 * Outcome probabilities for a vs b under a rater's posterior (or the global board). The
 * "clusters" form predicts by the mixture Σ_k r_k P_k, as it was scored when it was chosen.
 */
export function predictPair(model: TasteModel, posterior: RaterPosterior | null, a: number, b: number): { a: number; b: number; tie: number } {
  if (posterior && posterior.votes > 0 && posterior.predictor.form === "clusters" && model.clusters.length > 1) {
    const out = { a: 0, b: 0, tie: 0 };
    model.clusters.forEach((c, k) => {
      const p = davidsonProbabilities(c.theta[a]! - c.theta[b]!, c.eta);
      const r = posterior.membership[k]!;
      out.a += r * p.a;
      out.b += r * p.b;
      out.tie += r * p.tie;
    });
    return out;
  }
  if (!posterior) return davidsonProbabilities(model.global.theta[a]! - model.global.theta[b]!, model.global.eta);
  // As the predictor was scored: the difference's uncertainty folded in (probit approximation).
  const variance = posterior.votes > 0 ? posterior.sd[a]! ** 2 + posterior.sd[b]! ** 2 : 0;
  return davidsonProbabilities((posterior.theta[a]! - posterior.theta[b]!) / Math.sqrt(1 + (Math.PI * variance) / 8), posterior.eta);
}
