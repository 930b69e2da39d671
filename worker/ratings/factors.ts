/**
 * The taste space: a latent-factor Davidson-BT, θ_uc = g_c + x_u·v_c + ε_uc, where g is the
 * shared board, x_u a rater's position in D dimensions (prior N(0, I)), v_c a contender's
 * loadings (prior N(0, s²I)) and ε_uc the rater's own deviation on the contenders they judged
 * (prior N(0, τ²); τ = 0 leaves it out). Continuous taste, the rater map's coordinates, and a
 * predictor for contenders a rater never judged. The deviation is fitted jointly with the
 * position, so the shared axes carry only what raters share, not each rater's idiosyncrasies.
 * Alternating damped Newton steps: per rater a solve over (x_u, ε_u), per contender a
 * (D+1)×(D+1) solve for (g_c, v_c), in typed arrays. Deterministic: started from the principal
 * directions of the raters' shrunken deviations.
 */
import { type GlobalBoard } from "./mixture.js";
import { DeviationScratch, fitDeviation, outcomeLogProb } from "./deviation.js";
import { choleskyFactor, choleskySolve } from "./linalg.js";
import type { RaterVotes } from "./votes.js";

export interface FactorModel {
  dim: number;
  /** the shared board g, by contender */
  g: Float64Array;
  /** loadings v, contenders × dim, row-major */
  v: Float64Array;
  eta: number;
  /** prior sd of each loading; positions have prior sd 1 */
  scale: number;
  /** prior sd of each rater's own deviation (0: none) */
  tau: number;
}

/** Each rater's judged contenders (CSR over raters) and each vote's two slots in its rater's list. */
export interface Judged {
  start: Int32Array;
  contender: Int32Array;
  slotA: Int32Array;
  slotB: Int32Array;
}

export interface FactorFit {
  model: FactorModel;
  /** each rater's position, raters × dim (0 for raters without votes) */
  x: Float64Array;
  /** each rater's deviations, aligned with judged.contender */
  eps: Float64Array;
  judged: Judged;
  /** log-posterior of the fit (votes plus priors) */
  objective: number;
  iterations: number;
  /** which raters have a position (null: all of them); see FactorOptions.placeAll */
  placed: Uint8Array | null;
}

export interface FactorOptions {
  /** prior sd of the loadings (default 0.7) */
  scale?: number;
  /** alternating rounds at most (default 40) */
  iterations?: number;
  /** stop when the log-posterior per vote gains less than this (default 2e-5) */
  tolerance?: number;
  /** prior sd of the raters' own deviations (default 0: none) */
  tau?: number;
  /** start from this fit (same dim and votes) instead of the principal directions */
  start?: FactorFit | null;
  /** or start the contenders (same dim) from this model, on other votes, with raters placed afresh */
  startModel?: FactorModel | null;
  /** fit the contenders only on these raters (others are placed afterwards); null: all */
  only?: Uint8Array | null;
  /** place the raters outside `only` too (default true); else they are left at 0 and `placed` says so */
  placeAll?: boolean;
}

/** Prior precision of the shared board around the global board, and of η around its tie rate. */
const G_PRECISION = 0.1;
const ETA_PRECISION = 2;
/** A rater with at most this many unknowns (D plus judged contenders) gets one dense solve. */
const DENSE_MAX = 32;

/** Lists the contenders each rater judged, and where each vote's two contenders sit in that list. */
export function judgedContenders(votes: RaterVotes): Judged {
  const start = new Int32Array(votes.raters + 1);
  const slotA = new Int32Array(votes.a.length);
  const slotB = new Int32Array(votes.a.length);
  const list: number[] = [];
  const slot = new Int32Array(votes.contenders).fill(-1);
  for (let u = 0; u < votes.raters; u++) {
    const first = list.length;
    for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) {
      for (const [c, out] of [[votes.a[v]!, slotA], [votes.b[v]!, slotB]] as const) {
        if (slot[c]! < 0) {
          slot[c] = list.length - first;
          list.push(c);
        }
        out[v] = slot[c]!;
      }
    }
    for (let i = first; i < list.length; i++) slot[list[i]!] = -1;
    start[u + 1] = list.length;
  }
  return { start, contender: Int32Array.from(list), slotA, slotB };
}

