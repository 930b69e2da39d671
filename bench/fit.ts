/**
 * Fit benchmark: the whole taste fit (global board, K selection on held-out votes, predictor
 * choice, final refit) on planted data, as seconds and as a ratio to a plain global Davidson-BT
 * fit of the same votes in the same run, with the peak heap it needed.
 * `npm run bench -- fit` runs it; `--quick` skips the 100k-rater case.
 */
import { simulate } from "../eval/simulate.js";
import { countPairs, fitDavidson } from "../worker/ratings/davidson.js";
import { fitTaste } from "../worker/ratings/taste.js";
import { groupVotes } from "../worker/ratings/votes.js";

interface Case {
  label: string;
  raters: number;
  contenders: number;
  shares: number[];
}

const CASES: Case[] = [
  { label: "10k raters × 50 contenders", raters: 10_000, contenders: 50, shares: [0.5, 0.3, 0.2] },
  { label: "100k raters × 200 contenders", raters: 100_000, contenders: 200, shares: [0.4, 0.25, 0.2, 0.1, 0.05] },
];

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** Runs the cases and prints a markdown table. */
export function benchFit(quick: boolean): void {
  const rows: string[] = [];
  for (const c of quick ? CASES.slice(0, 1) : CASES) {
    const planted = simulate({ seed: 1, contenders: c.contenders, raters: c.raters, shares: c.shares, clusterSpread: 1.4, individualSpread: 0.3, votesPerRater: "light", tieRate: 0.3 });
    const votes = planted.a.length;
    global.gc?.();
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const heapBefore = used();
    let t = performance.now();
    const base = fitDavidson(c.contenders, countPairs(c.contenders, planted));
    const baseline = seconds(t);
    t = performance.now();
    const grouped = groupVotes(c.raters, c.contenders, planted.rater, planted.a, planted.b, planted.y);
    let peak = used();
    const fit = fitTaste(grouped, { onProgress: () => (peak = Math.max(peak, used())) });
    const full = seconds(t);
    void base;
    rows.push(
      `| ${c.label} | ${votes.toLocaleString("en")} | ${c.shares.length} | ${fit.mixture.k} | ${baseline.toFixed(3)} | ${full.toFixed(2)} | ${(full / baseline).toFixed(0)}× | ${((peak - heapBefore) / 2 ** 20).toFixed(0)} MiB |`,
    );
    console.error(`fit: ${c.label} done in ${full.toFixed(2)} s`);
  }
  console.log("\n### Batch fit (one core)\n");
  console.log("| data | votes | planted K | chosen K | global BT fit s (baseline) | full taste fit s | ratio | extra heap |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(r);
}
