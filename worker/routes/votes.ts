/**
 * `POST /api/votes`: a vote on a served duel. The token is checked here (signature, owner, age);
 * the Rater object checks the duel was served and stores the vote before we answer, and the new
 * vote goes on to the Arena after the answer, batched with this isolate's other votes.
 */
import { Hono } from "hono";
import { VoteRequest, type VoteResult } from "../../schema/api.js";
import type { AppEnv } from "../env.js";
import { ApiError } from "../http/errors.js";
import { identifyRater, signingSecret } from "../http/identity.js";
import { rateLimit } from "../http/ratelimit.js";
import { verifyDuelToken } from "../http/tokens.js";
import { readJson } from "../http/validate.js";
import { getCorpus, getFit } from "../reads/cache.js";
import { clusterSplit, crowdSplit } from "../reads/splits.js";
import { describeMembership, tasteHint } from "../reads/taste.js";
import { VoteForwarder, toArena } from "../writes/forward.js";

/** One per isolate, so votes from many requests share calls to the Arena. */
const forwarder = new VoteForwarder();

export const votes = new Hono<AppEnv>().post("/votes", identifyRater, rateLimit("VOTE_LIMITER", "votes"), async (c) => {
  const body = await readJson(c, VoteRequest);
  const rater = c.get("rater");
  const claims = await verifyDuelToken(signingSecret(c), body.token, rater, Date.now());
  const [fit, corpus] = await Promise.all([getFit(c.env), getCorpus(c.env)]);
  const passageA = corpus.byId.passages.get(claims.a);
  const passageB = corpus.byId.passages.get(claims.b);
  const contenderA = passageA?.contender;
  const contenderB = passageB?.contender;
  const stub = c.env.RATER.getByName(rater);
  const result = await stub.castVote({
    duelId: claims.d,
    passageA: claims.a,
    passageB: claims.b,
    choice: body.choice,
    readMs: body.readMs,
    reasons: body.reasons,
    taste: contenderA && contenderB ? tasteHint(fit, contenderA, contenderB) : null,
    minReadMs: minimumReadMs(c.env.FAST_VOTE_WPM, (passageA?.words ?? 0) + (passageB?.words ?? 0)),
  });
  if (!result.ok) throw new ApiError(result.status, result.code, result.message);
  if (result.logged) forwarder.add(result.logged, toArena(c.env), (sending) => c.executionCtx.waitUntil(sending));
  // Totals from an older fit are recomputed once, then the online layer keeps them current.
  let state = result.membership;
  if (!state && fit.model && fit.model.clusters.length > 1) state = await stub.syncTaste(fit.model);
  const membership = describeMembership(fit, state);
  const ownSplit = membership.id && fit.model && fit.model.clusters.length > 1 ? clusterSplit(fit, membership.id, result.contenderA, result.contenderB) : null;
  const side = (id: string) => {
    const c = corpus.byId.contenders.get(id);
    return { contender: id, model: c?.model ?? id, persona: c?.persona ?? "" };
  };
  const answer: VoteResult = {
    voteId: result.voteId,
    duplicate: result.duplicate,
    flagged: result.flagged,
    choice: result.choice,
    reveal: { a: side(result.contenderA), b: side(result.contenderB) },
    crowd: crowdSplit(fit, result.contenderA, result.contenderB),
    cluster: membership.id && ownSplit ? { id: membership.id, split: ownSplit } : null,
  };
  return c.json(answer, result.duplicate ? 200 : 201);
});

/** The least plausible time to read `words` words at the configured words per minute ("off": none). */
export function minimumReadMs(wpm: string | undefined, words: number): number | undefined {
  const rate = Number(wpm ?? "1500");
  if (wpm === "off" || !Number.isFinite(rate) || rate <= 0) return undefined;
  return Math.round((words * 60_000) / rate);
}
