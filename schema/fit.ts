/** The published fit: what every read (boards, reveals) is served from until the next refit. */
import type { BoardRow } from "./api.js";

/** One board: rows plus how many votes it rests on. */
export interface PublishedBoard {
  votes: number;
  tieRate: number;
  rows: BoardRow[];
}

export interface PublishedFit {
  id: number;
  fitAt: string;
  seconds: number;
  /** contender ids in index order, for `theta` and `pairs` */
  contenders: string[];
  /** global strengths in logits, by contender index */
  theta: number[];
  eta: number;
  global: PublishedBoard;
  genres: Record<string, PublishedBoard>;
  /** crowd splits: [i, j, wins of i, wins of j, ties, of which both_bad], i < j */
  pairs: [number, number, number, number, number, number][];
}
