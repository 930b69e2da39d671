/**
 * Taste clusters: a mixture of K Davidson-BT models over raters, fitted by EM.
 * E-step: r_uk ∝ π_k ∏_v P(y_v | θ_k, η_k) over rater u's votes. M-step: π from the
 * responsibilities, and per cluster a weighted Davidson fit whose prior leans toward the global
 * board. Both steps run over per-pair tables, so one iteration costs O(votes × K) adds.
 */
import { fitDavidson } from "./davidson.js";
import { type RaterVotes, pairCountsFrom, pairLogProbs, weightedPairCounts } from "./votes.js";

export interface MixtureModel {
  k: number;
  /** mixture weights π_k */
  share: Float64Array;
  /** strengths θ_k per cluster, in logits */
  theta: Float64Array[];
  /** tie parameter η_k per cluster */
  eta: Float64Array;
}

/** The global board the clusters lean toward. */
export interface GlobalBoard {
  theta: Float64Array;
  eta: number;
}

export interface MixtureOptions {
  /** prior precision of a cluster's strengths around the global board (default 0.5) */
  lambda?: number;
  /** EM iterations at most (default 60) */
  maxIterations?: number;
  /** stop when the log-likelihood per vote improves by less than this (default 3e-5) */
  tolerance?: number;
  /** Newton iterations per M-step; EM only needs each step to improve (default 1) */
  newtonSteps?: number;
}

const DEFAULTS: Required<MixtureOptions> = { lambda: 0.5, maxIterations: 60, tolerance: 3e-5, newtonSteps: 1 };

/** A one-cluster model equal to the global board. */
export function singleCluster(global: GlobalBoard): MixtureModel {
  return { k: 1, share: Float64Array.of(1), theta: [Float64Array.from(global.theta)], eta: Float64Array.of(global.eta) };
}

/**
 * E-step: each rater's cluster log-likelihoods and responsibilities (row-major R×K). Raters
 * without votes get the shares. Answers the total log-likelihood of the votes too.
 */
export function eStep(votes: RaterVotes, model: MixtureModel, resp?: Float64Array, logLikOut?: Float64Array): { resp: Float64Array; logLik: number } {
  const { k } = model;
  const r = resp ?? new Float64Array(votes.raters * k);
  // One interleaved table: cell (pair·3 + outcome)·K + cluster, so a vote reads K adjacent numbers.
  const cells = votes.pairLo.length * 3;
  const table = new Float64Array(cells * k);
  model.theta.forEach((theta, c) => {
    const one = pairLogProbs(votes, theta, model.eta[c]!);
    for (let i = 0; i < cells; i++) table[i * k + c] = one[i]!;
  });
  const logShare = Array.from(model.share, (s) => Math.log(Math.max(s, 1e-300)));
  const ll = logLikOut ?? new Float64Array(votes.raters * k);
  const sums = new Float64Array(k);
  const { code, start } = votes;
  let total = 0;
  for (let u = 0; u < votes.raters; u++) {
    const s = start[u]!;
    const e = start[u + 1]!;
    sums.fill(0);
    for (let v = s; v < e; v++) {
      const base = code[v]! * k;
      for (let c = 0; c < k; c++) sums[c]! += table[base + c]!;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      ll[u * k + c] = sums[c]!;
      const x = logShare[c]! + sums[c]!;
      if (x > max) max = x;
    }
    let z = 0;
    for (let c = 0; c < k; c++) {
      const w = Math.exp(logShare[c]! + sums[c]! - max);
      r[u * k + c] = w;
      z += w;
    }
    for (let c = 0; c < k; c++) r[u * k + c]! /= z;
    if (e > s) total += max + Math.log(z);
  }
  return { resp: r, logLik: total };
}

