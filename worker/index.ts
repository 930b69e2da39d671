/**
 * Palate's Worker: the Hono app for `/api/*` (pages are static assets), and the Durable Object
 * classes it binds: Rater (one per rater), Corpus (one), Arena (one).
 */
import { Hono } from "hono";
import type { AppEnv } from "./env.js";
import { handleError, handleNotFound } from "./http/errors.js";
import { admin } from "./routes/admin.js";
import { clusters } from "./routes/clusters.js";
import { duel } from "./routes/duel.js";
import { health } from "./routes/health.js";
import { leaderboard } from "./routes/leaderboard.js";
import { me } from "./routes/me.js";
import { openapi } from "./routes/openapi.js";
import { raters } from "./routes/raters.js";
import { votes } from "./routes/votes.js";

export { Arena } from "./objects/arena.js";
export { Corpus } from "./objects/corpus.js";
export { Rater } from "./objects/rater.js";

const api = new Hono<AppEnv>()
  .route("/", health)
  .route("/", duel)
  .route("/", votes)
  .route("/", leaderboard)
  .route("/", me)
  .route("/", clusters)
  .route("/", raters)
  .route("/", openapi)
  .route("/", admin);

export const app = new Hono<AppEnv>();
app.use("/api/*", async (c, next) => {
  await next();
  c.header("X-Content-Type-Options", "nosniff");
});
app.route("/api", api);
app.onError(handleError);
app.notFound(handleNotFound);

export default app;
