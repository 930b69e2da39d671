/**
 * One rater under a published taste model: cluster membership from their votes, their board
 * (cluster mixture plus deviation, as the fit's predictor says), quirk, how many votes would
 * settle their cluster, and predictions. Used per request by Rater objects (their own votes) and
 * by the Arena (any rater in the log); it applies a published fit, it never refits one.
 */
import { davidsonProbabilities } from "./davidson.js";
import { DeviationScratch, fitDeviation, outcomeLogProb } from "./deviation.js";
import { POINTS_PER_LOGIT } from "./board.js";
import type { Predictor } from "./taste.js";

/** What a published fit says about taste, compactly: enough to place any rater. */
export interface TasteModel {
  fitId: number;
  contenders: string[];
  global: { theta: number[]; eta: number };
  clusters: { id: string; share: number; theta: number[]; eta: number }[];
  predictor: Predictor;
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
  basis: "rater" | "cluster" | "global";
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
  const form = model.predictor.form;
  // A rater with no (usable) votes gets the global board, whatever the predictor.
  const useClusters = k > 1 && a.length > 0 && (form === "clusters" || form === "clusters+deviation");
  const theta = new Float64Array(n);
  let eta = 0;
  if (useClusters) {
    for (let c = 0; c < k; c++) {
      const cl = model.clusters[c]!;
      for (let i = 0; i < n; i++) theta[i]! += membership[c]! * cl.theta[i]!;
      eta += membership[c]! * cl.eta;
    }
  } else {
    theta.set(model.global.theta);
    eta = model.global.eta;
  }
  const tau = form.endsWith("deviation") ? model.predictor.tau : 0;
  const sd = new Float64Array(n).fill(tau);
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
  const basis = a.length === 0 ? "global" : tau > 0 ? "rater" : useClusters ? "cluster" : "global";
  return {
    votes: a.length,
    membership,
    theta,
    sd,
    eta,
    basis,
    quirk: Math.round(POINTS_PER_LOGIT * Math.sqrt(sq / Math.max(1, n)) * 10) / 10,
    votesToSettle: votesToSettle(model, membership),
  };
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
  if (posterior && posterior.votes > 0 && model.predictor.form === "clusters" && model.clusters.length > 1) {
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
  const theta = posterior ? posterior.theta : model.global.theta;
  const eta = posterior ? posterior.eta : model.global.eta;
  return davidsonProbabilities(theta[a]! - theta[b]!, eta);
}
