/**
 * Davidson-Bradley-Terry: the batch rating model. Pure functions over typed arrays, so the same
 * code fits boards inside a Durable Object alarm and in plain Node (tests, eval, bench).
 *
 * With d = θa − θb and tie parameter ν = e^η:
 *   P(a) = e^{d/2}/Z, P(b) = e^{−d/2}/Z, P(tie) = ν/Z, Z = e^{d/2} + e^{−d/2} + ν.
 * `both_bad` counts as a tie for strength. The fit is a maximum a posteriori estimate with a
 * Gaussian prior θ ~ N(0, 1/λ) (which also pins the mean at 0), found by damped Newton on
 * pair-aggregated counts, so its cost grows with distinct pairs, not with votes.
 */
import { centredStandardErrors, choleskyFactor, choleskyInverse, choleskySolve } from "./linalg.js";

/** Outcome codes, as stored in the `y` array of a vote set. */
export const A_WINS = 0;
export const B_WINS = 1;
export const TIE = 2;
export const BOTH_BAD = 3;

/** Votes as typed arrays: contender indices `a`, `b` and outcome `y` (codes above). */
export interface VoteArrays {
  a: Int32Array;
  b: Int32Array;
  y: Uint8Array;
  /** optional weight per vote (default 1); used by the cluster mixture */
  w?: Float64Array;
}

/** Counts for each unordered pair i < j: i's wins, j's wins, ties (incl. both_bad). */
export interface PairCounts {
  i: Int32Array;
  j: Int32Array;
  winsI: Float64Array;
  winsJ: Float64Array;
  ties: Float64Array;
  /** the part of `ties` that were both_bad votes */
  bothBad: Float64Array;
}

export interface FitOptions {
  /** prior precision on each strength (default 0.1, i.e. a prior sd of about 3.2 logits) */
  lambda?: number;
  /** prior mean of the strengths (default all 0); a cluster's fit leans toward the global board */
  priorMean?: ArrayLike<number> | null;
  /** prior mean of η = ln ν and its precision (defaults: ln 0.3 and 0.5) */
  etaPrior?: number;
  etaLambda?: number;
  maxIterations?: number;
  tolerance?: number;
  /** skip the covariance (and intervals) when only point estimates are needed */
  intervals?: boolean;
}

export interface DavidsonFit {
  /** strengths in logits, mean zero */
  theta: Float64Array;
  /** standard error of each strength relative to the mean (NaN when intervals were skipped) */
  se: Float64Array;
  /** η = ln ν, the tie parameter */
  eta: number;
  /** log-likelihood of the votes at the estimate */
  logLik: number;
  iterations: number;
}

/** Aggregates votes into unordered pair counts; vote weights are honoured. */
export function countPairs(n: number, votes: VoteArrays): PairCounts {
  const index = new Map<number, number>();
  const is: number[] = [];
  const js: number[] = [];
  const wi: number[] = [];
  const wj: number[] = [];
  const wt: number[] = [];
  const wb: number[] = [];
  const { a, b, y, w } = votes;
  for (let v = 0; v < a.length; v++) {
    const x = a[v]!;
    const z = b[v]!;
    if (x === z) continue;
    const lo = x < z ? x : z;
    const hi = x < z ? z : x;
    const key = lo * n + hi;
    let k = index.get(key);
    if (k === undefined) {
      k = is.length;
      index.set(key, k);
      is.push(lo);
      js.push(hi);
      wi.push(0);
      wj.push(0);
      wt.push(0);
      wb.push(0);
    }
    const weight = w ? w[v]! : 1;
    const outcome = y[v]!;
    if (outcome === A_WINS) {
      if (x === lo) wi[k]! += weight;
      else wj[k]! += weight;
    } else if (outcome === B_WINS) {
      if (z === lo) wi[k]! += weight;
      else wj[k]! += weight;
    } else {
      wt[k]! += weight;
      if (outcome === BOTH_BAD) wb[k]! += weight;
    }
  }
  return {
    i: Int32Array.from(is),
    j: Int32Array.from(js),
    winsI: Float64Array.from(wi),
    winsJ: Float64Array.from(wj),
    ties: Float64Array.from(wt),
    bothBad: Float64Array.from(wb),
  };
}

/** Davidson outcome probabilities for strength difference d and tie parameter η. */
export function davidsonProbabilities(d: number, eta: number): { a: number; b: number; tie: number } {
  // Shift by the largest exponent so that large |d| cannot overflow.
  const ea = d / 2;
  const eb = -d / 2;
  const m = Math.max(ea, eb, eta);
  const pa = Math.exp(ea - m);
  const pb = Math.exp(eb - m);
  const pt = Math.exp(eta - m);
  const z = pa + pb + pt;
  return { a: pa / z, b: pb / z, tie: pt / z };
}

/** Log-likelihood of pair counts under strengths θ and tie parameter η. */
export function pairLogLik(pairs: PairCounts, theta: ArrayLike<number>, eta: number): number {
  let ll = 0;
  for (let k = 0; k < pairs.i.length; k++) {
    const wi = pairs.winsI[k]!;
    const wj = pairs.winsJ[k]!;
    const t = pairs.ties[k]!;
    if (wi === 0 && wj === 0 && t === 0) continue;
    const h = (theta[pairs.i[k]!]! - theta[pairs.j[k]!]!) / 2;
    const m = h > -h ? (h > eta ? h : eta) : -h > eta ? -h : eta;
    const logZ = m + Math.log(Math.exp(h - m) + Math.exp(-h - m) + Math.exp(eta - m));
    ll += wi * (h - logZ) + wj * (-h - logZ) + t * (eta - logZ);
  }
  return ll;
}

