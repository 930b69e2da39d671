/** `GET /api/health`: answers without touching storage, the baseline every benchmark divides by. */
import { Hono } from "hono";
import type { AppEnv } from "../env.js";

export const health = new Hono<AppEnv>().get("/health", (c) => c.json({ ok: true as const }));