/** Fits the factor model with `dim` dimensions (dim 0 and τ 0 is the global board). */
export function fitFactors(votes: RaterVotes, dim: number, global: GlobalBoard, options: FactorOptions = {}): FactorFit {
  const scale = options.scale ?? 0.7;
  const tau = options.tau ?? 0;
  const maxRounds = options.iterations ?? 40;
  const tolerance = options.tolerance ?? 2e-5;
  const only = options.only ?? null;
  const c = votes.contenders;
  const start = options.start ?? null;
  const from = start?.model ?? options.startModel ?? null;
  const model: FactorModel = from
    ? { ...from, g: Float64Array.from(from.g), v: Float64Array.from(from.v), scale, tau }
    : { dim, g: Float64Array.from(global.theta), v: principalLoadings(votes, global, dim, scale), eta: global.eta, scale, tau };
  const judged = start ? start.judged : judgedContenders(votes);
  const fit: FactorFit = {
    model,
    x: start ? Float64Array.from(start.x) : new Float64Array(votes.raters * dim),
    eps: start && tau > 0 ? Float64Array.from(start.eps) : new Float64Array(judged.contender.length),
    judged,
    objective: -Infinity,
    iterations: 0,
    placed: null,
  };
  if ((dim === 0 && tau === 0) || c < 2) {
    fit.objective = factorObjective(votes, fit, only);
    return fit;
  }
  // Gains are measured per vote of the raters the contenders are fitted on.
  let counted = 0;
  for (let u = 0; u < votes.raters; u++) if (!only || only[u]) counted += votes.start[u + 1]! - votes.start[u]!;
  const n = Math.max(1, counted);
  const scratch = new RaterScratch();
  // Raters placed afresh under given contenders first get a few steps of their own.
  if (!start && options.startModel) for (let round = 0; round < 3; round++) placeRaters(votes, fit, only, scratch);
  for (; fit.iterations < maxRounds; fit.iterations++) {
    placeRaters(votes, fit, only, scratch);
    // η moves little per round; its step is taken after the convergence measure.
    const next = stepContenders(votes, fit, only);
    stepEta(votes, fit, global.eta, only);
    const gain = (next - fit.objective) / n;
    fit.objective = next;
    if (gain < tolerance) {
      fit.iterations++;
      break;
    }
  }
  // Raters left out of the contenders' fit are placed under the final contenders.
  if (only && options.placeAll !== false) for (let round = 0; round < 3; round++) placeRaters(votes, fit, null, scratch);
  else if (only) fit.placed = only;
  return fit;
}

/** Reusable buffers for the rater step. */
export class RaterScratch {
  grad = new Float64Array(0);
  hess = new Float64Array(0);
  chol = new Float64Array(0);
  dir = new Float64Array(0);
  start = new Float64Array(0);
  readonly w = new Float64Array(64);
  readonly slope = new Float64Array(2);
  /** sizes the buffers for p unknowns */
  size(p: number): void {
    if (this.grad.length < p) {
      this.grad = new Float64Array(p);
      this.start = new Float64Array(p);
      this.dir = new Float64Array(p);
    }
    if (this.hess.length < p * p) {
      this.hess = new Float64Array(p * p);
      this.chol = new Float64Array(p * p);
    }
  }
}

/** Places rater u if the fit left them out (`placed`): a few steps under the fitted contenders. */
export function ensurePlaced(votes: RaterVotes, fit: FactorFit, u: number, scratch = new RaterScratch()): void {
  if (!fit.placed || fit.placed[u]) return;
  for (let round = 0; round < 4; round++) raterStep(votes, fit, u, scratch, 1);
  fit.placed[u] = 1;
}

/**
 * One Newton step for every rater (or those marked in `only`) on their position and deviations
 * given the contenders, backtracked so a rater's posterior never falls.
 */
export function placeRaters(votes: RaterVotes, fit: FactorFit, only: Uint8Array | null, scratch = new RaterScratch()): void {
  for (let u = 0; u < votes.raters; u++) {
    if (only && !only[u]) continue;
    if (votes.start[u + 1] === votes.start[u]) continue;
    raterStep(votes, fit, u, scratch, 1);
  }
}

