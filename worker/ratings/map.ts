/**
 * The 2-D map of raters: each rater's board relative to the global one, projected on the two
 * principal directions of those differences (power iteration from a fixed start, so the map is
 * the same for the same fit).
 */

/** The mean of row vectors (n × dim, row-major) and their top two principal directions (unit vectors). */
export function principalAxes(rows: Float64Array, n: number, dim: number): { mean: Float64Array; first: Float64Array; second: Float64Array } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += rows[i * dim + d]! / n;
  const centred = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) centred[i * dim + d] = rows[i * dim + d]! - mean[d]!;
  const first = topComponent(centred, n, dim, null);
  const second = dim > 1 ? topComponent(centred, n, dim, first) : new Float64Array(dim);
  return { mean, first, second };
}

/** Projects row vectors (n × dim, row-major) on their top two principal components. */
export function principalPlane(rows: Float64Array, n: number, dim: number): { x: Float64Array; y: Float64Array } {
  const { mean, first, second } = principalAxes(rows, n, dim);
  const centred = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) centred[i * dim + d] = rows[i * dim + d]! - mean[d]!;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let px = 0;
    let py = 0;
    for (let d = 0; d < dim; d++) {
      px += centred[i * dim + d]! * first[d]!;
      py += centred[i * dim + d]! * second[d]!;
    }
    x[i] = px;
    y[i] = py;
  }
  return { x, y };
}

/** Leading eigenvector of XᵀX, orthogonal to `exclude` when given. */
function topComponent(x: Float64Array, n: number, dim: number, exclude: Float64Array | null): Float64Array {
  let v = Float64Array.from({ length: dim }, (_, d) => 1 + ((d * 7919) % 13) / 13);
  const xv = new Float64Array(n);
  for (let iter = 0; iter < 100; iter++) {
    if (exclude) orthogonalise(v, exclude);
    normalise(v);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[i * dim + d]! * v[d]!;
      xv[i] = s;
    }
    const next = new Float64Array(dim);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) next[d]! += x[i * dim + d]! * xv[i]!;
    if (exclude) orthogonalise(next, exclude);
    if (normalise(next) === 0) return next;
    let change = 0;
    for (let d = 0; d < dim; d++) change = Math.max(change, Math.abs(next[d]! - v[d]!));
    v = next;
    if (change < 1e-9) break;
  }
  return v;
}

function orthogonalise(v: Float64Array, u: Float64Array): void {
  let dot = 0;
  for (let d = 0; d < v.length; d++) dot += v[d]! * u[d]!;
  for (let d = 0; d < v.length; d++) v[d]! -= dot * u[d]!;
}

function normalise(v: Float64Array): number {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += v[d]! * v[d]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < v.length; d++) v[d]! /= norm;
  return norm;
}
