/**
 * Who is asking: the rater id in a signed cookie, set on first contact. Nothing the client merely
 * asserts (a header, a body field) identifies a rater.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { AppEnv } from "../env.js";
import { ApiError } from "./errors.js";
import { randomId } from "./crypto.js";

export const RATER_COOKIE = "palate_rater";
const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The signing secret, or a 503 when the deployment forgot to set it. */
export function signingSecret(c: Context<AppEnv>): string {
  const secret = c.env.SIGNING_SECRET;
  if (!secret || secret.length < 16) {
    throw new ApiError(503, "not_configured", "SIGNING_SECRET is not set (at least 16 characters)");
  }
  return secret;
}

/** Cookies already verified in this isolate (raw cookie value → rater), so each costs one HMAC. */
const verified = new Map<string, string>();
const VERIFIED_MAX = 10_000;

/** Middleware: sets `c.var.rater`, issuing a new signed cookie when there is no valid one. */
export const identifyRater: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = signingSecret(c);
  const raw = getCookie(c, RATER_COOKIE);
  const known = raw ? verified.get(`${secret.length}:${raw}`) : undefined;
  const current = known ?? (await getSignedCookie(c, secret, RATER_COOKIE));
  if (typeof current === "string" && /^r-[A-Za-z0-9_-]{16}$/.test(current)) {
    if (raw && !known) {
      if (verified.size >= VERIFIED_MAX) verified.clear();
      verified.set(`${secret.length}:${raw}`, current);
    }
    c.set("rater", current);
  } else {
    const rater = randomId("r");
    c.set("rater", rater);
    await setSignedCookie(c, RATER_COOKIE, rater, secret, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(c.req.url).protocol === "https:",
      maxAge: ONE_YEAR_S,
    });
  }
  await next();
};
