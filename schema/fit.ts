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

/** One end of a map axis: the contenders whose loadings lie furthest along it. */
export interface AxisEnds {
  /** the axis as a unit direction in the taste space (dim numbers) */
  direction: number[];
  /** contender ids furthest along +direction, then along −direction (up to 2 each) */
  positive: string[];
  negative: string[];
}

/**
 * The taste space of a fit: θ_uc = g_c + x_u·v_c + ε_uc (x_u ~ N(0, I), v_c ~ N(0, scale²),
 * ε ~ N(0, τ²) on the contenders a rater judged), with the map's two axes in it.
 */
export interface PublishedSpace {
  dim: number;
  scale: number;
  tau: number;
  eta: number;
  /** the shared board g and the loadings v, by contender index */
  g: number[];
  v: number[][];
  /** the raters' mean position (the map's origin) and the map's axes */
  origin: number[];
  axes: AxisEnds[];
  /** held-out log-likelihood per vote of every (dim, scale, τ) tried */
  selection: { dim: number; scale: number; tau: number; perVote: number }[];
}

/**
 * A population of raters: a connected group of raters and the contenders they judged, with a
 * predictor chosen for it alone (an arena can hold unrelated populations).
 */
export interface PublishedPopulation {
  id: string;
  raters: number;
  /** the population's contenders by index; null means every contender (a single population) */
  contenders: number[] | null;
  predictor: { form: PredictorFormName; tau: number };
  forms: { form: string; tau: number; perVote: number; accuracy: number }[];
}

/** Whether the clusters are distinct tastes: k-means' within/total variance against a Gaussian null. */
export interface PublishedSeparation {
  k: number;
  observed: number;
  null: { mean: number; lo: number; hi: number };
  distinct: boolean;
}

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
  map: {
    points: { x: number; y: number; cluster: string | null; certainty: number; votes: number }[];
    raters: number;
    /** "space": positions in the taste space on `space.axes`; "boards": principal plane of the raters' boards */
    basis: "space" | "boards";
  };
  space: PublishedSpace | null;
  populations: PublishedPopulation[];
  /** agreement (ARI) between the chosen K's restarts; 1 for K = 1 */
  stability: number;
  separation: PublishedSeparation | null;
}

/** A length-controlled board and the length effect it removed. */
export interface LengthBoard extends PublishedBoard {
  lengthEffect: { coefficient: number; se: number; doublingPoints: number; votes: number };
}

/** The shape version of published fits; a fit of another version is refitted before it is read. */
export const FIT_FORMAT = 5;

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