/** M-step: shares and per-cluster strengths from responsibilities, warm-started from `model`. */
export function mStep(votes: RaterVotes, resp: Float64Array, model: MixtureModel, global: GlobalBoard, options: MixtureOptions = {}): MixtureModel {
  const o = { ...DEFAULTS, ...options };
  const { k } = model;
  const share = new Float64Array(k);
  let active = 0;
  for (let u = 0; u < votes.raters; u++) {
    if (votes.start[u + 1] === votes.start[u]) continue;
    active++;
    for (let c = 0; c < k; c++) share[c]! += resp[u * k + c]!;
  }
  // A half-rater Dirichlet pseudo-count keeps an emptying cluster from a log of zero.
  for (let c = 0; c < k; c++) share[c] = (share[c]! + 0.5) / (active + 0.5 * k);

  // Weighted outcome counts per pair and cluster, interleaved like the E-step's table.
  const cells = votes.pairLo.length * 3;
  const counts = new Float64Array(cells * k);
  const { code, start } = votes;
  for (let u = 0; u < votes.raters; u++) {
    const s = start[u]!;
    const e = start[u + 1]!;
    const ru = u * k;
    for (let v = s; v < e; v++) {
      const base = code[v]! * k;
      for (let c = 0; c < k; c++) counts[base + c]! += resp[ru + c]!;
    }
  }
  const theta: Float64Array[] = [];
  const eta = new Float64Array(k);
  const one = new Float64Array(cells);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < cells; i++) one[i] = counts[i * k + c]!;
    const fit = fitDavidson(
      votes.contenders,
      pairCountsFrom(votes, one),
      { lambda: o.lambda, priorMean: global.theta, etaPrior: global.eta, etaLambda: 2, maxIterations: o.newtonSteps, intervals: false },
      { theta: model.theta[c], eta: model.eta[c] },
    );
    theta.push(fit.theta);
    eta[c] = fit.eta;
  }
  return { k, share, theta, eta };
}

/** Runs EM from `start` until the log-likelihood settles. */
export function fitMixture(
  votes: RaterVotes,
  start: MixtureModel,
  global: GlobalBoard,
  options: MixtureOptions = {},
  startResp?: Float64Array,
): { model: MixtureModel; resp: Float64Array; logLik: number; iterations: number } {
  const o = { ...DEFAULTS, ...options };
  const n = Math.max(1, votes.a.length);
  let model = start;
  let resp = startResp ?? eStep(votes, model).resp;
  let logLik = -Infinity;
  let iterations = 0;
  const buffer = new Float64Array(votes.raters * model.k);
  for (; iterations < o.maxIterations; iterations++) {
    model = mStep(votes, resp, model, global, o);
    const e = eStep(votes, model, resp, buffer);
    resp = e.resp;
    const gain = (e.logLik - logLik) / n;
    logLik = e.logLik;
    if (gain < o.tolerance) {
      iterations++;
      break;
    }
  }
  return { model, resp, logLik, iterations };
}

/** How the raters that seed a new cluster are chosen. */
export type Seeding =
  /** the raters the current model explains worst (lowest log-likelihood per vote) */
  | { kind: "worst"; fraction: number }
  /**
   * the raters who lean furthest along the main shared direction of disagreement with their
   * current cluster (the top principal component of per-rater likelihood gradients), on one side
   */
  | { kind: "lean"; fraction: number; side: 1 | -1 };

/**
 * Proposes K+1 clusters from K: some raters seed a new cluster (DESIGN.md §4 seeds from the
 * worst-fitting raters; a coherent minority is found better by its shared lean), the others keep
 * their responsibilities. Raters with fewer than `minVotes` votes never seed.
 */
export function growMixture(
  votes: RaterVotes,
  model: MixtureModel,
  global: GlobalBoard,
  seeding: Seeding,
  options: MixtureOptions = {},
  minVotes = 3,
): { model: MixtureModel; resp: Float64Array } {
  const { k } = model;
  const ll = new Float64Array(votes.raters * k);
  const { resp } = eStep(votes, model, undefined, ll);
  const best = new Int32Array(votes.raters);
  for (let u = 0; u < votes.raters; u++) {
    for (let c = 1; c < k; c++) if (ll[u * k + c]! > ll[u * k + best[u]!]!) best[u] = c;
  }
  const score = seeding.kind === "worst" ? worstFitScore(votes, ll, best, k) : leanScore(votes, model, best, seeding.side);
  const candidates: { u: number; s: number }[] = [];
  for (let u = 0; u < votes.raters; u++) {
    if (votes.start[u + 1]! - votes.start[u]! >= minVotes) candidates.push({ u, s: score[u]! });
  }
  candidates.sort((x, y) => y.s - x.s || x.u - y.u);
  const seeds = candidates.slice(0, Math.max(2, Math.round(candidates.length * seeding.fraction)));
  const weight = new Float64Array(votes.raters);
  for (const s of seeds) weight[s.u] = 1;
  const seedFit = fitDavidson(votes.contenders, weightedPairCounts(votes, weight), {
    lambda: options.lambda ?? DEFAULTS.lambda,
    priorMean: global.theta,
    etaPrior: global.eta,
    etaLambda: 2,
    intervals: false,
    maxIterations: 20,
  });
  const f = seeds.length / Math.max(1, candidates.length);
  const grown: MixtureModel = {
    k: k + 1,
    share: Float64Array.from([...Array.from(model.share, (s) => s * (1 - f)), f]),
    theta: [...model.theta, seedFit.theta],
    eta: Float64Array.from([...model.eta, seedFit.eta]),
  };
  const grownResp = new Float64Array(votes.raters * (k + 1));
  for (let u = 0; u < votes.raters; u++) {
    if (weight[u] === 1) grownResp[u * (k + 1) + k] = 1;
    else for (let c = 0; c < k; c++) grownResp[u * (k + 1) + c] = resp[u * k + c]!;
  }
  return { model: grown, resp: grownResp };
}

