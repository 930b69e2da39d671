/**
 * Style control for length: the Davidson-BT model with a covariate, d = θa − θb + γ·x, where
 * x = (words A − words B) / (words A + words B). Fitting θ and γ together separates how much a
 * contender wins on its own from how much it wins by writing more, as LMArena's style-controlled
 * boards do for length and markdown. Votes are aggregated by (pair, x), so repeated passages cost
 * nothing.
 */
import { centredStandardErrors, choleskyFactor, choleskyInverse, choleskySolve } from "./linalg.js";
import { A_WINS, B_WINS } from "./davidson.js";

/** Votes with a length covariate: contender indices, outcome, x, and an optional weight. */
export interface CovariateVotes {
  a: Int32Array;
  b: Int32Array;
  y: Uint8Array;
  x: Float64Array;
  w?: Float64Array;
}

/** Rows of (i < j, x oriented as i − j) with i's wins, j's wins and ties. */
export interface CovariateCounts {
  i: Int32Array;
  j: Int32Array;
  x: Float64Array;
  winsI: Float64Array;
  winsJ: Float64Array;
  ties: Float64Array;
}

export interface LengthFit {
  theta: Float64Array;
  /** standard errors of strengths relative to the mean */
  se: Float64Array;
  eta: number;
  gamma: number;
  gammaSe: number;
  iterations: number;
}

/** The length covariate of two passages: (wA − wB)/(wA + wB), 0 when unknown. */
export function lengthCovariate(wordsA: number | null | undefined, wordsB: number | null | undefined): number {
  if (!wordsA || !wordsB) return 0;
  return (wordsA - wordsB) / (wordsA + wordsB);
}

/** Aggregates votes by contender pair and covariate value (x rounded to 1/1000). */
export function countCovariate(n: number, votes: CovariateVotes): CovariateCounts {
  const index = new Map<string, number>();
  const is: number[] = [];
  const js: number[] = [];
  const xs: number[] = [];
  const wi: number[] = [];
  const wj: number[] = [];
  const wt: number[] = [];
  for (let v = 0; v < votes.a.length; v++) {
    const a = votes.a[v]!;
    const b = votes.b[v]!;
    if (a === b) continue;
    const flip = a > b;
    const lo = flip ? b : a;
    const hi = flip ? a : b;
    const x = Math.round((flip ? -votes.x[v]! : votes.x[v]!) * 1000) / 1000;
    const key = `${lo * n + hi}:${x}`;
    let k = index.get(key);
    if (k === undefined) {
      k = is.length;
      index.set(key, k);
      is.push(lo);
      js.push(hi);
      xs.push(x);
      wi.push(0);
      wj.push(0);
      wt.push(0);
    }
    const w = votes.w ? votes.w[v]! : 1;
    const y = votes.y[v]!;
    if (y === A_WINS) {
      if (flip) wj[k]! += w;
      else wi[k]! += w;
    } else if (y === B_WINS) {
      if (flip) wi[k]! += w;
      else wj[k]! += w;
    } else wt[k]! += w;
  }
  return {
    i: Int32Array.from(is),
    j: Int32Array.from(js),
    x: Float64Array.from(xs),
    winsI: Float64Array.from(wi),
    winsJ: Float64Array.from(wj),
    ties: Float64Array.from(wt),
  };
}

export interface LengthFitOptions {
  lambda?: number;
  priorMean?: ArrayLike<number> | null;
  etaPrior?: number;
  etaLambda?: number;
  /** prior precision of γ (weak) */
  gammaLambda?: number;
  maxIterations?: number;
}

