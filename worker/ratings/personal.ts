/**
 * A rater's personal board, moved vote by vote with openskill's Bradley-Terry model.
 * Ratings live in the same logit scale as the batch fit: a contender the rater has not judged
 * starts from the published prediction for them (mean) with σ = τ, the spread of individual
 * taste around it, and contenders do not drift (openskill's τ ≈ 0).
 */
import { rate } from "openskill";
import { bradleyTerryFull } from "openskill/models";
import type { Choice } from "../../schema/api.js";

export interface PersonalRating {
  mu: number;
  sigma: number;
}

/** Spread of one rater's strengths around the published board, in logits. */
export const PERSONAL_TAU = 1.0;
/**
 * openskill's performance noise β. Its BT model predicts with c² = σa² + σb² + 2β², so β = 1/√2
 * makes a settled personal board (σ → 0) speak the same logits as the batch fit.
 */
const BETA = Math.SQRT1_2;

/** Updates two personal ratings after the rater's choice between a and b. */
export function updatePersonal(
  a: PersonalRating,
  b: PersonalRating,
  choice: Choice,
): [PersonalRating, PersonalRating] {
  const rank = choice === "a" ? [1, 2] : choice === "b" ? [2, 1] : [1, 1];
  const [[na], [nb]] = rate([[a], [b]], {
    model: bradleyTerryFull,
    rank,
    beta: BETA,
    tau: 0,
    mu: 0,
    sigma: PERSONAL_TAU,
  });
  return [
    { mu: na!.mu, sigma: na!.sigma },
    { mu: nb!.mu, sigma: nb!.sigma },
  ];
}

/** P(a beats b) for two personal ratings, the calibrated logistic DESIGN.md §4 prescribes. */
export function personalWinProbability(a: PersonalRating, b: PersonalRating): number {
  const c = Math.sqrt(a.sigma * a.sigma + b.sigma * b.sigma + 2 * BETA * BETA);
  return 1 / (1 + Math.exp(-(a.mu - b.mu) / c));
}

/** A personal rating with the rater's tallies for that contender. */
export interface PersonalRow extends PersonalRating {
  contender: string;
  votes: number;
  wins: number;
  ties: number;
  bothBad: number;
}

/** One of the rater's votes as the board takes it in, with where a contender new to the board starts. */
export interface BoardVote {
  a: string;
  b: string;
  choice: Choice;
  /** the rater's predicted strength of a (and b) when the vote was cast, and the σ a new rating starts with */
  priorA: number;
  priorB: number;
  priorSigma: number;
}

/** Moves the board by one vote: both ratings and tallies. Answers the two contenders it changed. */
export function applyVote(board: Map<string, PersonalRow>, v: BoardVote): [string, string] {
  const fresh = (contender: string, mu: number): PersonalRow => ({ contender, mu, sigma: v.priorSigma, votes: 0, wins: 0, ties: 0, bothBad: 0 });
  const ra = board.get(v.a) ?? fresh(v.a, v.priorA);
  const rb = board.get(v.b) ?? fresh(v.b, v.priorB);
  const [na, nb] = updatePersonal(ra, rb, v.choice);
  const tie = v.choice === "tie" || v.choice === "both_bad" ? 1 : 0;
  const bothBad = v.choice === "both_bad" ? 1 : 0;
  board.set(v.a, { ...ra, ...na, votes: ra.votes + 1, wins: ra.wins + (v.choice === "a" ? 1 : 0), ties: ra.ties + tie, bothBad: ra.bothBad + bothBad });
  board.set(v.b, { ...rb, ...nb, votes: rb.votes + 1, wins: rb.wins + (v.choice === "b" ? 1 : 0), ties: rb.ties + tie, bothBad: rb.bothBad + bothBad });
  return [v.a, v.b];
}
