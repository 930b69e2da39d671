/**
 * `/api/rooms`: create a live room (the caller hosts it), look one up, its QR code, and the
 * WebSocket every player connects to. The Worker identifies the rater from the signed cookie and
 * hands only that id to the Room object.
 */
import { Hono } from "hono";
import { renderSVG } from "uqr";
import { CreateRoom, RoomCode, type RoomCreated } from "../../schema/room.js";
import type { AppEnv } from "../env.js";
import { ApiError } from "../http/errors.js";
import { identifyRater } from "../http/identity.js";
import { rateLimit } from "../http/ratelimit.js";
import { describeIssues, readJson } from "../http/validate.js";
import { getCorpus } from "../reads/cache.js";

/** Join-code alphabet: no 0/O, 1/I/L look-alikes. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function newCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}

function roomCode(raw: string): string {
  const parsed = RoomCode.safeParse(raw.toUpperCase());
  if (!parsed.success) throw new ApiError(400, "invalid", describeIssues(parsed.error));
  return parsed.data;
}

const joinUrl = (origin: string, code: string) => `${origin}/rooms/join?code=${code}`;

export const rooms = new Hono<AppEnv>()
  .post("/rooms", identifyRater, rateLimit("DUEL_LIMITER", "rooms"), async (c) => {
    const config = await readJson(c, CreateRoom);
    if (config.genre) {
      const { snapshot } = await getCorpus(c.env);
      if (!snapshot.prompts.some((p) => p.genre === config.genre)) throw new ApiError(404, "unknown_genre", `no prompts in genre "${config.genre}"`);
    }
    const origin = new URL(c.req.url).origin;
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = newCode();
      if (await c.env.ROOM.getByName(code).init(code, c.get("rater"), config)) {
        const body: RoomCreated = {
          code,
          joinUrl: joinUrl(origin, code),
          hostUrl: `${origin}/rooms/host?code=${code}`,
          qrSvg: renderSVG(joinUrl(origin, code)),
        };
        return c.json(body, 201);
      }
    }
    throw new ApiError(503, "busy", "could not find a free room code; try again");
  })
  // Looking a room up also hands a newcomer their rater cookie, before the socket opens.
  .get("/rooms/:code", identifyRater, async (c) => {
    const summary = await c.env.ROOM.getByName(roomCode(c.req.param("code"))).summary();
    if (!summary) throw new ApiError(404, "unknown_room", "no room with that code");
    c.header("Cache-Control", "no-store");
    return c.json(summary);
  })
  .get("/rooms/:code/qr.svg", (c) => {
    const code = roomCode(c.req.param("code"));
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(renderSVG(joinUrl(new URL(c.req.url).origin, code)), 200, { "Content-Type": "image/svg+xml" });
  })
  .get("/rooms/:code/ws", identifyRater, async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new ApiError(426, "upgrade_required", "connect with a WebSocket");
    const code = roomCode(c.req.param("code"));
    const room = c.env.ROOM.getByName(code);
    if (!(await room.summary())) throw new ApiError(404, "unknown_room", "no room with that code");
    // Only the Worker says who the player is: a client-sent header of the same name is replaced.
    const headers = new Headers(c.req.raw.headers);
    headers.set("X-Palate-Rater", c.get("rater"));
    const response = await room.fetch(new Request(c.req.url, { headers }));
    // The cookie for a brand-new rater rides on the 101 response.
    const cookie = c.res.headers.get("set-cookie");
    if (cookie && response.webSocket) {
      return new Response(null, { status: 101, webSocket: response.webSocket, headers: { "set-cookie": cookie } });
    }
    return response;
  });
