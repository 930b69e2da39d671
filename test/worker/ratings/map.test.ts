// Covers worker/ratings/map.ts: the principal plane of raters' boards (separation of planted groups, determinism).
import { describe, expect, it } from "vitest";
import { normal } from "../../../eval/simulate.js";
import { principalPlane } from "../../../worker/ratings/map.js";
import { seededRandom } from "../../../worker/ratings/random.js";

const DIM = 8;

/**
 * n rows around group centres: row i belongs to group i mod centres.length, with N(0, noise²) per
 * coordinate. Answers the rows (row-major) and each row's group.
 */
function rows(centres: number[][], n: number, noise: number, seed: number): { data: Float64Array; group: number[] } {
  const random = seededRandom(seed);
  const data = new Float64Array(n * DIM);
  const group: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = i % centres.length;
    group.push(g);
    for (let d = 0; d < DIM; d++) data[i * DIM + d] = centres[g]![d]! + noise * normal(random);
  }
  return { data, group };
}

const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const sd = (x: number[]) => Math.sqrt(mean(x.map((v) => (v - mean(x)) ** 2)));

// Two directions in the 8-D board space, orthogonal, both of unit length.
const U = [1, 1, 1, 1, -1, -1, -1, -1].map((x) => x / Math.sqrt(8));
const W = [1, -1, 1, -1, 1, -1, 1, -1].map((x) => x / Math.sqrt(8));
const at = (u: number, w: number) => U.map((x, d) => 0.2 + u * x + w * W[d]!);

describe("principalPlane", () => {
  it("separates two planted groups along x", () => {
    // Groups 3 apart along U, noise sd 0.3 per coordinate: the gap is 10 noise sds, so the first
    // principal direction is U and every point sits on its group's side of 0.
    const { data, group } = rows([at(-1.5, 0), at(1.5, 0)], 200, 0.3, 1);
    const { x, y } = principalPlane(data, 200, DIM);
    const xs = [0, 1].map((g) => Array.from(x).filter((_, i) => group[i] === g));
    expect(Math.sign(Math.max(...xs[0]!))).toBe(Math.sign(Math.min(...xs[0]!)));
    expect(Math.sign(Math.max(...xs[1]!))).toBe(Math.sign(Math.min(...xs[1]!)));
    expect(Math.sign(mean(xs[0]!))).toBe(-Math.sign(mean(xs[1]!)));
    // The groups' x means are the planted ±1.5 (up to the sign of the axis); y carries noise only.
    expect(Math.abs(mean(xs[1]!) - mean(xs[0]!))).toBeCloseTo(3, 0);
    expect(sd(Array.from(y))).toBeLessThan(0.5);
    // Centred: the coordinates average to 0.
    expect(mean(Array.from(x))).toBeCloseTo(0, 10);
    expect(mean(Array.from(y))).toBeCloseTo(0, 10);
  });

  it("puts the second strongest direction on y, uncorrelated with x", () => {
    // Four groups at (±2 along U, ±0.8 along W): x splits by U, y by W.
    const { data, group } = rows([at(-2, -0.8), at(-2, 0.8), at(2, -0.8), at(2, 0.8)], 400, 0.15, 2);
    const { x, y } = principalPlane(data, 400, DIM);
    const byU = (i: number) => (group[i]! < 2 ? -1 : 1);
    const byW = (i: number) => (group[i]! % 2 === 0 ? -1 : 1);
    const sx = Math.sign(x[group.indexOf(2)]!);
    const sy = Math.sign(y[group.indexOf(1)]!);
    for (let i = 0; i < 400; i++) {
      expect(Math.sign(x[i]!) * sx).toBe(byU(i));
      expect(Math.sign(y[i]!) * sy).toBe(byW(i));
    }
    let xy = 0;
    for (let i = 0; i < 400; i++) xy += x[i]! * y[i]!;
    expect(Math.abs(xy / 400)).toBeLessThan(1e-6);
    expect(sd(Array.from(x))).toBeGreaterThan(sd(Array.from(y)));
  });

  it("is deterministic", () => {
    const a = rows([at(-1, 0.5), at(1, -0.5)], 150, 0.5, 3);
    const b = rows([at(-1, 0.5), at(1, -0.5)], 150, 0.5, 3);
    const first = principalPlane(a.data, 150, DIM);
    const second = principalPlane(b.data, 150, DIM);
    expect(second.x).toEqual(first.x);
    expect(second.y).toEqual(first.y);
    // The input rows are left as they were.
    expect(a.data).toEqual(b.data);
  });

  it("answers zeros, not NaN, when every rater has the same board", () => {
    const data = new Float64Array(5 * DIM).fill(0.7);
    const { x, y } = principalPlane(data, 5, DIM);
    expect(Array.from(x)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(y)).toEqual([0, 0, 0, 0, 0]);
  });
});
