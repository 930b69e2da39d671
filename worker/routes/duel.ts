/** `GET /api/duel`: the caller's next duel, served by their own Rater object and signed. */
import { Hono } from "hono";
import { DuelQuery, type Duel } from "../../schema/api.js";
import type { AppEnv } from "../env.js";
import { ApiError } from "../http/errors.js";
import { identifyRater, signingSecret } from "../http/identity.js";
import { rateLimit } from "../http/ratelimit.js";
import { signDuelToken } from "../http/tokens.js";
import { readQuery } from "../http/validate.js";
import { getCorpus, getFit } from "../reads/cache.js";

export const duel = new Hono<AppEnv>().get("/duel", identifyRater, rateLimit("DUEL_LIMITER", "duels"), async (c) => {
  const { genre } = readQuery(c, DuelQuery);
  const rater = c.get("rater");
  const [corpus, fit] = await Promise.all([getCorpus(c.env), getFit(c.env)]);
  if (genre && !corpus.snapshot.prompts.some((p) => p.genre === genre)) {
    throw new ApiError(404, "unknown_genre", `no prompts in genre "${genre}"`);
  }
  const served = await c.env.RATER.getByName(rater).serveDuel(rater, genre, corpus.snapshot.version, fit.selection);
  if (!served) throw new ApiError(404, "no_duel", "the corpus has no prompt with passages by two contenders yet");
  const prompt = corpus.byId.prompts.get(served.prompt);
  const a = corpus.byId.passages.get(served.a.id);
  const b = corpus.byId.passages.get(served.b.id);
  if (!prompt || !a || !b) throw new ApiError(503, "corpus_changing", "the corpus changed while serving; try again");
  const token = await signDuelToken(signingSecret(c), { r: rater, d: served.duelId, a: a.id, b: b.id, t: served.issuedAt });
  const body: Duel = {
    duelId: served.duelId,
    token,
    prompt: { id: prompt.id, text: prompt.text, genre: prompt.genre },
    a: { passageId: a.id, text: a.text },
    b: { passageId: b.id, text: b.text },
    repeat: served.repeat,
  };
  c.header("Cache-Control", "no-store");
  return c.json(body);
});
