/** Admin authentication: a bearer token that must equal the `ADMIN_TOKEN` secret. */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.js";
import { ApiError } from "./errors.js";
import { sameString } from "./crypto.js";

/** Middleware: refuses unless `Authorization: Bearer <ADMIN_TOKEN>`. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new ApiError(403, "admin_disabled", "admin routes are disabled: ADMIN_TOKEN is not set");
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) throw new ApiError(401, "unauthorized", "send Authorization: Bearer <ADMIN_TOKEN>");
  if (!sameString(match[1]!.trim(), expected)) throw new ApiError(401, "unauthorized", "wrong admin token");
  await next();
};