/**
 * Newton steps on rater u's unknowns: their position and, when τ > 0, their deviations, jointly
 * when few (dense), else the position alone with the deviations held (they move by their own
 * steps in `deviationStep`). Answers the p×p precision at the result (p = D, or D + judged), in
 * the scratch's buffer: valid until its next use.
 */
export function raterStep(votes: RaterVotes, fit: FactorFit, u: number, scratch = new RaterScratch(), steps = 1): { precision: Float64Array; p: number } {
  const { model, judged } = fit;
  const dim = model.dim;
  const m = model.tau > 0 ? judged.start[u + 1]! - judged.start[u]! : 0;
  const joint = dim + m <= DENSE_MAX;
  const p = joint ? dim + m : dim;
  scratch.size(Math.max(1, p));
  const { grad, hess, start, dir } = scratch;
  let current = measureRater(votes, fit, u, p, joint, m, scratch);
  for (let step = 0; step < steps && p > 0; step++) {
    factorInPlace(hess, scratch.chol, p);
    solveInPlace(scratch.chol, grad, dir, p);
    let size = 0;
    for (let i = 0; i < p; i++) {
      start[i] = readUnknown(fit, u, i);
      size = Math.max(size, Math.abs(dir[i]!));
    }
    if (size < 1e-6) break;
    let t = 1;
    let accepted = false;
    for (let tries = 0; tries < 6 && !accepted; tries++, t /= 2) {
      for (let i = 0; i < p; i++) writeUnknown(fit, u, i, start[i]! + t * dir[i]!);
      const next = measureRater(votes, fit, u, p, joint, m, scratch);
      if (next >= current - 1e-12) {
        current = next;
        accepted = true;
      }
    }
    if (!accepted) {
      for (let i = 0; i < p; i++) writeUnknown(fit, u, i, start[i]!);
      measureRater(votes, fit, u, p, joint, m, scratch);
      break;
    }
  }
  // Many judged contenders: their deviations take their own step, given the position.
  if (!joint && m > 0) deviationStep(votes, fit, u);
  return { precision: hess, p };
}

/** Unknown i of rater u: a position coordinate (i < D), else a deviation. */
function readUnknown(fit: FactorFit, u: number, i: number): number {
  const dim = fit.model.dim;
  return i < dim ? fit.x[u * dim + i]! : fit.eps[fit.judged.start[u]! + i - dim]!;
}

function writeUnknown(fit: FactorFit, u: number, i: number, value: number): void {
  const dim = fit.model.dim;
  if (i < dim) fit.x[u * dim + i] = value;
  else fit.eps[fit.judged.start[u]! + i - dim] = value;
}

/**
 * One pass over rater u's votes: their log-posterior, and its gradient and (minus) Hessian over
 * the p unknowns into the scratch buffers.
 */
