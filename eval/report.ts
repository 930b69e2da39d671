/**
 * Formatting for the evaluation report: summaries over seeds (mean and min–max) and markdown
 * tables. No statistics beyond that and no I/O here.
 */

/** Mean, min and max of the finite values (NaN when there are none) and how many there were. */
export interface Summary {
  mean: number;
  min: number;
  max: number;
  n: number;
}

/** Summarises values over seeds, skipping NaN (an undefined metric for that seed). */
export function summarize(values: number[]): Summary {
  const xs = values.filter((x) => Number.isFinite(x));
  if (xs.length === 0) return { mean: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { mean: xs.reduce((s, x) => s + x, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** "mean (min–max)" with `digits` decimals after scaling by `scale`; "—" when undefined. */
export function cell(s: Summary, digits: number, scale = 1): string {
  if (s.n === 0) return "—";
  const f = (x: number) => (x * scale).toFixed(digits);
  return s.min === s.max ? f(s.mean) : `${f(s.mean)} (${f(s.min)}–${f(s.max)})`;
}

/** A markdown table from a header row and body rows. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Counts of distinct strings, most common first: "x ×3, y ×1". */
export function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1))
    .map(([v, c]) => `${v} ×${c}`)
    .join(", ");
}
