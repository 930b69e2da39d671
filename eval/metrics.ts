/**
 * Metrics for the evaluation harness: agreement of a clustering with the planted truth (ARI,
 * minority recall and precision), the best possible clustering (Bayes rule with the true
 * parameters), and predictive quality on held-out votes (accuracy on decisive votes, log-loss).
 * Pure functions over typed arrays; no fitting happens here.
 */
import { davidsonProbabilities } from "../worker/ratings/davidson.js";
import { type RaterVotes, pairLogProbs } from "../worker/ratings/votes.js";

/** Outcome probabilities of each held-out vote, indexed like the vote arrays. */
export interface VoteProbs {
  a: Float64Array;
  b: Float64Array;
  tie: Float64Array;
}

/** Fresh zeroed probability arrays for n votes. */
export function voteProbs(n: number): VoteProbs {
  return { a: new Float64Array(n), b: new Float64Array(n), tie: new Float64Array(n) };
}

/** Pairs among n items: n choose 2. */
function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Adjusted Rand index of two labelings over the items where `include` is true (all if absent). */
export function adjustedRandIndex(x: ArrayLike<number>, y: ArrayLike<number>, include?: ArrayLike<boolean>): number {
  const table = new Map<number, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (include && !include[i]) continue;
    n++;
    const key = x[i]! * 1_000_003 + y[i]!;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(x[i]!, (rows.get(x[i]!) ?? 0) + 1);
    cols.set(y[i]!, (cols.get(y[i]!) ?? 0) + 1);
  }
  if (n < 2) return 1;
  let index = 0;
  for (const c of table.values()) index += pairs(c);
  let sumRows = 0;
  for (const c of rows.values()) sumRows += pairs(c);
  let sumCols = 0;
  for (const c of cols.values()) sumCols += pairs(c);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  // Both labelings trivial (one cluster each, or all singletons): full agreement by convention.
  if (max === expected) return index === max ? 1 : 0;
  return (index - expected) / (max - expected);
}

/** Hard assignment: the argmax of each rater's row of an R×K responsibility matrix. */
export function hardAssign(resp: Float64Array, raters: number, k: number): Int32Array {
  const out = new Int32Array(raters);
  for (let u = 0; u < raters; u++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (resp[u * k + c]! > resp[u * k + best]!) best = c;
    out[u] = best;
  }
  return out;
}

/** Which raters have at least one vote in a rater-grouped vote set. */
export function hasVotes(votes: RaterVotes): boolean[] {
  return Array.from({ length: votes.raters }, (_, u) => votes.start[u + 1]! > votes.start[u]!);
}

/**
 * Bayes-rule cluster of each rater from their votes under the TRUE cluster strengths, shares and
 * tie rate (no individual noise): argmax_k log π_k + Σ_v log P(y_v | θ_k, ln ν).
 */
export function bayesAssign(votes: RaterVotes, clusters: Float64Array[], shares: number[], tieRate: number): Int32Array {
  const eta = Math.log(tieRate);
  const tables = clusters.map((theta) => pairLogProbs(votes, theta, eta));
  const out = new Int32Array(votes.raters);
  for (let u = 0; u < votes.raters; u++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < clusters.length; c++) {
      const table = tables[c]!;
      let score = Math.log(shares[c]!);
      for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) score += table[votes.pair[v]! * 3 + votes.o[v]!]!;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    out[u] = best;
  }
  return out;
}

/** Maps each fitted cluster to the planted cluster it shares the most (included) raters with. */
export function mapToPlanted(fitted: ArrayLike<number>, k: number, truth: ArrayLike<number>, plantedK: number, include?: ArrayLike<boolean>): Int32Array {
  const overlap = new Float64Array(k * plantedK);
  for (let u = 0; u < fitted.length; u++) if (!include || include[u]) overlap[fitted[u]! * plantedK + truth[u]!]!++;
  const map = new Int32Array(k);
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let t = 1; t < plantedK; t++) if (overlap[c * plantedK + t]! > overlap[c * plantedK + best]!) best = t;
    map[c] = best;
  }
  return map;
}

/**
 * Recall and precision of one planted cluster (`target`) given each rater's predicted planted
 * label: recall over the target's raters, precision over raters labelled target (0 when none).
 */
export function recallPrecision(predicted: ArrayLike<number>, truth: ArrayLike<number>, target: number, include?: ArrayLike<boolean>): { recall: number; precision: number } {
  let hit = 0;
  let actual = 0;
  let called = 0;
  for (let u = 0; u < truth.length; u++) {
    if (include && !include[u]) continue;
    const isTarget = truth[u] === target;
    const saysTarget = predicted[u] === target;
    if (isTarget) actual++;
    if (saysTarget) called++;
    if (isTarget && saysTarget) hit++;
  }
  return { recall: actual > 0 ? hit / actual : Number.NaN, precision: called > 0 ? hit / called : 0 };
}

/** Accuracy and log-loss totals over a subset of votes (merge totals, then divide). */
export interface PredictionTotals {
  /** decisive votes (a or b won) and how many of them the predictor called right */
  decisive: number;
  correct: number;
  /** all votes and the sum of −log p(observed outcome), ties and both_bad as ties */
  votes: number;
  logLoss: number;
}

/** Empty totals. */
export function emptyTotals(): PredictionTotals {
  return { decisive: 0, correct: 0, votes: 0, logLoss: 0 };
}

/**
 * Adds votes [from, to) of `votes` (outcome codes 0 a, 1 b, 2 tie, 3 both_bad) to `totals`:
 * a decisive vote is right when the winner had the larger win probability (half on an exact tie).
 */
export function addPredictions(totals: PredictionTotals, y: Uint8Array, probs: VoteProbs, from: number, to: number): void {
  for (let v = from; v < to; v++) {
    const outcome = y[v]!;
    const pa = probs.a[v]!;
    const pb = probs.b[v]!;
    const p = outcome === 0 ? pa : outcome === 1 ? pb : probs.tie[v]!;
    totals.votes++;
    totals.logLoss -= Math.log(Math.max(p, 1e-300));
    if (outcome === 0 || outcome === 1) {
      totals.decisive++;
      const favoured = pa > pb ? 0 : pb > pa ? 1 : -1;
      totals.correct += favoured === -1 ? 0.5 : favoured === outcome ? 1 : 0;
    }
  }
}

/** Accuracy on decisive votes (fraction; NaN without any). */
export function accuracy(t: PredictionTotals): number {
  return t.decisive > 0 ? t.correct / t.decisive : Number.NaN;
}

/** Mean log-loss per vote (NaN without any). */
export function meanLogLoss(t: PredictionTotals): number {
  return t.votes > 0 ? t.logLoss / t.votes : Number.NaN;
}

/**
 * Probabilities of each vote in a rater-grouped set under known strengths (an oracle ceiling):
 * `thetaOf(u)` gives rater u's strengths, η = ln ν the tie parameter.
 */
export function knownProbs(votes: RaterVotes, thetaOf: (u: number) => ArrayLike<number>, eta: number): VoteProbs {
  const probs = voteProbs(votes.a.length);
  for (let u = 0; u < votes.raters; u++) {
    const theta = thetaOf(u);
    for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) {
      const p = davidsonProbabilities(theta[votes.a[v]!]! - theta[votes.b[v]!]!, eta);
      probs.a[v] = p.a;
      probs.b[v] = p.b;
      probs.tie[v] = p.tie;
    }
  }
  return probs;
}
