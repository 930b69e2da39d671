/** `GET /api/clusters`: every taste cluster's size, signature and board, and the map of raters. */
import { Hono } from "hono";
import type { Clusters } from "../../schema/api.js";
import type { AppEnv } from "../env.js";
import { fitCaching } from "../http/caching.js";
import { getFit } from "../reads/cache.js";
import { axisEnds } from "../reads/taste.js";

export const clusters = new Hono<AppEnv>().get("/clusters", async (c) => {
  const fit = await getFit(c.env);
  const cached = fitCaching(c, fit, "clusters");
  if (cached) return cached;
  const taste = fit.value?.taste;
  const body: Clusters = {
    fitAt: fit.value?.fitAt ?? null,
    k: taste?.k ?? 0,
    votes: fit.value?.global.votes ?? 0,
    raters: taste?.raters ?? 0,
    predictor: taste?.predictor ?? { form: "global", tau: 0 },
    populations: (taste?.populations ?? []).map((p) => ({
      id: p.id,
      raters: p.raters,
      contenders: p.contenders?.length ?? fit.value?.contenders.length ?? 0,
      predictor: p.predictor,
    })),
    stability: taste?.stability ?? 1,
    separation: taste?.separation ?? null,
    space: taste?.space ? { dim: taste.space.dim, scale: taste.space.scale, tau: taste.space.tau, axes: taste.space.axes.map(axisEnds) } : null,
    clusters: (taste?.clusters ?? []).map((cl) => ({
      id: cl.id,
      size: cl.size,
      share: cl.share,
      votes: cl.votes,
      signature: cl.signature,
      rows: cl.board.rows,
    })),
    map: taste?.map ?? { points: [], raters: 0, basis: "boards" },
  };
  return c.json(body);
});
