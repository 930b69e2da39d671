/**
 * `GET /api/leaderboard`: the global, a taste cluster's or a genre's board, plain or with length
 * controlled, straight from the last published fit.
 */
import { Hono } from "hono";
import { type Leaderboard, LeaderboardQuery } from "../../schema/api.js";
import type { LengthBoard, PublishedBoard } from "../../schema/fit.js";
import type { AppEnv } from "../env.js";
import { fitCaching } from "../http/caching.js";
import { ApiError } from "../http/errors.js";
import { readQuery } from "../http/validate.js";
import { getCorpus, getFit } from "../reads/cache.js";
import { buildBoard, tallyContenders } from "../ratings/board.js";

export const leaderboard = new Hono<AppEnv>().get("/leaderboard", async (c) => {
  const query = readQuery(c, LeaderboardQuery);
  const fit = await getFit(c.env);
  if (query.cluster !== undefined && !fit.clusters.has(query.cluster)) {
    throw new ApiError(404, "unknown_cluster", `no taste cluster "${query.cluster}" in the published fit`);
  }
  if (query.genre !== undefined && (query.cluster !== undefined || query.control !== undefined)) {
    throw new ApiError(400, "unsupported", "genre boards take neither cluster nor control: choose one view");
  }
  const cached = fitCaching(c, fit, `board-${query.cluster ?? "all"}-${query.genre ?? "all"}-${query.control ?? "none"}`);
  if (cached) return cached;

  let board: PublishedBoard | LengthBoard;
  if (!fit.value) board = await emptyBoard(c.env);
  else if (query.control === "length") board = query.cluster !== undefined ? fit.value.length.clusters[query.cluster]! : fit.value.length.global;
  else if (query.cluster !== undefined) board = fit.value.taste.clusters[fit.clusters.get(query.cluster)!.index]!.board;
  else if (query.genre === undefined) board = fit.value.global;
  else {
    const genreBoard = fit.value.genres[query.genre];
    if (!genreBoard) throw new ApiError(404, "unknown_genre", `no genre "${query.genre}" in the published fit`);
    board = genreBoard;
  }
  const body: Leaderboard = {
    fitAt: fit.value?.fitAt ?? null,
    votes: board.votes,
    tieRate: board.tieRate,
    control: query.control ?? "none",
    lengthEffect: "lengthEffect" in board ? board.lengthEffect : null,
    genres: [...new Set((await getCorpus(c.env)).snapshot.prompts.map((p) => p.genre))].sort(),
    rows: board.rows,
  };
  return c.json(body);
});

/** Before the first fit: every contender at the starting rating, all provisional. */
async function emptyBoard(env: AppEnv["Bindings"]): Promise<PublishedBoard> {
  const { snapshot } = await getCorpus(env);
  const n = snapshot.contenders.length;
  const rows = buildBoard({
    ids: snapshot.contenders.map((x) => x.id),
    names: new Map(snapshot.contenders.map((x) => [x.id, x])),
    theta: new Float64Array(n),
    se: new Float64Array(n).fill(Number.NaN),
    tally: tallyContenders(n, { a: new Int32Array(0), b: new Int32Array(0), y: new Uint8Array(0) }),
  });
  return { votes: 0, tieRate: 0, rows };
}
