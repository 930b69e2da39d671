/**
 * `POST /api/votes`: a vote on a served duel. The token is checked here (signature, owner, age);
 * the Rater object checks the duel was served and stores the vote before we answer.
 */
import { Hono } from "hono";
import { VoteRequest, type VoteResult } from "../../schema/api.js";
import type { AppEnv } from "../env.js";
import { ApiError } from "../http/errors.js";
import { identifyRater, signingSecret } from "../http/identity.js";
import { verifyDuelToken } from "../http/tokens.js";
import { readJson } from "../http/validate.js";
import { getCorpus, getFit } from "../reads/cache.js";
import { crowdSplit } from "../reads/splits.js";

export const votes = new Hono<AppEnv>().post("/votes", identifyRater, async (c) => {
  const body = await readJson(c, VoteRequest);
  const rater = c.get("rater");
  const claims = await verifyDuelToken(signingSecret(c), body.token, rater, Date.now());
  const fit = await getFit(c.env);
  const corpus = await getCorpus(c.env);
  const priorOf = (passage: string): [string, number] | null => {
    const contender = corpus.byId.passages.get(passage)?.contender;
    if (!contender) return null;
    const i = fit.index.get(contender);
    return [contender, i === undefined ? 0 : fit.value!.theta[i]!];
  };
  const priors = Object.fromEntries([priorOf(claims.a), priorOf(claims.b)].filter((p) => p !== null));
  const result = await c.env.RATER.getByName(rater).castVote({
    duelId: claims.d,
    passageA: claims.a,
    passageB: claims.b,
    choice: body.choice,
    readMs: body.readMs,
    reasons: body.reasons,
    priors,
  });
  if (!result.ok) throw new ApiError(result.status, result.code, result.message);
  const side = (id: string) => {
    const c = corpus.byId.contenders.get(id);
    return { contender: id, model: c?.model ?? id, persona: c?.persona ?? "" };
  };
  const answer: VoteResult = {
    voteId: result.voteId,
    duplicate: result.duplicate,
    choice: result.choice,
    reveal: { a: side(result.contenderA), b: side(result.contenderB) },
    crowd: crowdSplit(fit, result.contenderA, result.contenderB),
    cluster: null,
  };
  return c.json(answer, result.duplicate ? 200 : 201);
});
