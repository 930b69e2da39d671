/**
 * Scoring on held-out votes: each candidate model's log-likelihood on the votes a fit never saw,
 * per rater, and the one-standard-error rule that picks the simplest candidate close to the best.
 * Shared by the choice of K, of the predictor's form and of its scales.
 */
import { DeviationScratch, fitDeviation, outcomeLogProb } from "./deviation.js";
import type { GlobalBoard, MixtureModel } from "./mixture.js";
import type { RaterVotes } from "./votes.js";

/** One candidate's held-out score: total log-likelihood and per-rater sums. */
export interface HeldOutScore {
  logLik: number;
  votes: number;
  perRater: Float64Array;
  /** decisive held-out votes and how many the larger win probability called right (a tie of the two counts half) */
  decisive: number;
  correct: number;
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

/** A rater's prediction before their own deviation: strength differences, their variance, ties. */
export interface RaterBase {
  /** θ_a − θ_b */
  d(a: number, b: number): number;
  /** the variance of that difference from the base's own uncertainty (0 for a point estimate) */
  variance(a: number, b: number): number;
  eta: number;
}

/** Where each rater's base comes from: one board per rater, or the cluster mixture itself. */
export type Base =
  | { kind: "board"; of: (u: number) => RaterBase }
  | { kind: "mixture"; model: MixtureModel; resp: Float64Array; global: GlobalBoard };

/** Outcome probabilities of held-out votes, filled by the scorers when given. */
export interface VoteProbs {
  a: Float64Array;
  b: Float64Array;
  tie: Float64Array;
}

/**
 * Scores held-out votes: each rater's base (their board, or the cluster mixture), plus a
 * deviation fitted on their training votes when τ > 0, predicting with the difference's
 * uncertainty folded in (d / √(1 + π·var/8), the probit approximation of the averaged
 * logistic), so an unseen contender under a loose prior is not predicted with false confidence.
 */
export function scoreBase(train: RaterVotes, test: RaterVotes, base: Base, tau: number, probs?: VoteProbs, only?: Uint8Array | null): HeldOutScore {
  const perRater = new Float64Array(test.raters);
  const scratch = new DeviationScratch(train.contenders);
  const baseD = new Float64Array(Math.max(1, maxRaterVotes(train)));
  const tau2 = tau * tau;
  let total = 0;
  let votes = 0;
  let decisive = 0;
  let correct = 0;
  const p = [0, 0, 0];
  // Without a deviation, clusters predict by the mixture itself, Σ_k r_uk P_k(y), which is
  // better calibrated than one averaged board while the rater's cluster is still uncertain.
  const mixture = base.kind === "mixture" && tau === 0 && base.model.k > 1 ? base : null;
  for (let u = 0; u < test.raters; u++) {
    const ts = test.start[u]!;
    const te = test.start[u + 1]!;
    if (te === ts || (only && !only[u])) continue;
    const rater = base.kind === "board" ? base.of(u) : raterStrengths(base.model, base.resp, base.global, u);
    const s = train.start[u]!;
    const e = train.start[u + 1]!;
    if (tau > 0 && e > s) {
      for (let v = s; v < e; v++) baseD[v - s] = rater.d(train.a[v]!, train.b[v]!);
      fitDeviation({ a: train.a, b: train.b, y: train.y, from: s, to: e, baseD, eta: rater.eta }, tau, scratch);
    } else scratch.reset();
    let sum = 0;
    for (let v = ts; v < te; v++) {
      const a = test.a[v]!;
      const b = test.b[v]!;
      if (mixture) mixtureProbabilities(mixture.model, mixture.resp, u, a, b, p);
      else {
        let variance = rater.variance(a, b);
        if (tau > 0) variance += deviationVariance(scratch, a, tau2) + deviationVariance(scratch, b, tau2);
        const d = (rater.d(a, b) + scratch.eps[a]! - scratch.eps[b]!) / Math.sqrt(1 + (Math.PI * variance) / 8);
        for (let y = 0; y < 3; y++) p[y] = Math.exp(outcomeLogProb(d, rater.eta, y));
      }
      const y = test.y[v]!;
      sum += Math.log(p[y === 0 ? 0 : y === 1 ? 1 : 2]!);
      if (y < 2) {
        decisive++;
        if (p[0] !== p[1] && (p[0]! > p[1]!) === (y === 0)) correct++;
        else if (p[0] === p[1]) correct += 0.5;
      }
      if (probs) {
        probs.a[v] = p[0]!;
        probs.b[v] = p[1]!;
        probs.tie[v] = p[2]!;
      }
    }
    votes += te - ts;
    perRater[u] = sum;
    total += sum;
  }
  return { logLik: total, votes, perRater, decisive, correct };
}

/** A deviation's variance: its conditional posterior variance if the rater judged it, else τ². */
function deviationVariance(scratch: DeviationScratch, c: number, tau2: number): number {
  return scratch.isTouched(c) ? 1 / scratch.hess[c]! : tau2;
}

/**
 * Scores held-out votes under the global board or the cluster mixture (responsibilities from
 * training votes), plus a deviation when τ > 0: `scoreBase` with a board or mixture base.
 */
export function scoreHeldOut(
  train: RaterVotes,
  test: RaterVotes,
  model: MixtureModel | null,
  resp: Float64Array | null,
  global: GlobalBoard,
  tau: number,
  probs?: VoteProbs,
  only?: Uint8Array | null,
): HeldOutScore {
  const base: Base = model && resp ? { kind: "mixture", model, resp, global } : { kind: "board", of: () => boardBase(global.theta, global.eta) };
  return scoreBase(train, test, base, tau, probs, only);
}

/** A point-estimate base from one board. */
export function boardBase(theta: ArrayLike<number>, eta: number): RaterBase {
  return { d: (a, b) => theta[a]! - theta[b]!, variance: () => 0, eta };
}

/** Marks an even sample of at most `max` raters with held-out votes (null: all of them). */
export function evenSample(test: RaterVotes, max: number): Uint8Array | null {
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
export function raterStrengths(model: MixtureModel | null, resp: Float64Array | null, global: GlobalBoard, u: number): RaterBase {
  if (!model || !resp || model.k === 1) {
    const theta = model?.k === 1 ? model.theta[0]! : global.theta;
    const eta = model?.k === 1 ? model.eta[0]! : global.eta;
    return boardBase(theta, eta);
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
    variance: () => 0,
    eta,
  };
}

function maxRaterVotes(votes: RaterVotes): number {
  let max = 0;
  for (let u = 0; u < votes.raters; u++) max = Math.max(max, votes.start[u + 1]! - votes.start[u]!);
  return max;
}
