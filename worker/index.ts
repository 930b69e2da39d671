/**
 * Palate's Worker: the Hono app for `/api/*` (pages are static assets), and the Durable Object
 * classes it binds: Rater (one per rater), Corpus (one), Arena (one), Room (one per live room).
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "./env.js";
import { handleError, handleNotFound } from "./http/errors.js";
import { admin } from "./routes/admin.js";
import { clusters } from "./routes/clusters.js";
import { duel } from "./routes/duel.js";
import { openData } from "./routes/export.js";
import { health } from "./routes/health.js";
import { leaderboard } from "./routes/leaderboard.js";
import { me } from "./routes/me.js";
import { openapi } from "./routes/openapi.js";
import { raters } from "./routes/raters.js";
import { rooms } from "./routes/rooms.js";
import { votes } from "./routes/votes.js";

export { Arena } from "./objects/arena.js";
export { Echo } from "./objects/echo.js";
export { Corpus } from "./objects/corpus.js";
export { Rater } from "./objects/rater.js";
export { Room } from "./objects/room.js";

const api = new Hono<AppEnv>()
  .route("/", health)
  .route("/", duel)
  .route("/", votes)
  .route("/", leaderboard)
  .route("/", me)
  .route("/", clusters)
  .route("/", raters)
  .route("/", openData)
  .route("/", rooms)
  .route("/", openapi)
  .route("/", admin);

export const app = new Hono<AppEnv>();
app.use("/api/*", async (c, next) => {
  await next();
  c.header("X-Content-Type-Options", "nosniff");
});
// Read routes are open to any origin (no credentials: cookies never cross); voting, the caller's
// own pages and admin are same-origin only.
const openRead = cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["ETag", "Link", "X-Resume-Cursor"], maxAge: 86400 });
app.use("/api/*", async (c, next) => {
  const path = new URL(c.req.url).pathname;
  const readable = ["GET", "HEAD", "OPTIONS"].includes(c.req.method) && !/^\/api\/(admin|duel|me|rooms)(\/|$)/.test(path);
  return readable ? openRead(c, next) : next();
});
app.route("/api", api);
// The room benchmark's baseline; off unless BENCH_ROUTES=on (bench/room.ts turns it on).
app.get("/api/bench/echo/:name/ws", (c) => {
  if (c.env.BENCH_ROUTES !== "on" || c.req.header("Upgrade")?.toLowerCase() !== "websocket") return handleNotFound(c);
  return c.env.ECHO.getByName(c.req.param("name")).fetch(c.req.raw);
});
// The vote benchmark's floor: a POST that makes one durable write in a Durable Object, and the
// same call into the object without the write (which splits the floor into the call and the commit).
app.post("/api/bench/write/:name", async (c) => {
  if (c.env.BENCH_ROUTES !== "on") return handleNotFound(c);
  return c.json({ n: await c.env.ECHO.getByName(c.req.param("name")).touch() }, 201);
});
app.post("/api/bench/call/:name", async (c) => {
  if (c.env.BENCH_ROUTES !== "on") return handleNotFound(c);
  return c.json({ n: await c.env.ECHO.getByName(c.req.param("name")).count() }, 201);
});
app.onError(handleError);
app.notFound(handleNotFound);

export default app;
