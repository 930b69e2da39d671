/**
 * Turns fitted strengths into leaderboard rows: the Elo-like display scale, 95% intervals,
 * rank ranges where intervals overlap, win and both-bad rates, and the provisional flag.
 */
import type { BoardRow } from "../../schema/api.js";
import { A_WINS, B_WINS, BOTH_BAD, type VoteArrays } from "./davidson.js";

/** Display points per logit of strength: the Elo convention, 400 points per factor of 10. */
export const POINTS_PER_LOGIT = 400 / Math.LN10;
/** The rating of an average contender. */
export const BASE_RATING = 1000;
/** Rows with fewer votes than this are marked provisional. */
export const PROVISIONAL_VOTES = 20;
/** z for a two-sided 95% interval. */
export const Z95 = 1.959964;

/** Strength in logits to display points. */
export function toPoints(theta: number): number {
  return BASE_RATING + POINTS_PER_LOGIT * theta;
}

/** Per-contender tallies over a vote set. */
export interface ContenderTally {
  votes: Float64Array;
  wins: Float64Array;
  ties: Float64Array;
  bothBad: Float64Array;
}

/** Counts each contender's votes, wins, ties (incl. both_bad) and both_bad votes. */
export function tallyContenders(n: number, votes: VoteArrays): ContenderTally {
  const t: ContenderTally = {
    votes: new Float64Array(n),
    wins: new Float64Array(n),
    ties: new Float64Array(n),
    bothBad: new Float64Array(n),
  };
  for (let v = 0; v < votes.a.length; v++) {
    const a = votes.a[v]!;
    const b = votes.b[v]!;
    const y = votes.y[v]!;
    const w = votes.w ? votes.w[v]! : 1;
    t.votes[a]! += w;
    t.votes[b]! += w;
    if (y === A_WINS) t.wins[a]! += w;
    else if (y === B_WINS) t.wins[b]! += w;
    else {
      t.ties[a]! += w;
      t.ties[b]! += w;
      if (y === BOTH_BAD) {
        t.bothBad[a]! += w;
        t.bothBad[b]! += w;
      }
    }
  }
  return t;
}

export interface BoardInput {
  ids: readonly string[];
  names: ReadonlyMap<string, { model: string; persona: string }>;
  theta: ArrayLike<number>;
  se: ArrayLike<number>;
  tally: ContenderTally;
  provisionalVotes?: number;
}

/** Builds rows sorted by rating, best first; win rate counts a tie as half a win. */
export function buildBoard(input: BoardInput): BoardRow[] {
  const threshold = input.provisionalVotes ?? PROVISIONAL_VOTES;
  const rows = input.ids.map((id, c) => {
    const theta = input.theta[c]!;
    const half = Z95 * (Number.isFinite(input.se[c]!) ? input.se[c]! : 0);
    const votes = input.tally.votes[c]!;
    const name = input.names.get(id) ?? { model: id, persona: "" };
    return {
      rank: 0,
      rankHi: 0,
      contender: id,
      model: name.model,
      persona: name.persona,
      rating: round1(toPoints(theta)),
      lo: round1(toPoints(theta - half)),
      hi: round1(toPoints(theta + half)),
      votes: Math.round(votes),
      winRate: votes > 0 ? round3((input.tally.wins[c]! + input.tally.ties[c]! / 2) / votes) : null,
      bothBadRate: votes > 0 ? round3(input.tally.bothBad[c]! / votes) : null,
      provisional: votes < threshold,
    };
  });
  rankRows(rows);
  return rows;
}

/** Sorts rows by rating and sets rank ranges: 1 + how many are clearly better or not clearly worse. */
export function rankRows(rows: BoardRow[]): void {
  rows.sort((x, y) => y.rating - x.rating || x.contender.localeCompare(y.contender));
  for (const row of rows) {
    let better = 0;
    let notWorse = 0;
    for (const other of rows) {
      if (other === row) continue;
      if (other.lo > row.hi) better++;
      if (other.hi >= row.lo) notWorse++;
    }
    row.rank = 1 + better;
    row.rankHi = 1 + notWorse;
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** One contender on a rater's personal board: strength, its uncertainty, and their tallies. */
export interface PersonalEntry {
  contender: string;
  mu: number;
  sigma: number;
  votes: number;
  wins: number;
  ties: number;
  bothBad: number;
}

/**
 * A rater's board: their own openskill ratings where they have judged a contender, otherwise the
 * published strength with σ = τ. Provisional until the rater has judged a contender 5 times.
 */
export function personalBoard(entries: PersonalEntry[], names: ReadonlyMap<string, { model: string; persona: string }>): BoardRow[] {
  const rows = entries.map((e) => {
    const name = names.get(e.contender) ?? { model: e.contender, persona: "" };
    return {
      rank: 0,
      rankHi: 0,
      contender: e.contender,
      model: name.model,
      persona: name.persona,
      rating: round1(toPoints(e.mu)),
      lo: round1(toPoints(e.mu - Z95 * e.sigma)),
      hi: round1(toPoints(e.mu + Z95 * e.sigma)),
      votes: e.votes,
      winRate: e.votes > 0 ? round3((e.wins + e.ties / 2) / e.votes) : null,
      bothBadRate: e.votes > 0 ? round3(e.bothBad / e.votes) : null,
      provisional: e.votes < 5,
    };
  });
  rankRows(rows);
  return rows;
}

/** Root-mean-square distance between two strength vectors, in display points. */
export function quirkPoints(mine: ArrayLike<number>, global: ArrayLike<number>): number {
  if (mine.length === 0) return 0;
  let s = 0;
  for (let c = 0; c < mine.length; c++) s += (mine[c]! - global[c]!) ** 2;
  return round1(POINTS_PER_LOGIT * Math.sqrt(s / mine.length));
}
