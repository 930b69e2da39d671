/**
 * Per-rater deviations: θ_u = base_u + ε_u with ε_u ~ N(0, τ²), where base_u is the rater's
 * prediction before their own votes are placed (the global board, their cluster mixture or their
 * taste-space position). ε_u is the MAP given the rater's own votes, by backtracked Newton steps
 * over only the contenders the rater judged, so a rater costs O(votes + judged³) per step.
 */
import { choleskyFactor, choleskySolve } from "./linalg.js";

/** One rater's votes, with the base strength difference of each vote precomputed. */
export interface RaterSlice {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  y: ArrayLike<number>;
  from: number;
  to: number;
  /** base θ[a] − θ[b] of vote v, at index v − from */
  baseD: ArrayLike<number>;
  /** the rater's tie parameter η */
  eta: number;
}

/** Scratch space for deviation fits over C contenders, reused across raters. */
export class DeviationScratch {
  readonly eps: Float64Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  readonly touched: Int32Array;
  /** position of a touched contender in `touched` (valid only for touched contenders) */
  readonly slot: Int32Array;
  /** the Newton direction and the step's starting point, by slot */
  readonly direction: Float64Array;
  readonly before: Float64Array;
  count = 0;
  private readonly mark: Uint8Array;
  private matrix = new Float64Array(0);

  constructor(contenders: number) {
    this.eps = new Float64Array(contenders);
    this.grad = new Float64Array(contenders);
    this.hess = new Float64Array(contenders);
    this.touched = new Int32Array(contenders);
    this.slot = new Int32Array(contenders);
    this.direction = new Float64Array(contenders);
    this.before = new Float64Array(contenders);
    this.mark = new Uint8Array(contenders);
  }

  /** A zeroed-on-demand m×m matrix, reused across raters. */
  dense(m: number): Float64Array {
    if (this.matrix.length < m * m) this.matrix = new Float64Array(Math.max(m * m, 64));
    return this.matrix.subarray(0, m * m);
  }

  /** Clears what the last rater touched. */
  reset(): void {
    for (let i = 0; i < this.count; i++) {
      const c = this.touched[i]!;
      this.eps[c] = 0;
      this.mark[c] = 0;
    }
    this.count = 0;
  }

  /** Whether contender c has a deviation for the current rater. */
  isTouched(c: number): boolean {
    return this.mark[c] === 1;
  }

  /** Notes that contender c has a deviation for the current rater. */
  touch(c: number): void {
    if (this.mark[c] === 0) {
      this.mark[c] = 1;
      this.touched[this.count++] = c;
    }
  }
}

/** Raters who judged at most this many contenders get an exact dense Newton step; others CG. */
const DENSE_MAX = 40;

/**
 * Fits ε for one rater into `scratch.eps` (only touched contenders are non-zero) and leaves the
 * Hessian diagonal in `scratch.hess` (each deviation's precision given the others; its inverse root
 * is the standard error).
 * Newton steps on the full Hessian over the touched contenders (dense below DENSE_MAX, conjugate
 * gradients above), each backtracked until the posterior rises: a loose prior (τ of several
 * logits, which real raters ask for) leaves the Hessian far from diagonal, where a diagonal step
 * overshoots and oscillates. `initial` warm-starts ε (default 0).
 */
export function fitDeviation(slice: RaterSlice, tau: number, scratch: DeviationScratch, steps = 8, initial?: (c: number) => number): void {
  scratch.reset();
  if (tau <= 0) return;
  const precision = 1 / (tau * tau);
  for (let v = slice.from; v < slice.to; v++) {
    scratch.touch(slice.a[v]!);
    scratch.touch(slice.b[v]!);
  }
  const m = scratch.count;
  if (m === 0) return;
  const { eps, grad, hess, touched } = scratch;
  // A warm start (e.g. the last round's deviations) needs only a step or two.
  if (initial) for (let i = 0; i < m; i++) eps[touched[i]!] = initial(touched[i]!);
  const slot = scratch.slot;
  for (let i = 0; i < m; i++) slot[touched[i]!] = i;
  const dense = m <= DENSE_MAX ? scratch.dense(m) : null;
  let objective = deviationObjective(slice, eps, precision, touched, m);
  for (let step = 0; step < steps; step++) {
    // Gradient of the log-posterior and (minus) its Hessian: prior plus a Laplacian of the votes.
    for (let i = 0; i < m; i++) {
      const c = touched[i]!;
      grad[c] = -precision * eps[c]!;
      hess[c] = precision;
    }
    if (dense) {
      dense.fill(0);
      for (let i = 0; i < m; i++) dense[i * m + i] = precision;
    }
    for (let v = slice.from; v < slice.to; v++) {
      const a = slice.a[v]!;
      const b = slice.b[v]!;
      const { g, h } = voteSlope(slice.baseD[v - slice.from]! + eps[a]! - eps[b]!, slice.eta, slice.y[v]!);
      grad[a]! += g;
      grad[b]! -= g;
      hess[a]! += h;
      hess[b]! += h;
      if (dense) {
        const i = slot[a]!;
        const j = slot[b]!;
        dense[i * m + i]! += h;
        dense[j * m + j]! += h;
        dense[i * m + j]! -= h;
        dense[j * m + i]! -= h;
      }
    }
    const dir = scratch.direction;
    if (dense) {
      const l = choleskyFactor(dense, m);
      const rhs = new Float64Array(m);
      for (let i = 0; i < m; i++) rhs[i] = grad[touched[i]!]!;
      dir.set(choleskySolve(l, rhs, m));
    } else conjugateGradient(slice, eps, precision, scratch, m);
    let size = 0;
    for (let i = 0; i < m; i++) size = Math.max(size, Math.abs(dir[i]!));
    if (size < 1e-5) break;
    // Backtrack: halve the step until the log-posterior does not fall.
    let t = 1;
    const before = scratch.before;
    for (let i = 0; i < m; i++) before[i] = eps[touched[i]!]!;
    for (let tries = 0; tries < 8; tries++, t /= 2) {
      for (let i = 0; i < m; i++) eps[touched[i]!] = before[i]! + t * dir[i]!;
      const next = deviationObjective(slice, eps, precision, touched, m);
      if (next >= objective - 1e-12) {
        objective = next;
        break;
      }
      if (tries === 7) for (let i = 0; i < m; i++) eps[touched[i]!] = before[i]!;
    }
    if (size * t < 1e-4) break;
  }
}

