/** `GET /api/me`: the caller's personal board beside the published one, and how quirky it is. */
import { Hono } from "hono";
import type { Me } from "../../schema/api.js";
import type { AppEnv } from "../env.js";
import { identifyRater } from "../http/identity.js";
import { getCorpus, getFit } from "../reads/cache.js";
import { type PersonalEntry, personalBoard, quirkPoints } from "../ratings/board.js";
import { PERSONAL_TAU } from "../ratings/personal.js";

export const me = new Hono<AppEnv>().get("/me", identifyRater, async (c) => {
  const rater = c.get("rater");
  const [profile, fit, corpus] = await Promise.all([
    c.env.RATER.getByName(rater).profile(),
    getFit(c.env),
    getCorpus(c.env),
  ]);
  const own = new Map(profile.rows.map((r) => [r.contender, r]));
  const ids = fit.value?.contenders ?? corpus.snapshot.contenders.map((x) => x.id);
  const globalTheta = ids.map((id) => {
    const i = fit.index.get(id);
    return i === undefined ? 0 : fit.value!.theta[i]!;
  });
  const entries: PersonalEntry[] = ids.map((id, c) => own.get(id) ?? { contender: id, mu: globalTheta[c]!, sigma: PERSONAL_TAU, votes: 0, wins: 0, ties: 0, bothBad: 0 });
  const body: Me = {
    rater,
    votes: profile.votes,
    cluster: { id: null, membership: {} },
    quirk: quirkPoints(entries.map((e) => e.mu), globalTheta),
    rows: personalBoard(entries, corpus.byId.contenders),
  };
  c.header("Cache-Control", "private, no-store");
  return c.json(body);
});
