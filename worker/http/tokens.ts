/**
 * Duel tokens: a signed statement "rater r was served duel d showing passages a and b at time t".
 * A vote must carry one; the signature lets the Worker refuse forged or foreign tokens without
 * touching storage, and the rater's own object then checks the duel was really served.
 */
import { z } from "zod";
import { ApiError } from "./errors.js";
import { base64url, fromBase64url, sign, verify } from "./crypto.js";

/** How long a served duel can be voted on. */
export const DUEL_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

const Claims = z.object({ v: z.literal(1), r: z.string(), d: z.string(), a: z.string(), b: z.string(), t: z.number() });
export type DuelClaims = z.infer<typeof Claims>;

/** Signs duel claims into a token. */
export async function signDuelToken(secret: string, claims: Omit<DuelClaims, "v">): Promise<string> {
  const payload = base64url(new TextEncoder().encode(JSON.stringify({ v: 1, ...claims })));
  return `${payload}.${await sign(secret, `duel.${payload}`)}`;
}

/** Verifies a token for `rater` at time `now`: throws a 4xx ApiError when it is not good. */
export async function verifyDuelToken(secret: string, token: string, rater: string, now: number): Promise<DuelClaims> {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || !(await verify(secret, `duel.${payload}`, signature))) {
    throw new ApiError(403, "bad_token", "the duel token is not one this arena signed");
  }
  const bytes = fromBase64url(payload);
  const claims = bytes ? Claims.safeParse(safeJson(new TextDecoder().decode(bytes))) : null;
  if (!claims?.success) throw new ApiError(403, "bad_token", "the duel token is malformed");
  if (claims.data.r !== rater) throw new ApiError(403, "foreign_token", "this duel was served to another rater");
  if (now - claims.data.t > DUEL_TOKEN_TTL_MS) throw new ApiError(410, "expired_token", "this duel has expired; fetch a new one");
  return claims.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