function objective(pairs: PairCounts, theta: Float64Array, eta: number, o: Required<FitOptions>): number {
  let prior = 0;
  for (let c = 0; c < theta.length; c++) {
    const dev = theta[c]! - (o.priorMean ? o.priorMean[c]! : 0);
    prior += dev * dev;
  }
  const de = eta - o.etaPrior;
  return -pairLogLik(pairs, theta, eta) + 0.5 * o.lambda * prior + 0.5 * o.etaLambda * de * de;
}

const DEFAULTS: Required<FitOptions> = {
  lambda: 0.1,
  priorMean: null,
  etaPrior: Math.log(0.3),
  etaLambda: 0.5,
  maxIterations: 100,
  tolerance: 1e-9,
  intervals: true,
};

/**
 * Fits the Davidson-BT model to pair counts over n contenders.
 * `start` may carry strengths from an earlier fit to warm-start Newton.
 */
export function fitDavidson(
  n: number,
  pairs: PairCounts,
  options: FitOptions = {},
  start?: { theta?: ArrayLike<number>; eta?: number },
): DavidsonFit {
  const o = { ...DEFAULTS, ...options };
  const dim = n + 1; // n strengths, then η
  const theta = new Float64Array(n);
  if (start?.theta) for (let c = 0; c < n; c++) theta[c] = start.theta[c] ?? 0;
  else if (o.priorMean) for (let c = 0; c < n; c++) theta[c] = o.priorMean[c]!;
  let eta = start?.eta ?? o.etaPrior;
  const grad = new Float64Array(dim);
  const hess = new Float64Array(dim * dim);
  let f = objective(pairs, theta, eta, o);
  let iterations = 0;

  for (; iterations < o.maxIterations; iterations++) {
    accumulate(n, pairs, theta, eta, o, grad, hess);
    const step = choleskySolve(choleskyFactor(hess, dim), grad, dim);
    // Damped Newton: halve the step until the objective does not increase.
    let scale = 1;
    let next = f;
    const trial = new Float64Array(n);
    let trialEta = eta;
    for (let tries = 0; tries < 40; tries++) {
      for (let c = 0; c < n; c++) trial[c] = theta[c]! - scale * step[c]!;
      trialEta = eta - scale * step[n]!;
      next = objective(pairs, trial, trialEta, o);
      if (next <= f + 1e-12 * Math.abs(f)) break;
      scale /= 2;
    }
    let maxStep = 0;
    for (let c = 0; c < dim; c++) maxStep = Math.max(maxStep, Math.abs(scale * step[c]!));
    theta.set(trial);
    eta = trialEta;
    f = next;
    if (maxStep < o.tolerance) {
      iterations++;
      break;
    }
  }

  let se: Float64Array = new Float64Array(n).fill(Number.NaN);
  if (o.intervals) {
    accumulate(n, pairs, theta, eta, o, grad, hess);
    // Intervals relative to the field's mean.
    se = centredStandardErrors(choleskyInverse(choleskyFactor(hess, dim), dim), dim, n);
  }
  return { theta, se, eta, logLik: pairLogLik(pairs, theta, eta), iterations };
}

/** Gradient and Hessian of the negative log posterior, written into grad and hess. */
function accumulate(
  n: number,
  pairs: PairCounts,
  theta: Float64Array,
  eta: number,
  o: Required<FitOptions>,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const dim = n + 1;
  grad.fill(0);
  hess.fill(0);
  for (let k = 0; k < pairs.i.length; k++) {
    const i = pairs.i[k]!;
    const j = pairs.j[k]!;
    const wi = pairs.winsI[k]!;
    const wj = pairs.winsJ[k]!;
    const t = pairs.ties[k]!;
    const m = wi + wj + t;
    if (m === 0) continue;
    const p = davidsonProbabilities(theta[i]! - theta[j]!, eta);
    const diff = p.a - p.b;
    const gd = -((wi - wj) / 2 - (m * diff) / 2);
    const ge = -(t - m * p.tie);
    const hdd = m * ((p.a + p.b) / 4 - (diff * diff) / 4);
    const hde = m * (-p.tie * diff) / 2;
    const hee = m * p.tie * (1 - p.tie);
    grad[i]! += gd;
    grad[j]! -= gd;
    grad[n]! += ge;
    hess[i * dim + i]! += hdd;
    hess[j * dim + j]! += hdd;
    hess[i * dim + j]! -= hdd;
    hess[j * dim + i]! -= hdd;
    hess[i * dim + n]! += hde;
    hess[n * dim + i]! += hde;
    hess[j * dim + n]! -= hde;
    hess[n * dim + j]! -= hde;
    hess[n * dim + n]! += hee;
  }
  for (let c = 0; c < n; c++) {
    grad[c]! += o.lambda * (theta[c]! - (o.priorMean ? o.priorMean[c]! : 0));
    hess[c * dim + c]! += o.lambda;
  }
  grad[n]! += o.etaLambda * (eta - o.etaPrior);
  hess[n * dim + n]! += o.etaLambda;
}
