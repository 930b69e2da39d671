/** `GET /api/openapi.json`: the OpenAPI document generated from `schema/`. */
import { Hono } from "hono";
import { openApiDocument } from "../../schema/openapi.js";
import type { AppEnv } from "../env.js";

let memo: string | null = null;

export const openapi = new Hono<AppEnv>().get("/openapi.json", (c) => {
  memo ??= JSON.stringify(openApiDocument());
  c.header("Content-Type", "application/json; charset=utf-8");
  c.header("Cache-Control", "public, max-age=300");
  return c.body(memo);
});
