/**
 * Dense symmetric positive-definite linear algebra for the rating fits: Cholesky factor, solve
 * and inverse over row-major Float64Arrays. Sizes are contenders + 1, so O(n³) is cheap.
 */

/** Lower-triangular Cholesky factor L of the dim×dim matrix m (m = L·Lᵀ). */
export function choleskyFactor(m: Float64Array, dim: number): Float64Array {
  const l = new Float64Array(dim * dim);
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c <= r; c++) {
      let s = m[r * dim + c]!;
      for (let k = 0; k < c; k++) s -= l[r * dim + k]! * l[c * dim + k]!;
      if (r === c) {
        // A tiny floor keeps a numerically semi-definite matrix solvable.
        l[r * dim + r] = Math.sqrt(Math.max(s, 1e-12));
      } else {
        l[r * dim + c] = s / l[c * dim + c]!;
      }
    }
  }
  return l;
}

/** Solves (L·Lᵀ) x = rhs for x. */
export function choleskySolve(l: Float64Array, rhs: Float64Array, dim: number): Float64Array {
  const y = new Float64Array(dim);
  for (let r = 0; r < dim; r++) {
    let s = rhs[r]!;
    for (let k = 0; k < r; k++) s -= l[r * dim + k]! * y[k]!;
    y[r] = s / l[r * dim + r]!;
  }
  const x = new Float64Array(dim);
  for (let r = dim - 1; r >= 0; r--) {
    let s = y[r]!;
    for (let k = r + 1; k < dim; k++) s -= l[k * dim + r]! * x[k]!;
    x[r] = s / l[r * dim + r]!;
  }
  return x;
}

/** The inverse of L·Lᵀ, row-major. */
export function choleskyInverse(l: Float64Array, dim: number): Float64Array {
  const inv = new Float64Array(dim * dim);
  const e = new Float64Array(dim);
  for (let c = 0; c < dim; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySolve(l, e, dim);
    for (let r = 0; r < dim; r++) inv[r * dim + c] = col[r]!;
  }
  return inv;
}

/**
 * Standard errors of the first n coordinates relative to their mean, from a dim×dim covariance:
 * Var(θi − mean θ) = Cii − 2·mean_j Cij + mean_jk Cjk (comparisons identify no absolute level).
 */
export function centredStandardErrors(cov: Float64Array, dim: number, n: number): Float64Array {
  const rowMean = new Float64Array(n);
  let all = 0;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += cov[r * dim + c]!;
    rowMean[r] = s / n;
    all += s;
  }
  all /= n * n;
  return Float64Array.from({ length: n }, (_, r) => Math.sqrt(Math.max(0, cov[r * dim + r]! - 2 * rowMean[r]! + all)));
}
