/**
 * The whole batch fit, from a vote log to the fit that reads are served from: the global board,
 * one board per genre, the taste clusters with their boards, signatures and stable ids, the
 * predictor, a 2-D map of raters, and the crowd split of every pair. Pure, so a rebuild from the
 * log in plain Node gives the same numbers as the Arena's alarm.
 */
import { type AxisEnds, FIT_FORMAT, type LengthBoard, type PublishedBoard, type PublishedCluster, type PublishedFit, type PublishedSpace, type PublishedTaste } from "../../schema/fit.js";
import { POINTS_PER_LOGIT, buildBoard, tallyContenders } from "./board.js";
import { assignClusterIds } from "./clusterIds.js";
import { A_WINS, B_WINS, BOTH_BAD, TIE, countPairs, fitDavidson, type VoteArrays } from "./davidson.js";
import { DeviationScratch, fitDeviation } from "./deviation.js";
import { RaterScratch, ensurePlaced } from "./factors.js";
import { principalAxes, principalPlane } from "./map.js";
import { countCovariate, fitLengthControlled, lengthCovariate } from "./style.js";
import type { TasteModel } from "./posterior.js";
import { type TasteFit, type TasteOptions, type TasteSpace, fitTaste, raterStrengths } from "./taste.js";
import { type RaterVotes, groupVotes, weightedPairCounts } from "./votes.js";

/** A vote as the fit reads it: rater, contender ids and the outcome from a's side. */
export interface FitVote {
  rater: string;
  a: string;
  b: string;
  winner: "a" | "b" | "tie" | "both_bad";
  prompt: string | null;
  /** word counts of the two passages, when known (style control) */
  wordsA?: number | null;
  wordsB?: number | null;
}

/** A rater's most likely cluster in a fit (kept beside the fit, not inside it: one row a rater). */
export interface Assignment {
  rater: string;
  cluster: string | null;
  certainty: number;
}

export interface FitInput {
  /** every contender to rank (those without votes too), with display names */
  contenders: { id: string; model: string; persona: string }[];
  /** prompt id to genre */
  genres: ReadonlyMap<string, string>;
  votes: Iterable<FitVote>;
  /** the previous fit, whose cluster ids new clusters inherit */
  previous?: Pick<PublishedFit, "contenders" | "taste"> | null;
  taste?: TasteOptions;
}

/** Raters drawn on the map at most. */
export const MAP_POINTS = 1200;
/** Clusters publish their own pair splits only while there are at most this many pairs. */
export const MAX_CLUSTER_PAIRS = 2000;

const OUTCOME = { a: A_WINS, b: B_WINS, tie: TIE, both_bad: BOTH_BAD } as const;