function measureRater(votes: RaterVotes, fit: FactorFit, u: number, p: number, joint: boolean, m: number, scratch: RaterScratch): number {
  const { model, x, eps, judged } = fit;
  const { dim, g, v, eta } = model;
  const { grad, hess, w, slope } = scratch;
  const e0 = judged.start[u]!;
  const xAt = u * dim;
  const epsPrecision = model.tau > 0 ? 1 / (model.tau * model.tau) : 0;
  let ll = 0;
  grad.fill(0, 0, p);
  hess.fill(0, 0, p * p);
  for (let i = 0; i < dim; i++) {
    ll -= x[xAt + i]! ** 2 / 2;
    grad[i] = -x[xAt + i]!;
    hess[i * p + i] = 1;
  }
  for (let j = 0; j < m; j++) {
    const e = eps[e0 + j]!;
    ll -= (epsPrecision * e * e) / 2;
    if (joint) {
      grad[dim + j] = -epsPrecision * e;
      hess[(dim + j) * p + dim + j] = epsPrecision;
    }
  }
  for (let k = votes.start[u]!; k < votes.start[u + 1]!; k++) {
    const ca = votes.a[k]!;
    const cb = votes.b[k]!;
    const ia = ca * dim;
    const ib = cb * dim;
    let d = g[ca]! - g[cb]!;
    for (let i = 0; i < dim; i++) {
      w[i] = v[ia + i]! - v[ib + i]!;
      d += x[xAt + i]! * w[i]!;
    }
    const sa = judged.slotA[k]!;
    const sb = judged.slotB[k]!;
    if (m > 0) d += eps[e0 + sa]! - eps[e0 + sb]!;
    ll += voteTerms(d, eta, votes.y[k]!, slope);
    const sg = slope[0]!;
    const sh = slope[1]!;
    for (let i = 0; i < dim; i++) {
      grad[i]! += sg * w[i]!;
      const hw = sh * w[i]!;
      for (let j = 0; j <= i; j++) hess[i * p + j]! += hw * w[j]!;
    }
    if (joint && m > 0) {
      const ra = dim + sa;
      const rb = dim + sb;
      grad[ra]! += sg;
      grad[rb]! -= sg;
      hess[ra * p + ra]! += sh;
      hess[rb * p + rb]! += sh;
      hess[(ra > rb ? ra : rb) * p + (ra > rb ? rb : ra)]! -= sh;
      for (let i = 0; i < dim; i++) {
        hess[ra * p + i]! += sh * w[i]!;
        hess[rb * p + i]! -= sh * w[i]!;
      }
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) hess[j * p + i] = hess[i * p + j]!;
  return ll;
}

/** Cholesky factor of the p×p matrix m into l (lower triangle), reusing l's buffer. */
function factorInPlace(m: Float64Array, l: Float64Array, p: number): void {
  for (let r = 0; r < p; r++) {
    for (let c = 0; c <= r; c++) {
      let s = m[r * p + c]!;
      for (let k = 0; k < c; k++) s -= l[r * p + k]! * l[c * p + k]!;
      l[r * p + c] = r === c ? Math.sqrt(Math.max(s, 1e-12)) : s / l[c * p + c]!;
    }
  }
}

/** Solves (L·Lᵀ)·out = rhs for a factor from `factorInPlace`. */
function solveInPlace(l: Float64Array, rhs: Float64Array, out: Float64Array, p: number): void {
  for (let r = 0; r < p; r++) {
    let s = rhs[r]!;
    for (let k = 0; k < r; k++) s -= l[r * p + k]! * out[k]!;
    out[r] = s / l[r * p + r]!;
  }
  for (let r = p - 1; r >= 0; r--) {
    let s = out[r]!;
    for (let k = r + 1; k < p; k++) s -= l[k * p + r]! * out[k]!;
    out[r] = s / l[r * p + r]!;
  }
}

/** Refits rater u's deviations given their position (for raters with too many unknowns to solve jointly). */
function deviationStep(votes: RaterVotes, fit: FactorFit, u: number): void {
  const { model, x, eps, judged } = fit;
  const from = votes.start[u]!;
  const to = votes.start[u + 1]!;
  const baseD = new Float64Array(to - from);
  for (let k = from; k < to; k++) baseD[k - from] = raterD(model, votes.a[k]!, votes.b[k]!, x, u * model.dim);
  const scratch = deviationScratch(votes.contenders);
  const slotOf = deviationSlots(votes.contenders);
  const e0 = judged.start[u]!;
  for (let j = e0; j < judged.start[u + 1]!; j++) slotOf[judged.contender[j]!] = j;
  // Warm from the current deviations: one Newton step a round, like the position's.
  fitDeviation({ a: votes.a, b: votes.b, y: votes.y, from, to, baseD, eta: model.eta }, model.tau, scratch, 1, (c) => eps[slotOf[c]!]!);
  for (let j = e0; j < judged.start[u + 1]!; j++) eps[j] = scratch.eps[judged.contender[j]!]!;
}

let sharedSlots: Int32Array | null = null;
function deviationSlots(contenders: number): Int32Array {
  if (!sharedSlots || sharedSlots.length !== contenders) sharedSlots = new Int32Array(contenders);
  return sharedSlots;
}

let sharedScratch: DeviationScratch | null = null;
function deviationScratch(contenders: number): DeviationScratch {
  if (!sharedScratch || sharedScratch.eps.length !== contenders) sharedScratch = new DeviationScratch(contenders);
  return sharedScratch;
}

/**
 * A vote's log-likelihood at strength difference d, with its slope and curvature in d written
 * to out[0] and out[1] (one set of exponentials for all three).
 */
export function voteTerms(d: number, eta: number, y: number, out: Float64Array): number {
  // One exponential: e^{d/2} and its inverse (clamped far beyond any fitted difference).
  const half = d > 600 ? 300 : d < -600 ? -300 : d / 2;
  const pa = Math.exp(half);
  const pb = 1 / pa;
  const z = pa + pb + Math.exp(eta);
  const diff = (pa - pb) / z;
  out[0] = (y === 0 ? 0.5 : y === 1 ? -0.5 : 0) - diff / 2;
  out[1] = (pa + pb) / z / 4 - (diff * diff) / 4;
  return (y === 0 ? half : y === 1 ? -half : eta) - Math.log(z);
}

/** θ_a − θ_b for the rater whose position starts at x[at], without their deviations. */
export function raterD(model: FactorModel, a: number, b: number, x: ArrayLike<number>, at: number): number {
  const { dim, g, v } = model;
  let d = g[a]! - g[b]!;
  const ia = a * dim;
  const ib = b * dim;
  for (let i = 0; i < dim; i++) d += x[at + i]! * (v[ia + i]! - v[ib + i]!);
  return d;
}

/** A rater's strengths g + V·x_u, by contender (their deviations added when `fit` and `u` are given). */
export function raterTheta(model: FactorModel, x: ArrayLike<number>, at: number, out = new Float64Array(model.g.length), fit?: FactorFit, u?: number): Float64Array {
  const { dim, g, v } = model;
  for (let c = 0; c < g.length; c++) {
    let t = g[c]!;
    for (let i = 0; i < dim; i++) t += v[c * dim + i]! * x[at + i]!;
    out[c] = t;
  }
  if (fit && u !== undefined && model.tau > 0) {
    for (let j = fit.judged.start[u]!; j < fit.judged.start[u + 1]!; j++) out[fit.judged.contender[j]!]! += fit.eps[j]!;
  }
  return out;
}

/** The full θ_a − θ_b of vote k (rater u): position and deviations. */
function voteD(votes: RaterVotes, fit: FactorFit, u: number, k: number): number {
  const d = raterD(fit.model, votes.a[k]!, votes.b[k]!, fit.x, u * fit.model.dim);
  if (fit.model.tau === 0) return d;
  const e0 = fit.judged.start[u]!;
  return d + fit.eps[e0 + fit.judged.slotA[k]!]! - fit.eps[e0 + fit.judged.slotB[k]!]!;
}

/**
 * One block-Jacobi Newton step for every contender's (g_c, v_c) given the raters, halved until
 * the log-posterior rises: the full Hessian is at most twice its block diagonal (a Laplacian),
 * so a half step always ascends. Answers the log-posterior after the step.
 */
function stepContenders(votes: RaterVotes, fit: FactorFit, only: Uint8Array | null): number {
  const { model, x } = fit;
  const { dim, g, v, eta } = model;
  const c = votes.contenders;
  const p = dim + 1;
  const grad = new Float64Array(c * p);
  const hess = new Float64Array(c * p * p);
  const vPrecision = 1 / (model.scale * model.scale);
  for (let k = 0; k < c; k++) {
    grad[k * p] = -G_PRECISION * g[k]!;
    hess[k * p * p] = G_PRECISION;
    for (let i = 0; i < dim; i++) {
      grad[k * p + 1 + i] = -vPrecision * v[k * dim + i]!;
      hess[k * p * p + (1 + i) * p + 1 + i] = vPrecision;
    }
  }
  const f = new Float64Array(p);
  f[0] = 1;
  const slope = new Float64Array(2);
  // The log-posterior before the step, accumulated in the same pass as the derivatives.
  let before = priorTerms(model) + raterPriorTerms(fit, only, votes);
  for (let u = 0; u < votes.raters; u++) {
    if (only && !only[u]) continue;
    const at = u * dim;
    for (let i = 0; i < dim; i++) f[1 + i] = x[at + i]!;
    for (let k = votes.start[u]!; k < votes.start[u + 1]!; k++) {
      const a = votes.a[k]!;
      const b = votes.b[k]!;
      before += voteTerms(voteD(votes, fit, u, k), eta, votes.y[k]!, slope);
      const sg = slope[0]!;
      const sh = slope[1]!;
      const ga = a * p;
      const gb = b * p;
      const ha = a * p * p;
      const hb = b * p * p;
      for (let i = 0; i < p; i++) {
        grad[ga + i]! += sg * f[i]!;
        grad[gb + i]! -= sg * f[i]!;
        const hf = sh * f[i]!;
        for (let j = 0; j <= i; j++) {
          hess[ha + i * p + j]! += hf * f[j]!;
          hess[hb + i * p + j]! += hf * f[j]!;
        }
      }
    }
  }
  const step = new Float64Array(c * p);
  const block = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < p; i++) {
      rhs[i] = grad[k * p + i]!;
      for (let j = 0; j <= i; j++) block[i * p + j] = block[j * p + i] = hess[k * p * p + i * p + j]!;
    }
    step.set(choleskySolve(choleskyFactor(block, p), rhs, p), k * p);
  }
  const g0 = Float64Array.from(g);
  const v0 = Float64Array.from(v);
  for (const t of [1, 0.5, 0.25]) {
    for (let k = 0; k < c; k++) {
      g[k] = g0[k]! + t * step[k * p]!;
      for (let i = 0; i < dim; i++) v[k * dim + i] = v0[k * dim + i]! + t * step[k * p + 1 + i]!;
    }
    const after = factorObjective(votes, fit, only);
    if (after >= before - 1e-9) return after;
  }
  g.set(g0);
  v.set(v0);
  return before;
}

