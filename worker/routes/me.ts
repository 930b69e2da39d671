/** `GET /api/me`: the caller's personal board beside the published one, their cluster, and how quirky they are. */
import { Hono } from "hono";
import type { Me } from "../../schema/api.js";
import type { AppEnv } from "../env.js";
import { identifyRater } from "../http/identity.js";
import { getCorpus, getFit } from "../reads/cache.js";
import { describeMembership, describePlace } from "../reads/taste.js";
import { type PersonalEntry, personalBoard, quirkPoints } from "../ratings/board.js";
import { PERSONAL_TAU } from "../ratings/personal.js";

export const me = new Hono<AppEnv>().get("/me", identifyRater, async (c) => {
  const rater = c.get("rater");
  const [fit, corpus] = await Promise.all([getFit(c.env), getCorpus(c.env)]);
  const stub = c.env.RATER.getByName(rater);
  const space = fit.model?.space ? { model: fit.model.space, contenders: fit.model.contenders } : null;
  const profile = await stub.profile(fit.model?.fitId, space);
  let state = profile.membership;
  if (!state && fit.model && fit.model.clusters.length > 1 && profile.votes > 0) state = await stub.syncTaste(fit.model);
  const membership = describeMembership(fit, state);

  // Judged contenders: the online openskill ratings. Others: the rater's prediction, σ = τ.
  const own = new Map(profile.rows.map((r) => [r.contender, r]));
  const ids = fit.value?.contenders ?? corpus.snapshot.contenders.map((x) => x.id);
  const globalTheta = ids.map((id) => {
    const i = fit.index.get(id);
    return i === undefined ? 0 : fit.value!.theta[i]!;
  });
  const predicted = (i: number): number => {
    if (!fit.model || !state) return globalTheta[i]!;
    return state.membership.reduce((s, p, k) => s + p * fit.model!.clusters[k]!.theta[i]!, 0);
  };
  const tau = fit.model && fit.model.predictor.tau > 0 ? fit.model.predictor.tau : PERSONAL_TAU;
  const entries: PersonalEntry[] = ids.map(
    (id, i) => own.get(id) ?? { contender: id, mu: predicted(i), sigma: tau, votes: 0, wins: 0, ties: 0, bothBad: 0 },
  );
  const body: Me = {
    rater,
    votes: profile.votes,
    cluster: membership,
    taste: describePlace(fit.model?.space, profile.place ?? null),
    quirk: quirkPoints(entries.map((e) => e.mu), globalTheta),
    basis: profile.votes === 0 ? "global" : "rater",
    rows: personalBoard(entries, corpus.byId.contenders),
  };
  c.header("Cache-Control", "private, no-store");
  return c.json(body);
});