/** Fits everything and returns the fit to publish (without its storage id) and each rater's cluster. */
export function fitArena(input: FitInput, now = Date.now()): Omit<PublishedFit, "id"> & { assignments: Assignment[] } {
  const started = performance.now();
  const ids = input.contenders.map((c) => c.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const names = new Map(input.contenders.map((c) => [c.id, { model: c.model, persona: c.persona }]));

  // Votes into typed arrays; contenders met only in votes (e.g. since removed) still count.
  const raterIndex = new Map<string, number>();
  const raterIds: string[] = [];
  const r: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  const genreOf: (string | null)[] = [];
  const x: number[] = [];
  let known = 0;
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
    let u = raterIndex.get(v.rater);
    if (u === undefined) {
      u = raterIds.length;
      raterIds.push(v.rater);
      raterIndex.set(v.rater, u);
    }
    r.push(u);
    a.push(indexOf(v.a));
    b.push(indexOf(v.b));
    y.push(OUTCOME[v.winner]);
    genreOf.push(v.prompt ? (input.genres.get(v.prompt) ?? null) : null);
    x.push(lengthCovariate(v.wordsA, v.wordsB));
    if (v.wordsA && v.wordsB) known++;
  }
  const all: VoteArrays = { a: Int32Array.from(a), b: Int32Array.from(b), y: Uint8Array.from(y) };
  const n = ids.length;

  const global = fitBoard(n, ids, names, all);
  const genres: Record<string, PublishedBoard> = {};
  for (const genre of [...new Set(input.genres.values())].sort()) {
    genres[genre] = fitBoard(n, ids, names, subset(all, (v) => genreOf[v] === genre)).board;
  }
  const raters = Int32Array.from(r);
  const grouped = groupVotes(raterIds.length, n, raters, all.a, all.b, all.y);
  const tasteFit = fitTaste(grouped, input.taste);
  const { taste, clusterIds } = publishTaste(grouped, tasteFit, ids, names, global.theta, input.previous ?? null);
  const pairs = countPairs(n, all);

  // Style control: the same boards with a length covariate, for everyone and per cluster.
  const covariate = { ...all, x: Float64Array.from(x) };
  const lengthOf = (board: PublishedBoard, w: Float64Array | undefined, prior: ArrayLike<number> | null): LengthBoard => {
    const fit = fitLengthControlled(n, countCovariate(n, { ...covariate, w }), prior ? { lambda: 0.5, priorMean: prior } : {});
    const plainRank = new Map(board.rows.map((row) => [row.contender, row.rank]));
    const tally = tallyContenders(n, { ...all, w });
    const rows = buildBoard({ ids, names, theta: fit.theta, se: fit.se, tally }).map((row) => ({ ...row, plainRank: plainRank.get(row.contender) }));
    return {
      votes: board.votes,
      tieRate: Math.exp(fit.eta),
      rows,
      lengthEffect: {
        coefficient: round(fit.gamma, 4),
        se: round(fit.gammaSe, 4),
        doublingPoints: Math.round((POINTS_PER_LOGIT * fit.gamma) / 3),
        votes: known,
      },
    };
  };
  const k = tasteFit.mixture.k;
  const clusterLength: Record<string, LengthBoard> = {};
  clusterIds.forEach((id, c) => {
    const w = Float64Array.from(raters, (u) => tasteFit.resp[u * k + c]!);
    const board = taste.clusters.find((cl) => cl.id === id)!.board;
    clusterLength[id] = lengthOf(board, w, global.theta);
  });
  const assignments = raterIds.map((rater, u) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (tasteFit.resp[u * k + c]! > tasteFit.resp[u * k + best]!) best = c;
    return { rater, cluster: clusterIds[best] ?? null, certainty: round(tasteFit.resp[u * k + best]!, 4) };
  });
  return {
    format: FIT_FORMAT,
    fitAt: new Date(now).toISOString(),
    seconds: (performance.now() - started) / 1000,
    contenders: ids,
    theta: Array.from(global.theta),
    eta: global.eta,
    global: global.board,
    genres,
    taste,
    length: { global: lengthOf(global.board, undefined, null), clusters: clusterLength },
    pairs: Array.from(pairs.i, (i, p) => [i, pairs.j[p]!, pairs.winsI[p]!, pairs.winsJ[p]!, pairs.ties[p]!, pairs.bothBad[p]!]),
    assignments,
  };
}

/** The compact taste model of a published fit: what raters are placed with. */
export function tasteModel(fit: PublishedFit): TasteModel {
  return {
    fitId: fit.id,
    contenders: fit.contenders,
    global: { theta: fit.theta, eta: fit.eta },
    clusters: fit.taste.clusters.map((c) => ({ id: c.id, share: c.share, theta: c.theta, eta: c.eta })),
    predictor: fit.taste.predictor,
    populations: fit.taste.populations.map((p) => ({ contenders: p.contenders, predictor: p.predictor })),
    space: fit.taste.space
      ? {
          dim: fit.taste.space.dim,
          scale: fit.taste.space.scale,
          tau: fit.taste.space.tau,
          eta: fit.taste.space.eta,
          g: fit.taste.space.g,
          v: fit.taste.space.v.flat(),
          origin: fit.taste.space.origin,
          axes: fit.taste.space.axes,
        }
      : null,
  };
}