/** Higher for raters explained worse: minus their log-likelihood per vote under their best cluster. */
function worstFitScore(votes: RaterVotes, ll: Float64Array, best: Int32Array, k: number): Float64Array {
  const score = new Float64Array(votes.raters);
  for (let u = 0; u < votes.raters; u++) {
    const n = votes.start[u + 1]! - votes.start[u]!;
    score[u] = n > 0 ? -ll[u * k + best[u]!]! / n : 0;
  }
  return score;
}

/**
 * Each rater's projection on the top principal direction of the per-rater gradients of their
 * log-likelihood under their best cluster (scaled by 1/√votes, so heavy raters do not dominate).
 * Power iteration with sparse gradients: two passes over the votes per iteration.
 */
function leanScore(votes: RaterVotes, model: MixtureModel, best: Int32Array, side: 1 | -1): Float64Array {
  const c = votes.contenders;
  // ∂ll/∂d for each vote under its rater's best cluster.
  const slope = new Float64Array(votes.a.length);
  for (let u = 0; u < votes.raters; u++) {
    const theta = model.theta[best[u]!]!;
    const eta = model.eta[best[u]!]!;
    const n = votes.start[u + 1]! - votes.start[u]!;
    const scale = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) {
      const h = (theta[votes.a[v]!]! - theta[votes.b[v]!]!) / 2;
      const m = Math.max(h, -h, eta);
      const pa = Math.exp(h - m);
      const pb = Math.exp(-h - m);
      const z = pa + pb + Math.exp(eta - m);
      const y = votes.y[v]!;
      const won = y === 0 ? 1 : y === 1 ? -1 : 0;
      slope[v] = scale * (won / 2 - (pa - pb) / z / 2);
    }
  }
  const project = (dir: Float64Array, out: Float64Array) => {
    for (let u = 0; u < votes.raters; u++) {
      let s = 0;
      for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) s += slope[v]! * (dir[votes.a[v]!]! - dir[votes.b[v]!]!);
      out[u] = s;
    }
  };
  let dir = Float64Array.from({ length: c }, (_, i) => Math.cos(i + 1));
  const proj = new Float64Array(votes.raters);
  for (let iter = 0; iter < 12; iter++) {
    project(dir, proj);
    const next = new Float64Array(c);
    for (let u = 0; u < votes.raters; u++) {
      const p = proj[u]!;
      if (p === 0) continue;
      for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) {
        next[votes.a[v]!]! += slope[v]! * p;
        next[votes.b[v]!]! -= slope[v]! * p;
      }
    }
    let norm = 0;
    for (let i = 0; i < c; i++) norm += next[i]! * next[i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) break;
    let change = 0;
    for (let i = 0; i < c; i++) {
      next[i]! /= norm;
      change = Math.max(change, Math.abs(next[i]! - dir[i]!));
    }
    dir = next;
    if (change < 1e-4) break;
  }
  project(dir, proj);
  // Fix the sign so that "side 1" is the side where the heavier tail lies, deterministically.
  let cube = 0;
  for (let u = 0; u < votes.raters; u++) cube += proj[u]! ** 3;
  const sign = (cube >= 0 ? 1 : -1) * side;
  for (let u = 0; u < votes.raters; u++) proj[u]! *= sign;
  return proj;
}

/** Drops clusters with fewer than `minRaters` raters by membership; answers null when none is dropped. */
export function pruneClusters(model: MixtureModel, resp: Float64Array, raters: number, minRaters: number): MixtureModel | null {
  const { k } = model;
  const size = new Float64Array(k);
  for (let u = 0; u < raters; u++) for (let c = 0; c < k; c++) size[c]! += resp[u * k + c]!;
  const keep = [...size.keys()].filter((c) => size[c]! >= minRaters);
  if (keep.length === k || keep.length === 0) return null;
  const total = keep.reduce((s, c) => s + model.share[c]!, 0);
  return {
    k: keep.length,
    share: Float64Array.from(keep, (c) => model.share[c]! / total),
    theta: keep.map((c) => model.theta[c]!),
    eta: Float64Array.from(keep, (c) => model.eta[c]!),
  };
}
