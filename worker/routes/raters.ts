/**
 * `GET /api/raters/{id}` and `GET /api/predict`: any rater of the vote log placed under the last
 * published fit (the batch view: cluster membership plus their deviation, as the fit's predictor
 * says), and outcome probabilities for a rater and two contenders.
 */
import { Hono } from "hono";
import { type Me, PredictQuery, type Prediction, RaterParams } from "../../schema/api.js";
import type { AppEnv } from "../env.js";
import { fitCaching } from "../http/caching.js";
import { ApiError } from "../http/errors.js";
import { describeIssues, readQuery } from "../http/validate.js";
import { getCorpus, getFit } from "../reads/cache.js";
import { describeMembership, describePlace } from "../reads/taste.js";
import { personalBoard, quirkPoints } from "../ratings/board.js";
import { predictPair } from "../ratings/posterior.js";

export const raters = new Hono<AppEnv>()
  .get("/raters/:id", async (c) => {
    const params = RaterParams.safeParse({ id: c.req.param("id") });
    if (!params.success) throw new ApiError(400, "invalid", describeIssues(params.error));
    const [fit, corpus] = await Promise.all([getFit(c.env), getCorpus(c.env)]);
    const cached = fitCaching(c, fit, `rater-${params.data.id}`);
    if (cached) return cached;
    const view = await c.env.ARENA.getByName("global").raterView(params.data.id);
    if (!view || !fit.model) throw new ApiError(404, "unknown_rater", `no votes from rater "${params.data.id}" in the published fit`);
    const { posterior } = view;
    const ids = fit.model.contenders;
    const entries = ids.map((id, i) => ({ contender: id, mu: posterior.theta[i]!, sigma: posterior.sd[i]!, votes: 0, wins: 0, ties: 0, bothBad: 0 }));
    const state = { fitId: view.fitId, clusters: fit.model.clusters.map((x) => x.id), membership: posterior.membership };
    const body: Me = {
      rater: params.data.id,
      votes: view.votes,
      cluster: describeMembership(fit, state),
      taste: describePlace(fit.model.space, posterior.place),
      quirk: quirkPoints(posterior.theta, fit.model.global.theta),
      basis: posterior.basis,
      rows: personalBoard(entries, corpus.byId.contenders).map((r) => ({ ...r, votes: 0, winRate: null, bothBadRate: null })),
    };
    return c.json(body);
  })
  .get("/predict", async (c) => {
    const query = readQuery(c, PredictQuery);
    const fit = await getFit(c.env);
    if (!fit.model) throw new ApiError(404, "no_fit", "nothing has been fitted yet");
    const a = fit.index.get(query.a);
    const b = fit.index.get(query.b);
    if (a === undefined) throw new ApiError(404, "unknown_contender", `no contender "${query.a}" in the published fit`);
    if (b === undefined) throw new ApiError(404, "unknown_contender", `no contender "${query.b}" in the published fit`);
    if (a === b) throw new ApiError(400, "same_contender", "a and b must be different contenders");
    const cached = fitCaching(c, fit, `predict-${query.rater ?? ""}-${query.a}-${query.b}`);
    if (cached) return cached;
    const view = query.rater ? await c.env.ARENA.getByName("global").raterView(query.rater) : null;
    const p = predictPair(fit.model, view?.posterior ?? null, a, b);
    const body: Prediction = {
      rater: query.rater ?? null,
      a: round(p.a),
      b: round(p.b),
      tie: round(p.tie),
      basis: view?.posterior.basis ?? "global",
    };
    return c.json(body);
  });

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