/** Fits strengths, tie parameter and the length coefficient γ by damped Newton, with intervals. */
export function fitLengthControlled(n: number, rows: CovariateCounts, options: LengthFitOptions = {}): LengthFit {
  const lambda = options.lambda ?? 0.1;
  const mean = options.priorMean ?? null;
  const etaPrior = options.etaPrior ?? Math.log(0.3);
  const etaLambda = options.etaLambda ?? 0.5;
  const gammaLambda = options.gammaLambda ?? 0.01;
  const dim = n + 2; // θ, then η, then γ
  const params = new Float64Array(dim);
  if (mean) for (let c = 0; c < n; c++) params[c] = mean[c]!;
  params[n] = etaPrior;
  const grad = new Float64Array(dim);
  const hess = new Float64Array(dim * dim);

  const objective = (p: Float64Array): number => {
    let f = 0;
    for (let k = 0; k < rows.i.length; k++) {
      const h = (p[rows.i[k]!]! - p[rows.j[k]!]! + p[n + 1]! * rows.x[k]!) / 2;
      const eta = p[n]!;
      const m = Math.max(h, -h, eta);
      const logZ = m + Math.log(Math.exp(h - m) + Math.exp(-h - m) + Math.exp(eta - m));
      f -= rows.winsI[k]! * (h - logZ) + rows.winsJ[k]! * (-h - logZ) + rows.ties[k]! * (eta - logZ);
    }
    for (let c = 0; c < n; c++) f += 0.5 * lambda * (p[c]! - (mean ? mean[c]! : 0)) ** 2;
    return f + 0.5 * etaLambda * (p[n]! - etaPrior) ** 2 + 0.5 * gammaLambda * p[n + 1]! ** 2;
  };

  const accumulate = (p: Float64Array) => {
    grad.fill(0);
    hess.fill(0);
    const g = n + 1;
    for (let k = 0; k < rows.i.length; k++) {
      const i = rows.i[k]!;
      const j = rows.j[k]!;
      const x = rows.x[k]!;
      const wi = rows.winsI[k]!;
      const wj = rows.winsJ[k]!;
      const t = rows.ties[k]!;
      const m = wi + wj + t;
      if (m === 0) continue;
      const eta = p[n]!;
      const h = (p[i]! - p[j]! + p[g]! * x) / 2;
      const top = Math.max(h, -h, eta);
      const ea = Math.exp(h - top);
      const eb = Math.exp(-h - top);
      const et = Math.exp(eta - top);
      const z = ea + eb + et;
      const pa = ea / z;
      const pb = eb / z;
      const pt = et / z;
      const diff = pa - pb;
      const gd = -((wi - wj) / 2 - (m * diff) / 2);
      const ge = -(t - m * pt);
      const hdd = m * ((pa + pb) / 4 - (diff * diff) / 4);
      const hde = (m * (-pt * diff)) / 2;
      const hee = m * pt * (1 - pt);
      // d depends on θi (+1), θj (−1) and γ (x).
      const coef = [
        [i, 1],
        [j, -1],
        [g, x],
      ] as const;
      for (const [r, cr] of coef) {
        grad[r]! += gd * cr;
        for (const [c, cc] of coef) hess[r * dim + c]! += hdd * cr * cc;
        hess[r * dim + n]! += hde * cr;
        hess[n * dim + r]! += hde * cr;
      }
      grad[n]! += ge;
      hess[n * dim + n]! += hee;
    }
    for (let c = 0; c < n; c++) {
      grad[c]! += lambda * (p[c]! - (mean ? mean[c]! : 0));
      hess[c * dim + c]! += lambda;
    }
    grad[n]! += etaLambda * (p[n]! - etaPrior);
    hess[n * dim + n]! += etaLambda;
    grad[g]! += gammaLambda * p[g]!;
    hess[g * dim + g]! += gammaLambda;
  };

  let f = objective(params);
  let iterations = 0;
  const maxIterations = options.maxIterations ?? 100;
  for (; iterations < maxIterations; iterations++) {
    accumulate(params);
    const step = choleskySolve(choleskyFactor(hess, dim), grad, dim);
    let scale = 1;
    let trial = params;
    let next = f;
    for (let tries = 0; tries < 40; tries++) {
      trial = Float64Array.from(params, (v, c) => v - scale * step[c]!);
      next = objective(trial);
      if (next <= f + 1e-12 * Math.abs(f)) break;
      scale /= 2;
    }
    let maxStep = 0;
    for (let c = 0; c < dim; c++) maxStep = Math.max(maxStep, Math.abs(scale * step[c]!));
    params.set(trial);
    f = next;
    if (maxStep < 1e-9) {
      iterations++;
      break;
    }
  }
  accumulate(params);
  const cov = choleskyInverse(choleskyFactor(hess, dim), dim);
  const se = centredStandardErrors(cov, dim, n);
  return {
    theta: params.slice(0, n),
    se,
    eta: params[n]!,
    gamma: params[n + 1]!,
    gammaSe: Math.sqrt(Math.max(0, cov[(n + 1) * dim + n + 1]!)),
    iterations,
  };
}