/** One Newton step on the tie parameter η given everything else. */
function stepEta(votes: RaterVotes, fit: FactorFit, etaPrior: number, only: Uint8Array | null): void {
  const { model } = fit;
  const e = Math.exp(model.eta);
  let grad = -ETA_PRECISION * (model.eta - etaPrior);
  let hess = ETA_PRECISION;
  for (let u = 0; u < votes.raters; u++) {
    if (only && !only[u]) continue;
    for (let k = votes.start[u]!; k < votes.start[u + 1]!; k++) {
      const d = voteD(votes, fit, u, k);
      const z = 2 * Math.cosh(d / 2) + e;
      const pt = e / z;
      const tie = votes.y[k]! >= 2 ? 1 : 0;
      grad += tie - pt;
      hess += pt * (1 - pt);
    }
  }
  model.eta += grad / hess;
}

/** The log-posterior: votes' log-likelihood plus the priors on positions, deviations, loadings and board. */
export function factorObjective(votes: RaterVotes, fit: FactorFit, only: Uint8Array | null = null): number {
  let sum = priorTerms(fit.model) + raterPriorTerms(fit, only, votes);
  for (let u = 0; u < votes.raters; u++) {
    if (only && !only[u]) continue;
    for (let k = votes.start[u]!; k < votes.start[u + 1]!; k++) sum += outcomeLogProb(voteD(votes, fit, u, k), fit.model.eta, votes.y[k]!);
  }
  return sum;
}

