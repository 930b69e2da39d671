/**
 * Stable cluster ids across refits: new clusters are matched to the previous fit's clusters by
 * the smallest total distance between their boards (an exact assignment over subsets, K ≤ 12),
 * keep the old id when close enough, and get a fresh id otherwise.
 */

export interface IdentifiedBoard {
  id: string;
  /** strengths by contender id */
  theta: ReadonlyMap<string, number>;
}

/** Distance beyond which a new cluster is not the old one: RMS difference in logits. */
export const SAME_CLUSTER_RMS = 0.6;

/** Root-mean-square difference of two centred boards over the contenders both rank. */
export function boardDistance(x: ReadonlyMap<string, number>, y: ReadonlyMap<string, number>): number {
  const common = [...x.keys()].filter((c) => y.has(c));
  if (common.length === 0) return Infinity;
  const mx = common.reduce((s, c) => s + x.get(c)!, 0) / common.length;
  const my = common.reduce((s, c) => s + y.get(c)!, 0) / common.length;
  let sum = 0;
  for (const c of common) sum += (x.get(c)! - mx - (y.get(c)! - my)) ** 2;
  return Math.sqrt(sum / common.length);
}

/**
 * Names the new clusters: each gets the id of the previous cluster it is matched to (when within
 * SAME_CLUSTER_RMS), else `c<n>` with n counting on from `nextNumber`. Answers ids and the next n.
 */
export function assignClusterIds(
  previous: IdentifiedBoard[],
  next: ReadonlyMap<string, number>[],
  nextNumber: number,
): { ids: string[]; nextNumber: number } {
  const cost = next.map((board) => previous.map((old) => boardDistance(board, old.theta)));
  const match = bestAssignment(cost, next.length, previous.length);
  let n = nextNumber;
  const ids = next.map((_, i) => {
    const j = match[i]!;
    if (j >= 0 && cost[i]![j]! <= SAME_CLUSTER_RMS) return previous[j]!.id;
    return `c${n++}`;
  });
  return { ids, nextNumber: n };
}

/** Minimum-cost partial matching of rows to columns (−1 = unmatched), by DP over column subsets. */
function bestAssignment(cost: number[][], rows: number, cols: number): number[] {
  const width = Math.min(cols, 12);
  const size = 1 << width;
  // best[i][mask]: least cost for rows i.. given used columns mask; unmatched rows cost a fixed penalty.
  const penalty = SAME_CLUSTER_RMS * 2;
  const memo = new Map<number, { total: number; choice: number }>();
  const solve = (i: number, mask: number): number => {
    if (i === rows) return 0;
    const key = i * size + mask;
    const known = memo.get(key);
    if (known) return known.total;
    let total = penalty + solve(i + 1, mask);
    let choice = -1;
    for (let j = 0; j < width; j++) {
      if (mask & (1 << j)) continue;
      const c = Math.min(cost[i]![j]!, penalty * 10) + solve(i + 1, mask | (1 << j));
      if (c < total) {
        total = c;
        choice = j;
      }
    }
    memo.set(key, { total, choice });
    return total;
  };
  solve(0, 0);
  const out: number[] = [];
  let mask = 0;
  for (let i = 0; i < rows; i++) {
    const j = memo.get(i * size + mask)!.choice;
    out.push(j);
    if (j >= 0) mask |= 1 << j;
  }
  return out;
}
