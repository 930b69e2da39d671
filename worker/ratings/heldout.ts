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
