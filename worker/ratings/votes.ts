/**
 * Votes laid out for the taste fits: grouped by rater in typed arrays, each vote tagged with its
 * unordered pair and the outcome from that pair's side, so that the E- and M-steps of the
 * mixture are table look-ups and adds over flat arrays.
 */
import { A_WINS, B_WINS, type PairCounts } from "./davidson.js";

/** Oriented outcomes: the lower-indexed contender of the pair won, the higher won, or a tie. */
export const LO_WINS = 0;
export const HI_WINS = 1;
export const PAIR_TIE = 2;

/** Votes grouped by rater (in their original order within a rater). */
export interface RaterVotes {
  raters: number;
  contenders: number;
  /** votes of rater u are [start[u], start[u+1]) */
  start: Int32Array;
  a: Int32Array;
  b: Int32Array;
  y: Uint8Array;
  /** index into the pair table for each vote */
  pair: Int32Array;
  /** oriented outcome for each vote (LO_WINS, HI_WINS, PAIR_TIE) */
  o: Uint8Array;
  /** pair * 3 + o: the vote's cell in per-pair outcome tables */
  code: Int32Array;
  /** the pair table: contenders lo < hi */
  pairLo: Int32Array;
  pairHi: Int32Array;
}

/**
 * Groups votes by rater (a stable counting sort) and indexes their pairs.
 * `rater[v]` is the rater index of vote v, in [0, raters).
 */
export function groupVotes(raters: number, contenders: number, rater: Int32Array, a: Int32Array, b: Int32Array, y: Uint8Array): RaterVotes {
  const n = rater.length;
  const start = new Int32Array(raters + 1);
  for (let v = 0; v < n; v++) start[rater[v]! + 1]!++;
  for (let u = 0; u < raters; u++) start[u + 1]! += start[u]!;
  const fill = start.slice(0, raters);
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[fill[rater[v]!]!++] = v;
  const ga = new Int32Array(n);
  const gb = new Int32Array(n);
  const gy = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = order[i]!;
    ga[i] = a[v]!;
    gb[i] = b[v]!;
    gy[i] = y[v]!;
  }
  return indexPairs({ raters, contenders, start, a: ga, b: gb, y: gy });
}

/** Adds the pair table and oriented outcomes to rater-grouped votes. */
export function indexPairs(v: Pick<RaterVotes, "raters" | "contenders" | "start" | "a" | "b" | "y">): RaterVotes {
  const n = v.a.length;
  const c = v.contenders;
  const pair = new Int32Array(n);
  const o = new Uint8Array(n);
  const los: number[] = [];
  const his: number[] = [];
  // Dense pair ids when the square fits comfortably, a Map otherwise.
  const dense = c * c <= 4_000_000 ? new Int32Array(c * c).fill(-1) : null;
  const sparse = dense ? null : new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = v.a[i]!;
    const z = v.b[i]!;
    const lo = x < z ? x : z;
    const hi = x < z ? z : x;
    const key = lo * c + hi;
    let id = dense ? dense[key]! : (sparse!.get(key) ?? -1);
    if (id < 0) {
      id = los.length;
      los.push(lo);
      his.push(hi);
      if (dense) dense[key] = id;
      else sparse!.set(key, id);
    }
    pair[i] = id;
    const y = v.y[i]!;
    o[i] = y === A_WINS ? (x === lo ? LO_WINS : HI_WINS) : y === B_WINS ? (z === lo ? LO_WINS : HI_WINS) : PAIR_TIE;
  }
  const code = Int32Array.from(pair, (p, i) => p * 3 + o[i]!);
  return { ...v, pair, o, code, pairLo: Int32Array.from(los), pairHi: Int32Array.from(his) };
}

/**
 * Splits each rater's votes into training and held-out: the last `fraction` of each rater's
 * votes is held out, as DESIGN.md §4 prescribes, rounded to the nearest vote but leaving at least
 * two for training (so raters with 3 to 4 votes still hold one out). Both halves keep rater indices.
 */
export function splitHeldOut(votes: RaterVotes, fraction = 0.2): { train: RaterVotes; test: RaterVotes } {
  const held = new Uint8Array(votes.a.length);
  for (let u = 0; u < votes.raters; u++) {
    const s = votes.start[u]!;
    const e = votes.start[u + 1]!;
    held.fill(1, e - heldOutCount(e - s, fraction), e);
  }
  return splitVotes(votes, held);
}

/**
 * Holds out votes of both kinds a prediction is asked about: every vote touching a `fraction` of
 * the contenders each rater judged (chosen by a fixed hash, so as if the rater had never met
 * them), then the last `fraction` of the rest, as `splitHeldOut` does. Raters with fewer than
 * five votes or four contenders hold out only the latter; at least two votes stay in training.
 */
