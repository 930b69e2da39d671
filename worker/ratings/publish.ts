/**
 * The whole batch fit, from a vote log to the fit that reads are served from: the global board,
 * one board per genre, and the crowd split of every pair. Pure, so a rebuild from the log in
 * plain Node gives the same numbers as the Arena's alarm.
 */
import type { PublishedBoard, PublishedFit } from "../../schema/fit.js";
import { buildBoard, tallyContenders } from "./board.js";
import { A_WINS, B_WINS, BOTH_BAD, TIE, countPairs, fitDavidson, type VoteArrays } from "./davidson.js";

/** A vote as the fit reads it: contender ids and the outcome from a's side. */
export interface FitVote {
  a: string;
  b: string;
  winner: "a" | "b" | "tie" | "both_bad";
  prompt: string | null;
}

export interface FitInput {
  /** every contender to rank (those without votes too), with display names */
  contenders: { id: string; model: string; persona: string }[];
  /** prompt id to genre */
  genres: ReadonlyMap<string, string>;
  votes: Iterable<FitVote>;
}

const OUTCOME = { a: A_WINS, b: B_WINS, tie: TIE, both_bad: BOTH_BAD } as const;

/** Fits everything and returns the fit to publish (without its storage id). */
export function fitArena(input: FitInput, now = Date.now()): Omit<PublishedFit, "id"> {
  const started = performance.now();
  const ids = input.contenders.map((c) => c.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const names = new Map(input.contenders.map((c) => [c.id, { model: c.model, persona: c.persona }]));

  // Votes into typed arrays; contenders met only in votes (e.g. since removed) still count.
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  const genreOf: (string | null)[] = [];
  const indexOf = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      ids.push(id);
      index.set(id, i);
    }
    return i;
  };
  for (const v of input.votes) {
    a.push(indexOf(v.a));
    b.push(indexOf(v.b));
    y.push(OUTCOME[v.winner]);
    genreOf.push(v.prompt ? (input.genres.get(v.prompt) ?? null) : null);
  }
  const all: VoteArrays = { a: Int32Array.from(a), b: Int32Array.from(b), y: Uint8Array.from(y) };
  const n = ids.length;

  const global = fitBoard(n, ids, names, all);
  const genres: Record<string, PublishedBoard> = {};
  for (const genre of [...new Set(input.genres.values())].sort()) {
    genres[genre] = fitBoard(n, ids, names, subset(all, (v) => genreOf[v] === genre)).board;
  }
  const pairs = countPairs(n, all);
  return {
    fitAt: new Date(now).toISOString(),
    seconds: (performance.now() - started) / 1000,
    contenders: ids,
    theta: Array.from(global.theta),
    eta: global.eta,
    global: global.board,
    genres,
    pairs: Array.from(pairs.i, (i, k) => [i, pairs.j[k]!, pairs.winsI[k]!, pairs.winsJ[k]!, pairs.ties[k]!, pairs.bothBad[k]!]),
  };
}

function fitBoard(
  n: number,
  ids: string[],
  names: ReadonlyMap<string, { model: string; persona: string }>,
  votes: VoteArrays,
): { board: PublishedBoard; theta: Float64Array; eta: number } {
  const fit = fitDavidson(n, countPairs(n, votes));
  const rows = buildBoard({ ids, names, theta: fit.theta, se: fit.se, tally: tallyContenders(n, votes) });
  return { board: { votes: votes.a.length, tieRate: Math.exp(fit.eta), rows }, theta: fit.theta, eta: fit.eta };
}

function subset(votes: VoteArrays, keep: (v: number) => boolean): VoteArrays {
  const picked: number[] = [];
  for (let v = 0; v < votes.a.length; v++) if (keep(v)) picked.push(v);
  return {
    a: Int32Array.from(picked, (v) => votes.a[v]!),
    b: Int32Array.from(picked, (v) => votes.b[v]!),
    y: Uint8Array.from(picked, (v) => votes.y[v]!),
  };
}