function publishTaste(
  votes: RaterVotes,
  fit: TasteFit,
  ids: string[],
  names: ReadonlyMap<string, { model: string; persona: string }>,
  globalTheta: Float64Array,
  previous: FitInput["previous"],
): { taste: PublishedTaste; clusterIds: string[] } {
  const { mixture, resp } = fit;
  const k = mixture.k;
  const byId = (theta: ArrayLike<number>) => new Map(ids.map((id, i) => [id, theta[i]!]));
  const prevClusters = previous?.taste.clusters.map((c) => ({
    id: c.id,
    theta: new Map(previous.contenders.map((id, i) => [id, c.theta[i]!])),
  })) ?? [];
  const named = assignClusterIds(prevClusters, mixture.theta.map(byId), previous?.taste.nextClusterNumber ?? 1);

  const clusters: PublishedCluster[] = [];
  for (let c = 0; c < k; c++) {
    const raterWeight = new Float64Array(votes.raters);
    let size = 0;
    for (let u = 0; u < votes.raters; u++) {
      raterWeight[u] = resp[u * k + c]!;
      if (votes.start[u + 1]! > votes.start[u]!) size += raterWeight[u]!;
    }
    const voteWeight = new Float64Array(votes.a.length);
    for (let u = 0; u < votes.raters; u++) for (let v = votes.start[u]!; v < votes.start[u + 1]!; v++) voteWeight[v] = raterWeight[u]!;
    // The cluster's board: the same weighted fit as the M-step, now with intervals.
    const counts = weightedPairCounts(votes, raterWeight);
    const board = fitDavidson(
      votes.contenders,
      counts,
      { lambda: 0.5, priorMean: fit.global.theta, etaPrior: fit.global.eta, etaLambda: 2 },
      { theta: mixture.theta[c], eta: mixture.eta[c] },
    );
    const tally = tallyContenders(votes.contenders, { a: votes.a, b: votes.b, y: votes.y, w: voteWeight });
    const rows = buildBoard({ ids, names, theta: board.theta, se: board.se, tally });
    const deltas = ids
      .map((id, i) => ({ contender: id, ...(names.get(id) ?? { model: id, persona: "" }), delta: Math.round(POINTS_PER_LOGIT * (board.theta[i]! - globalTheta[i]!)) }))
      .sort((x, z) => z.delta - x.delta || x.contender.localeCompare(z.contender));
    clusters.push({
      id: named.ids[c]!,
      share: round(mixture.share[c]!, 4),
      size: round(size, 1),
      votes: round(tally.votes.reduce((s, x) => s + x, 0) / 2, 1),
      theta: Array.from(board.theta, (t) => round(t, 6)),
      eta: board.eta,
      board: { votes: Math.round(tally.votes.reduce((s, x) => s + x, 0) / 2), tieRate: Math.exp(board.eta), rows },
      signature: {
        likes: deltas.filter((d) => d.delta > 0).slice(0, 3),
        dislikes: deltas.filter((d) => d.delta < 0).slice(-3).reverse(),
      },
      pairs:
        counts.i.length <= MAX_CLUSTER_PAIRS
          ? Array.from(counts.i, (i, p) => [i, counts.j[p]!, round(counts.winsI[p]!, 2), round(counts.winsJ[p]!, 2), round(counts.ties[p]!, 2), round(counts.bothBad[p]!, 2)])
          : null,
    });
  }
  const order = [...clusters.keys()].sort((x, z) => clusters[z]!.share - clusters[x]!.share);
  const space = fit.factors ? publishSpace(votes, fit.factors, ids) : null;
  const taste: PublishedTaste = {
    k,
    raters: votes.raters,
    nextClusterNumber: named.nextNumber,
    predictor: fit.predictor,
    clusters: order.map((c) => clusters[c]!),
    selection: fit.selection.map((s) => ({ k: s.k, perVote: round(s.perVote, 5) })),
    forms: fit.forms.map((f) => ({ form: f.form, tau: f.tau, perVote: round(f.perVote, 5), accuracy: round(f.accuracy, 4) })),
    map: space ? spaceMap(votes, fit, named.ids, space) : raterMap(votes, fit, named.ids),
    space,
    populations: fit.populations.map((p) => ({
      id: p.id,
      raters: p.raters,
      contenders: p.contenders,
      predictor: p.predictor,
      forms: p.forms.map((f) => ({ form: f.form, tau: f.tau, perVote: round(f.perVote, 5), accuracy: round(f.accuracy, 4) })),
    })),
    stability: round(fit.stability, 4),
    separation: fit.separation,
  };
  return { taste, clusterIds: named.ids };
}

/** The taste space as published: the model, the raters' mean position and the map's two axes. */
function publishSpace(votes: RaterVotes, space: TasteSpace, ids: string[]): PublishedSpace {
  const { model, x } = space.fit;
  const dim = model.dim;
  const sample = mapSample(votes);
  const scratch = new RaterScratch();
  for (const u of sample) ensurePlaced(votes, space.fit, u, scratch);
  const rows = new Float64Array(sample.length * dim);
  sample.forEach((u, i) => rows.set(x.subarray(u * dim, (u + 1) * dim), i * dim));
  const axes = dim > 0 ? principalAxes(rows, sample.length, dim) : null;
  const ends = (direction: Float64Array): AxisEnds => {
    const along = ids.map((id, c) => {
      let s = 0;
      for (let i = 0; i < dim; i++) s += model.v[c * dim + i]! * direction[i]!;
      return { id, s };
    });
    along.sort((p, q) => q.s - p.s || p.id.localeCompare(q.id));
    return {
      direction: Array.from(direction, (d) => round(d, 6)),
      positive: along.slice(0, 2).filter((e) => e.s > 0).map((e) => e.id),
      negative: along.slice(-2).reverse().filter((e) => e.s < 0).map((e) => e.id),
    };
  };
  return {
    dim,
    scale: model.scale,
    tau: model.tau,
    eta: model.eta,
    g: Array.from(model.g, (t) => round(t, 6)),
    v: ids.map((_, c) => Array.from(model.v.subarray(c * dim, (c + 1) * dim), (t) => round(t, 6))),
    origin: axes ? Array.from(axes.mean, (t) => round(t, 6)) : [],
    axes: axes ? (dim > 1 ? [ends(axes.first), ends(axes.second)] : [ends(axes.first)]) : [],
    selection: space.selection.map((s) => ({ ...s, perVote: round(s.perVote, 5) })),
  };
}

