/** The published fit: what every read (boards, clusters, reveals, predictions) is served from until the next refit. */
import type { BoardRow } from "./api.js";

/** One board: rows plus how many votes it rests on. */
export interface PublishedBoard {
  votes: number;
  tieRate: number;
  rows: BoardRow[];
}

export interface SignatureEntry {
  contender: string;
  model: string;
  persona: string;
  delta: number;
}

export interface PublishedCluster {
  id: string;
  share: number;
  /** raters, counted by membership probability */
  size: number;
  /** votes, counted by membership probability */
  votes: number;
  /** strengths in logits, by contender index */
  theta: number[];
  eta: number;
  board: PublishedBoard;
  signature: { likes: SignatureEntry[]; dislikes: SignatureEntry[] };
  /** the cluster's split on each pair, weighted by membership, like PublishedFit.pairs (omitted for large corpora) */
  pairs: [number, number, number, number, number, number][] | null;
}

/** The predictor's forms, simplest first. */
export type PredictorFormName = "global" | "clusters" | "factors" | "global+deviation" | "clusters+deviation" | "factors+deviation";

export interface PublishedTaste {
  k: number;
  raters: number;
  /** the number the next new cluster id will carry (c1, c2, ...) */
  nextClusterNumber: number;
  predictor: { form: PredictorFormName; tau: number };
  clusters: PublishedCluster[];
  /** held-out log-likelihood per vote for each K tried, and for each predictor form */
  selection: { k: number; perVote: number }[];
  forms: { form: string; tau: number; perVote: number; accuracy?: number }[];
  map: { points: { x: number; y: number; cluster: string | null; certainty: number; votes: number }[]; raters: number };
}

/** A length-controlled board and the length effect it removed. */
export interface LengthBoard extends PublishedBoard {
  lengthEffect: { coefficient: number; se: number; doublingPoints: number; votes: number };
}

/** The shape version of published fits; a fit of another version is refitted before it is read. */
export const FIT_FORMAT = 4;

export interface PublishedFit {
  /** FIT_FORMAT when it was published */
  format: number;
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
  taste: PublishedTaste;
  /** style control: boards with a length covariate, global and per cluster id */
  length: { global: LengthBoard; clusters: Record<string, LengthBoard> };
  /** crowd splits: [i, j, wins of i, wins of j, ties, of which both_bad], i < j */
  pairs: [number, number, number, number, number, number][];
}
