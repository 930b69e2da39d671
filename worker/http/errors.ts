/** The API's one error shape, `{error:{code,message}}`, and the app-wide error handlers. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { routes } from "../../schema/openapi.js";

/** An error a client caused (or may retry); becomes a JSON response with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 426 | 429 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON body of an error response. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Hono onError: ApiErrors as themselves, anything else as a logged 500 without internals. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? "too_large" : status === 401 ? "unauthorized" : "bad_request";
    return c.json(errorBody(code, err.message || "bad request"), status);
  }
  console.error("unhandled", err);
  return c.json(errorBody("internal", "something went wrong on our side; the request was not applied"), 500);
}

/** Hono notFound: a JSON 405 (with Allow) for a known path and wrong method, else a JSON 404. */
export function handleNotFound(c: Context): Response {
  const path = new URL(c.req.url).pathname.replace(/\/+$/, "");
  const allowed = routes
    .filter((r) => new RegExp(`^${r.path.replace(/\{\w+\}/g, "[^/]+")}$`).test(path))
    .map((r) => r.method.toUpperCase());
  if (allowed.length > 0) {
    c.header("Allow", allowed.join(", "));
    return c.json(errorBody("method_not_allowed", `${path} takes ${allowed.join(" or ")}, not ${c.req.method}`), 405);
  }
  return c.json(errorBody("not_found", `no route ${c.req.method} ${path}`), 404);
}
