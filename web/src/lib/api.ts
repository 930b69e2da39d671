// Fetch helpers for the JSON API: same-origin requests, timeouts and readable errors from {error:{code,message}} bodies.
import type { Clusters, Duel, Leaderboard, Me, VoteRequest, VoteResult } from "../../../schema/api.js";
import type { OpenApiDoc } from "./openapi.js";

/** An API failure with the server's error code (or "network" / "timeout" / "bad_response"). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const TIMEOUT_MS = 15_000;

/** Fetches a JSON API path and returns the parsed body, throwing ApiError on any failure. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, TIMEOUT_MS);
  const outer = init.signal;
  const onOuterAbort = () => ctl.abort();
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  if (outer?.aborted) ctl.abort();
  let res: Response;
  let text: string;
  try {
    res = await fetch(path, {
      ...init,
      signal: ctl.signal,
      credentials: "same-origin",
      headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) },
    });
    text = await res.text();
  } catch (e) {
    if (outer?.aborted) throw e;
    if (timedOut) throw new ApiError("timeout", "The server took too long to answer. Try again.");
    throw new ApiError("network", "Could not reach the server. Check your connection and try again.");
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = typeof err?.code === "string" ? err.code : `http_${res.status}`;
    const message =
      typeof err?.message === "string" && err.message
        ? err.message
        : `The server answered ${res.status} ${res.statusText}`.trim() + ".";
    throw new ApiError(code, message, res.status);
  }
  if (body === null) throw new ApiError("bad_response", "The server sent an unreadable answer.", res.status);
  return body as T;
}

/** Describes any thrown value as a short message for the page. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** True when the value is an abort caused by our own AbortController. */
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === "AbortError";
}

/** GET /api/duel, optionally restricted to one genre. */
export function getDuel(genre: string | null, signal?: AbortSignal): Promise<Duel> {
  const q = genre ? `?genre=${encodeURIComponent(genre)}` : "";
  return api<Duel>(`/api/duel${q}`, { signal });
}

/** POST /api/votes; the same token again returns the same vote. */
export function postVote(vote: VoteRequest): Promise<VoteResult> {
  return api<VoteResult>("/api/votes", { method: "POST", body: JSON.stringify(vote) });
}

/** Optional filters of GET /api/leaderboard. */
export interface BoardQuery {
  cluster?: string | null;
  genre?: string | null;
  control?: "length" | null;
}

/** GET /api/leaderboard with optional cluster, genre and length control. */
export function getLeaderboard(q: BoardQuery = {}, signal?: AbortSignal): Promise<Leaderboard> {
  const params = new URLSearchParams();
  if (q.cluster) params.set("cluster", q.cluster);
  if (q.genre) params.set("genre", q.genre);
  if (q.control) params.set("control", q.control);
  const s = params.toString();
  return api<Leaderboard>(`/api/leaderboard${s ? `?${s}` : ""}`, { signal });
}

/** GET /api/me: the calling rater's votes, board, quirk and clusters. */
export function getMe(signal?: AbortSignal): Promise<Me> {
  return api<Me>("/api/me", { signal });
}

/** GET /api/clusters: the published taste clusters, their boards and the map of raters. */
export function getClusters(signal?: AbortSignal): Promise<Clusters> {
  return api<Clusters>("/api/clusters", { signal });
}

/** GET /api/openapi.json: the OpenAPI document that the docs page renders. */
export function getOpenApi(signal?: AbortSignal): Promise<OpenApiDoc> {
  return api<OpenApiDoc>("/api/openapi.json", { signal });
}
