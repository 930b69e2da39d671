/**
 * A continuous search for a prior scale (τ, a loading scale) on held-out log-likelihood: a
 * golden-section search over the logarithm of the scale, which is unimodal in practice, with no
 * grid and so no cap below what the data asks for inside the range.
 */

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Maximises score(f(x)) over x in [lo, hi] on a log scale with `steps` evaluations of f (at least
 * 3); answers the best x seen and its value. Deterministic. Ends at a bound when the best lies there.
 */
export function maximiseOnLogScale<T>(f: (x: number) => T, range: readonly [number, number], steps: number, score: (value: T) => number): { x: number; value: T } {
  let a = Math.log(range[0]);
  let b = Math.log(range[1]);
  let best: { x: number; value: T; s: number } | null = null;
  const at = (t: number) => {
    const x = Math.exp(t);
    const value = f(x);
    const s = score(value);
    if (!best || s > best.s) best = { x, value, s };
    return s;
  };
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = at(c);
  let fd = at(d);
  for (let i = 2; i < Math.max(3, steps); i++) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = at(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = at(d);
    }
  }
  const found = best!;
  return { x: found.x, value: found.value };
}