/** The log-prior of the raters' positions and deviations. */
function raterPriorTerms(fit: FactorFit, only: Uint8Array | null, votes: RaterVotes): number {
  const { dim, tau } = fit.model;
  const epsPrecision = tau > 0 ? 1 / (tau * tau) : 0;
  let sum = 0;
  for (let u = 0; u < votes.raters; u++) {
    if (only && !only[u]) continue;
    for (let i = 0; i < dim; i++) sum -= fit.x[u * dim + i]! ** 2 / 2;
    if (tau > 0) for (let j = fit.judged.start[u]!; j < fit.judged.start[u + 1]!; j++) sum -= (epsPrecision * fit.eps[j]! ** 2) / 2;
  }
  return sum;
}

/** The log-prior of the contenders' board and loadings. */
function priorTerms(model: FactorModel): number {
  const vPrecision = 1 / (model.scale * model.scale);
  let sum = 0;
  for (let k = 0; k < model.g.length; k++) sum -= (G_PRECISION * model.g[k]! ** 2) / 2;
  for (let i = 0; i < model.v.length; i++) sum -= (vPrecision * model.v[i]! ** 2) / 2;
  return sum;
}

/**
 * Starting loadings: the top `dim` principal directions of the raters' shrunken deviations from
 * the global board (a sparse covariance, then subspace iteration), each scaled to the prior sd.
 */
