/**
 * Rate limits on the write paths, per rater and per address, with the Workers Rate Limiting
 * binding (simulated locally by wrangler dev and the test runtime). `RATE_LIMITS=off` turns them
 * off, for local load tests and benchmarks.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Env } from "../env.js";
import { ApiError } from "./errors.js";

type Limiter = "VOTE_LIMITER" | "DUEL_LIMITER";

/** The window of every limiter, in seconds (the binding's `period`). */
export const LIMIT_PERIOD_S = 60;

class RateLimited extends ApiError {
  constructor(what: string) {
    super(429, "rate_limited", `too many ${what}; wait a minute and try again`);
  }
}

/**
 * Middleware: counts the request against the rater's limiter and their address's, answering
 * 429 with Retry-After when either is spent. Runs after `identifyRater`.
 */
export function rateLimit(limiter: Limiter, what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.env.RATE_LIMITS === "off") return next();
    const address = c.req.header("CF-Connecting-IP") ?? "local";
    const [own, shared] = await Promise.all([
      limit(c.env, limiter, `rater:${c.get("rater")}`),
      limit(c.env, "ADDRESS_LIMITER", `address:${address}`),
    ]);
    if (!own || !shared) {
      c.header("Retry-After", String(LIMIT_PERIOD_S));
      throw new RateLimited(what);
    }
    await next();
  };
}

async function limit(env: Env, name: Limiter | "ADDRESS_LIMITER", key: string): Promise<boolean> {
  const binding = env[name];
  // A deployment without the binding configured is not limited rather than broken.
  if (!binding) return true;
  return (await binding.limit({ key })).success;
}