export function splitMixed(votes: RaterVotes, fraction = 0.2): { train: RaterVotes; test: RaterVotes } {
  const held = new Uint8Array(votes.a.length);
  const mark = new Uint8Array(votes.contenders);
  const judged: number[] = [];
  for (let u = 0; u < votes.raters; u++) {
    const s = votes.start[u]!;
    const e = votes.start[u + 1]!;
    judged.length = 0;
    for (let v = s; v < e; v++) {
      for (const c of [votes.a[v]!, votes.b[v]!]) {
        if (!mark[c]) {
          mark[c] = 1;
          judged.push(c);
        }
      }
    }
    for (const c of judged) mark[c] = 0;
    const away = e - s >= 5 && judged.length >= 4 ? Math.max(1, Math.round(judged.length * fraction)) : 0;
    judged.sort((x, z) => mixHash(u, x) - mixHash(u, z) || x - z);
    for (let i = 0; i < away; i++) mark[judged[i]!] = 1;
    let kept = 0;
    for (let v = s; v < e; v++) {
      if (mark[votes.a[v]!] || mark[votes.b[v]!]) held[v] = 1;
      else kept++;
    }
    for (let i = 0; i < away; i++) mark[judged[i]!] = 0;
    if (kept < 2) {
      held.fill(0, s, e);
      kept = e - s;
    }
    // Then the last `fraction` of what is left, still keeping two in training.
    let later = Math.max(0, Math.min(Math.round(kept * fraction), kept - 2));
    for (let v = e - 1; v >= s && later > 0; v--) {
      if (!held[v]) {
        held[v] = 1;
        later--;
      }
    }
  }
  return splitVotes(votes, held);
}

/** A fixed pseudo-random order of (rater, contender) pairs. */
function mixHash(u: number, c: number): number {
  let h = Math.imul(u + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(c + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Splits votes into training (held[v] = 0) and held-out (held[v] = 1), keeping rater order and indices. */
export function splitVotes(votes: RaterVotes, held: Uint8Array): { train: RaterVotes; test: RaterVotes } {
  const pick = (want: number) => {
    let total = 0;
    for (let v = 0; v < held.length; v++) if (held[v] === want) total++;
    const st = new Int32Array(votes.raters + 1);
    const out = {
      a: new Int32Array(total),
      b: new Int32Array(total),
      y: new Uint8Array(total),
      pair: new Int32Array(total),
      o: new Uint8Array(total),
      code: new Int32Array(total),
    };
    let to = 0;
    for (let u = 0; u < votes.raters; u++) {
      for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) {
        if (held[v] !== want) continue;
        out.a[to] = votes.a[v]!;
        out.b[to] = votes.b[v]!;
        out.y[to] = votes.y[v]!;
        out.pair[to] = votes.pair[v]!;
        out.o[to] = votes.o[v]!;
        out.code[to] = votes.code[v]!;
        to++;
      }
      st[u + 1] = to;
    }
    return { ...votes, start: st, ...out };
  };
  return { train: pick(0), test: pick(1) };
}

/** How many of a rater's n votes are held out. */
export function heldOutCount(n: number, fraction: number): number {
  return Math.max(0, Math.min(Math.round(n * fraction), n - 2));
}

/** Pair counts over all votes, each vote weighted by `weightOfRater[u]` (1 when absent). */
export function weightedPairCounts(votes: RaterVotes, weightOfRater?: Float64Array): PairCounts {
  const p = votes.pairLo.length;
  const counts = new Float64Array(p * 3);
  const bothBad = new Float64Array(p);
  for (let u = 0; u < votes.raters; u++) {
    const w = weightOfRater ? weightOfRater[u]! : 1;
    if (w === 0) continue;
    for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) {
      counts[votes.pair[v]! * 3 + votes.o[v]!]! += w;
      if (votes.y[v] === 3) bothBad[votes.pair[v]!]! += w;
    }
  }
  return pairCountsFrom(votes, counts, bothBad);
}

/** Wraps a flat [loWins, hiWins, ties] per pair array as PairCounts. */
export function pairCountsFrom(votes: RaterVotes, counts: Float64Array, bothBad?: Float64Array): PairCounts {
  const p = votes.pairLo.length;
  const winsI = new Float64Array(p);
  const winsJ = new Float64Array(p);
  const ties = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    winsI[k] = counts[k * 3]!;
    winsJ[k] = counts[k * 3 + 1]!;
    ties[k] = counts[k * 3 + 2]!;
  }
  return { i: votes.pairLo, j: votes.pairHi, winsI, winsJ, ties, bothBad: bothBad ?? new Float64Array(p) };
}

/** Log-probabilities of the three oriented outcomes of every pair under strengths θ and tie η. */
export function pairLogProbs(votes: RaterVotes, theta: ArrayLike<number>, eta: number, out?: Float64Array): Float64Array {
  const p = votes.pairLo.length;
  const table = out ?? new Float64Array(p * 3);
  for (let k = 0; k < p; k++) {
    const d = theta[votes.pairLo[k]!]! - theta[votes.pairHi[k]!]!;
    const h = d / 2;
    const m = Math.max(h, -h, eta);
    const logZ = m + Math.log(Math.exp(h - m) + Math.exp(-h - m) + Math.exp(eta - m));
    table[k * 3] = h - logZ;
    table[k * 3 + 1] = -h - logZ;
    table[k * 3 + 2] = eta - logZ;
  }
  return table;
}
