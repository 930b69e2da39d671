/** HTTP caching for reads served from a published fit: one ETag per fit and view, 304 when it matches. */
import type { Context } from "hono";
import type { FitView } from "../reads/cache.js";

/** Seconds a client or CDN may reuse a fit-based read without asking. */
export const FIT_MAX_AGE_S = 5;

/**
 * Sets ETag and Cache-Control for a read of `view` of the published fit; answers the 304 to send
 * when the client already has it, else null.
 */
export function fitCaching(c: Context, fit: FitView, view: string): Response | null {
  const etag = `${fit.etag.slice(0, -1)}-${view.replace(/[^A-Za-z0-9._~:=&/-]/g, "_")}"`;
  c.header("ETag", etag);
  c.header("Cache-Control", `public, max-age=${FIT_MAX_AGE_S}`);
  const asked = c.req.header("If-None-Match");
  if (asked && asked.split(",").some((t) => t.trim() === etag || t.trim() === "*")) return c.body(null, 304);
  return null;
}
