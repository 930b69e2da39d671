/**
 * A tiny HTTP client for workerd tests: requests go through the real Worker (`exports.default`),
 * and each Client keeps its own rater cookie, like one browser.
 */
import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import type { Duel, VoteResult } from "../../schema/api.js";

export const ADMIN = { authorization: "Bearer test-admin-token" };

/** One browser: a cookie jar over the Worker's fetch. */
export class Client {
  cookie: string | null = null;

  /** Sends a request to the Worker, keeping the rater cookie. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie && !headers.has("cookie")) headers.set("cookie", this.cookie);
    const response = await exports.default.fetch(new Request(`http://palate.test${path}`, { ...init, headers }));
    const set = response.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    return response;
  }

  /** GET a JSON body, asserting nothing. */
  async json<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const response = await this.fetch(path, init);
    return { status: response.status, body: (await response.json()) as T };
  }

  /** A new duel (throws on an error status). */
  async duel(genre?: string): Promise<Duel> {
    const { status, body } = await this.json<Duel>(`/api/duel${genre ? `?genre=${genre}` : ""}`);
    if (status !== 200) throw new Error(`duel: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  /** Posts a vote; answers status and body. */
  vote(body: unknown): Promise<{ status: number; body: VoteResult & { error: { code: string; message: string } } }> {
    return this.json("/api/votes", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  /** The rater id in this client's cookie. */
  get rater(): string {
    const value = decodeURIComponent(this.cookie!.split("=")[1]!);
    return value.slice(0, value.lastIndexOf("."));
  }
}

/** Runs the rater's outbox alarm now, so their votes reach the Arena. */
export async function flushRater(rater: string): Promise<void> {
  await runDurableObjectAlarm(env.RATER.getByName(rater));
}

/** Refits through the admin API, as an operator would. */
export async function refit(): Promise<void> {
  const response = await exports.default.fetch(new Request("http://palate.test/api/admin/refit", { method: "POST", headers: ADMIN }));
  if (response.status !== 200) throw new Error(`refit: ${response.status} ${await response.text()}`);
}

/** POSTs NDJSON lines to the admin import. */
export async function importLines(lines: unknown[], headers: Record<string, string> = ADMIN): Promise<Response> {
  return exports.default.fetch(
    new Request("http://palate.test/api/admin/import", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", ...headers },
      body: lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n"),
    }),
  );
}

/** Polls `probe` until `done` holds of its answer or 5 s pass; answers the last answer. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    value = await probe();
  }
  return value;
}