/** The rater's log-posterior at ε: their votes' log-likelihood plus the Gaussian prior. */
function deviationObjective(slice: RaterSlice, eps: Float64Array, precision: number, touched: Int32Array, m: number): number {
  let sum = 0;
  for (let v = slice.from; v < slice.to; v++) {
    sum += outcomeLogProb(slice.baseD[v - slice.from]! + eps[slice.a[v]!]! - eps[slice.b[v]!]!, slice.eta, slice.y[v]!);
  }
  for (let i = 0; i < m; i++) sum -= (precision * eps[touched[i]!]! ** 2) / 2;
  return sum;
}

/**
 * Solves the Newton system H·dir = grad by Jacobi-preconditioned conjugate gradients, with
 * H·x computed from the votes (O(votes) per product), for raters who judged many contenders.
 */
function conjugateGradient(slice: RaterSlice, eps: Float64Array, precision: number, scratch: DeviationScratch, m: number): void {
  const { touched, grad, hess, slot } = scratch;
  const weight = new Float64Array(slice.to - slice.from);
  for (let v = slice.from; v < slice.to; v++) {
    weight[v - slice.from] = voteSlope(slice.baseD[v - slice.from]! + eps[slice.a[v]!]! - eps[slice.b[v]!]!, slice.eta, slice.y[v]!).h;
  }
  const x = scratch.direction;
  x.fill(0, 0, m);
  const r = Float64Array.from({ length: m }, (_, i) => grad[touched[i]!]!);
  const z = Float64Array.from(r, (ri, i) => ri / hess[touched[i]!]!);
  const p = Float64Array.from(z);
  const hp = new Float64Array(m);
  let rz = 0;
  for (let i = 0; i < m; i++) rz += r[i]! * z[i]!;
  const stop = rz * 1e-12;
  for (let iter = 0; iter < 50 && rz > stop; iter++) {
    for (let i = 0; i < m; i++) hp[i] = precision * p[i]!;
    for (let v = slice.from; v < slice.to; v++) {
      const i = slot[slice.a[v]!]!;
      const j = slot[slice.b[v]!]!;
      const w = weight[v - slice.from]! * (p[i]! - p[j]!);
      hp[i]! += w;
      hp[j]! -= w;
    }
    let php = 0;
    for (let i = 0; i < m; i++) php += p[i]! * hp[i]!;
    const alpha = rz / php;
    let next = 0;
    for (let i = 0; i < m; i++) {
      x[i]! += alpha * p[i]!;
      r[i]! -= alpha * hp[i]!;
      z[i] = r[i]! / hess[touched[i]!]!;
      next += r[i]! * z[i]!;
    }
    const beta = next / rz;
    rz = next;
    for (let i = 0; i < m; i++) p[i] = z[i]! + beta * p[i]!;
  }
}

/**
 * The slope g = ∂ log P(y | d)/∂d and curvature h = −∂² log P/∂d² of one vote's log-likelihood
 * in its strength difference d (y: 0 a won, 1 b won, else a tie).
 */
export function voteSlope(d: number, eta: number, y: number): { g: number; h: number } {
  const half = d / 2;
  const m = Math.max(half, -half, eta);
  const pa = Math.exp(half - m);
  const pb = Math.exp(-half - m);
  const z = pa + pb + Math.exp(eta - m);
  const diff = (pa - pb) / z;
  const won = y === 0 ? 1 : y === 1 ? -1 : 0;
  return { g: won / 2 - diff / 2, h: (pa + pb) / z / 4 - (diff * diff) / 4 };
}

/** Log-probability of outcome y (0 a, 1 b, else tie) for strength difference d and tie η. */
export function outcomeLogProb(d: number, eta: number, y: number): number {
  const h = d / 2;
  const m = Math.max(h, -h, eta);
  const logZ = m + Math.log(Math.exp(h - m) + Math.exp(-h - m) + Math.exp(eta - m));
  return (y === 0 ? h : y === 1 ? -h : eta) - logZ;
}
