/**
 * Per-rater deviations: θ_u = base_u + ε_u with ε_u ~ N(0, τ²), where base_u is the global board
 * or the rater's cluster mixture. ε_u is the MAP given the rater's own votes, found by Jacobi
 * Newton steps: the prior makes the Hessian diagonally dominant, so the diagonal suffices and a
 * rater costs O(their votes) per step, whatever the number of contenders.
 */

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
  count = 0;
  private readonly mark: Uint8Array;

  constructor(contenders: number) {
    this.eps = new Float64Array(contenders);
    this.grad = new Float64Array(contenders);
    this.hess = new Float64Array(contenders);
    this.touched = new Int32Array(contenders);
    this.mark = new Uint8Array(contenders);
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

  /** Notes that contender c has a deviation for the current rater. */
  touch(c: number): void {
    if (this.mark[c] === 0) {
      this.mark[c] = 1;
      this.touched[this.count++] = c;
    }
  }
}

/**
 * Fits ε for one rater into `scratch.eps` (only touched contenders are non-zero) and leaves the
 * Hessian diagonal in `scratch.hess` (its inverse root is each deviation's standard error).
 */
export function fitDeviation(slice: RaterSlice, tau: number, scratch: DeviationScratch, steps = 6): void {
  scratch.reset();
  if (tau <= 0) return;
  const precision = 1 / (tau * tau);
  for (let v = slice.from; v < slice.to; v++) {
    scratch.touch(slice.a[v]!);
    scratch.touch(slice.b[v]!);
  }
  const { eps, grad, hess, touched } = scratch;
  for (let step = 0; step <= steps; step++) {
    for (let i = 0; i < scratch.count; i++) {
      const c = touched[i]!;
      grad[c] = precision * eps[c]!;
      hess[c] = precision;
    }
    for (let v = slice.from; v < slice.to; v++) {
      const a = slice.a[v]!;
      const b = slice.b[v]!;
      const h = (slice.baseD[v - slice.from]! + eps[a]! - eps[b]!) / 2;
      const m = Math.max(h, -h, slice.eta);
      const pa = Math.exp(h - m);
      const pb = Math.exp(-h - m);
      const z = pa + pb + Math.exp(slice.eta - m);
      const diff = (pa - pb) / z;
      const y = slice.y[v]!;
      const won = y === 0 ? 1 : y === 1 ? -1 : 0;
      const gd = -(won / 2 - diff / 2);
      const hdd = (pa + pb) / z / 4 - (diff * diff) / 4;
      grad[a]! += gd;
      grad[b]! -= gd;
      hess[a]! += hdd;
      hess[b]! += hdd;
    }
    if (step === steps) break;
    for (let i = 0; i < scratch.count; i++) {
      const c = touched[i]!;
      eps[c]! -= grad[c]! / hess[c]!;
    }
  }
}

/** Log-probability of outcome y (0 a, 1 b, else tie) for strength difference d and tie η. */
export function outcomeLogProb(d: number, eta: number, y: number): number {
  const h = d / 2;
  const m = Math.max(h, -h, eta);
  const logZ = m + Math.log(Math.exp(h - m) + Math.exp(-h - m) + Math.exp(eta - m));
  return (y === 0 ? h : y === 1 ? -h : eta) - logZ;
}