function principalLoadings(votes: RaterVotes, global: GlobalBoard, dim: number, scale: number): Float64Array {
  const c = votes.contenders;
  const v = new Float64Array(c * dim);
  if (dim === 0) return v;
  // The directions are the same for every D tried on these votes: computed once, for the largest.
  let cached = basisCache.get(votes);
  if (!cached || cached.global !== global || cached.dim < dim) {
    cached = { global, dim: Math.max(dim, MAX_BASIS), basis: principalBasis(votes, global, Math.min(c, Math.max(dim, MAX_BASIS))) };
    basisCache.set(votes, cached);
  }
  const basis = cached.basis;
  for (let k = 0; k < c; k++) for (let i = 0; i < dim; i++) v[k * dim + i] = basis[i * c + k]! * scale * Math.sqrt(c);
  return v;
}

/** Principal bases already computed, per vote set (dropped with it). */
const basisCache = new WeakMap<RaterVotes, { global: GlobalBoard; dim: number; basis: Float64Array }>();
const MAX_BASIS = 8;

/** The top `dim` principal directions (rows, dim × contenders) of the raters' shrunken deviations. */
function principalBasis(votes: RaterVotes, global: GlobalBoard, dim: number): Float64Array {
  const c = votes.contenders;
  const cov = new Float64Array(c * c);
  const scratch = new DeviationScratch(c);
  const baseD = new Float64Array(Math.max(1, maxVotes(votes)));
  // Raters with very many votes are capped in weight, so a few heavy raters do not set the axes.
  const stride = Math.max(1, Math.floor(votes.raters / 5_000));
  for (let u = 0; u < votes.raters; u += stride) {
    const s = votes.start[u]!;
    const e = votes.start[u + 1]!;
    if (e - s < 2) continue;
    for (let k = s; k < e; k++) baseD[k - s] = global.theta[votes.a[k]!]! - global.theta[votes.b[k]!]!;
    fitDeviation({ a: votes.a, b: votes.b, y: votes.y, from: s, to: e, baseD, eta: global.eta }, 1, scratch, 4);
    const m = scratch.count;
    for (let i = 0; i < m; i++) {
      const ci = scratch.touched[i]!;
      const ei = scratch.eps[ci]!;
      for (let j = 0; j < m; j++) cov[ci * c + scratch.touched[j]!]! += ei * scratch.eps[scratch.touched[j]!]!;
    }
  }
  return topEigenvectors(cov, c, dim);
}

/** The top `dim` eigenvectors (rows of the answer, dim × n) of a symmetric n×n matrix, by subspace iteration. */
export function topEigenvectors(m: Float64Array, n: number, dim: number): Float64Array {
  const q = new Float64Array(dim * n);
  // A fixed, deterministic start that is not orthogonal to any eigenvector in practice.
  for (let i = 0; i < dim; i++) for (let k = 0; k < n; k++) q[i * n + k] = Math.cos((i + 1) * (k + 1) * 0.7 + i);
  const next = new Float64Array(dim * n);
  for (let iter = 0; iter < 200; iter++) {
    next.fill(0);
    for (let i = 0; i < dim; i++) {
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += m[r * n + k]! * q[i * n + k]!;
        next[i * n + r] = s;
      }
    }
    orthonormalise(next, dim, n);
    let change = 0;
    for (let i = 0; i < dim * n; i++) change = Math.max(change, Math.abs(Math.abs(next[i]!) - Math.abs(q[i]!)));
    q.set(next);
    if (change < 1e-7) break;
  }
  return q;
}

/** Gram-Schmidt on the rows of a dim × n matrix, in place (a zero row stays zero). */
function orthonormalise(q: Float64Array, dim: number, n: number): void {
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += q[i * n + k]! * q[j * n + k]!;
      for (let k = 0; k < n; k++) q[i * n + k]! -= dot * q[j * n + k]!;
    }
    let norm = 0;
    for (let k = 0; k < n; k++) norm += q[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm > 1e-300) for (let k = 0; k < n; k++) q[i * n + k]! /= norm;
  }
}

function maxVotes(votes: RaterVotes): number {
  let max = 0;
  for (let u = 0; u < votes.raters; u++) max = Math.max(max, votes.start[u + 1]! - votes.start[u]!);
  return max;
}
