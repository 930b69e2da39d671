/** The Worker's bindings and vars, as declared in wrangler.toml. */
import type { Arena } from "./objects/arena.js";
import type { Echo } from "./objects/echo.js";
import type { Corpus } from "./objects/corpus.js";
import type { Rater } from "./objects/rater.js";
import type { Room } from "./objects/room.js";

export interface Env {
  ASSETS: Fetcher;
  RATER: DurableObjectNamespace<Rater>;
  CORPUS: DurableObjectNamespace<Corpus>;
  ARENA: DurableObjectNamespace<Arena>;
  ROOM: DurableObjectNamespace<Room>;
  ECHO: DurableObjectNamespace<Echo>;
  /** HMAC key for rater cookies and duel tokens (a secret in production) */
  SIGNING_SECRET?: string;
  /** bearer token for /api/admin/* (a secret; admin is disabled without it) */
  ADMIN_TOKEN?: string;
  /** "off" skips seeding the demo corpus into an empty arena */
  DEMO_CORPUS?: string;
  /** how long the arena waits after new votes before refitting (ms) */
  FIT_DEBOUNCE_MS?: string;
  /** how long a vote waits in its rater's outbox before the alarm makes sure the Arena has it (ms) */
  OUTBOX_DELAY_MS?: string;
  /** a live room with no activity for this long expires (ms) */
  ROOM_IDLE_MS?: string;
  /** "on" routes the benchmark's echo baseline */
  BENCH_ROUTES?: string;
  /** "off" turns rate limits off (local load tests, benchmarks) */
  RATE_LIMITS?: string;
  /** words per minute faster than which a vote is flagged as not read ("off": never) */
  FAST_VOTE_WPM?: string;
  VOTE_LIMITER?: RateLimit;
  DUEL_LIMITER?: RateLimit;
  ADDRESS_LIMITER?: RateLimit;
}

/** Variables Hono handlers see on the context. */
export interface Vars {
  rater: string;
}

export type AppEnv = { Bindings: Env; Variables: Vars };