/** A deterministic, even sample of the raters with votes, at most MAP_POINTS of them. */
function mapSample(votes: RaterVotes): number[] {
  const active: number[] = [];
  for (let u = 0; u < votes.raters; u++) if (votes.start[u + 1]! > votes.start[u]!) active.push(u);
  const stride = Math.max(1, Math.ceil(active.length / MAP_POINTS));
  return active.filter((_, i) => i % stride === 0);
}

/** Places the map's sample of raters at their taste-space positions, on the space's two axes. */
function spaceMap(votes: RaterVotes, fit: TasteFit, clusterIds: string[], space: PublishedSpace): PublishedTaste["map"] {
  const { x, model } = fit.factors!.fit;
  const dim = model.dim;
  const k = fit.mixture.k;
  const along = (u: number, axis: number) => {
    const direction = space.axes[axis]?.direction;
    if (!direction) return 0;
    let s = 0;
    for (let i = 0; i < dim; i++) s += (x[u * dim + i]! - space.origin[i]!) * direction[i]!;
    return s;
  };
  let active = 0;
  for (let u = 0; u < votes.raters; u++) if (votes.start[u + 1]! > votes.start[u]!) active++;
  return {
    raters: active,
    basis: "space",
    points: mapSample(votes).map((u) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (fit.resp[u * k + j]! > fit.resp[u * k + best]!) best = j;
      return {
        x: round(along(u, 0), 4),
        y: round(along(u, 1), 4),
        cluster: clusterIds[best] ?? null,
        certainty: round(fit.resp[u * k + best]!, 3),
        votes: votes.start[u + 1]! - votes.start[u]!,
      };
    }),
  };
}

/** Places a deterministic sample of raters on the principal plane of their boards. */
function raterMap(votes: RaterVotes, fit: TasteFit, clusterIds: string[]): PublishedTaste["map"] {
  let active = 0;
  for (let u = 0; u < votes.raters; u++) if (votes.start[u + 1]! > votes.start[u]!) active++;
  const sample = mapSample(votes);
  const dim = votes.contenders;
  const rows = new Float64Array(sample.length * dim);
  const scratch = new DeviationScratch(dim);
  // Even when the predictor needs no deviation, the map shows each rater's own lean a little.
  const tau = fit.predictor.tau > 0 ? fit.predictor.tau : 0.5;
  const k = fit.mixture.k;
  sample.forEach((u, i) => {
    const base = raterStrengths(fit.mixture, fit.resp, fit.global, u);
    const s = votes.start[u]!;
    const e = votes.start[u + 1]!;
    const baseD = new Float64Array(e - s);
    for (let v = s; v < e; v++) baseD[v - s] = base.d(votes.a[v]!, votes.b[v]!);
    fitDeviation({ a: votes.a, b: votes.b, y: votes.y, from: s, to: e, baseD, eta: base.eta }, tau, scratch);
    for (let c = 0; c < dim; c++) {
      let mean = 0;
      for (let j = 0; j < k; j++) mean += fit.resp[u * k + j]! * fit.mixture.theta[j]![c]!;
      rows[i * dim + c] = mean + scratch.eps[c]! - fit.global.theta[c]!;
    }
  });
  const plane = principalPlane(rows, sample.length, dim);
  return {
    raters: active,
    basis: "boards",
    points: sample.map((u, i) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (fit.resp[u * k + j]! > fit.resp[u * k + best]!) best = j;
      return {
        x: round(plane.x[i]!, 4),
        y: round(plane.y[i]!, 4),
        cluster: clusterIds[best] ?? null,
        certainty: round(fit.resp[u * k + best]!, 3),
        votes: votes.start[u + 1]! - votes.start[u]!,
      };
    }),
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

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
