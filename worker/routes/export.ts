/**
 * Open data: `GET /api/votes` (the anonymised vote log, cursor-paginated by log sequence, so votes
 * arriving meanwhile are neither skipped nor repeated), `GET /api/fits/latest` and `GET /api/fits`
 * (the published fits, for plotting how boards moved).
 */
import { Hono } from "hono";
import { FitsQuery, type VoteRow, VotesQuery } from "../../schema/api.js";
import type { PublishedFit } from "../../schema/fit.js";
import type { AppEnv } from "../env.js";
import { fitCaching } from "../http/caching.js";
import { sign } from "../http/crypto.js";
import { ApiError } from "../http/errors.js";
import { signingSecret } from "../http/identity.js";
import { readQuery } from "../http/validate.js";
import { getCorpus, getFit } from "../reads/cache.js";
import { arenaBattle, csvHeader, csvRecord, decodeCursor, encodeCursor } from "../reads/export.js";

/** Rows written to the stream per chunk. */
const CHUNK = 250;

export const openData = new Hono<AppEnv>()
  .get("/votes", async (c) => {
    const query = readQuery(c, VotesQuery);
    const after = query.cursor === undefined ? 0 : decodeCursor(query.cursor);
    if (after === null) throw new ApiError(400, "bad_cursor", "cursor is not one this API gave out; start without it");
    const secret = signingSecret(c);
    const [page, corpus] = await Promise.all([
      c.env.ARENA.getByName("global").exportPage(after, query.limit + 1, query.since ? Date.parse(query.since) : null),
      getCorpus(c.env),
    ]);
    const more = page.length > query.limit;
    const rows = more ? page.slice(0, query.limit) : page;
    // Raters are replaced by a keyed hash: stable across pages and exports, not reversible.
    const hashes = new Map<string, string>();
    const anonymous = async (rater: string) => {
      let h = hashes.get(rater);
      if (!h) {
        h = `h-${(await sign(secret, `export:${rater}`)).slice(0, 16)}`;
        hashes.set(rater, h);
      }
      return h;
    };
    const votes: VoteRow[] = [];
    for (const v of rows) {
      const prompt = v.prompt ? corpus.byId.prompts.get(v.prompt) : undefined;
      votes.push({
        id: v.id,
        rater: await anonymous(v.rater),
        prompt: v.prompt,
        genre: prompt?.genre ?? null,
        promptText: prompt?.text ?? null,
        a: v.a,
        b: v.b,
        winner: v.winner,
        readMs: v.readMs,
        reasons: safeReasons(v.reasons),
        at: new Date(v.at).toISOString(),
        source: v.source,
        cluster: v.cluster,
        room: v.room,
        flagged: v.flagged === 1,
      });
    }
    const next = more ? encodeCursor(rows[rows.length - 1]!.seq) : null;
    // Even the last page says where to resume, so a puller can later fetch only newer votes.
    c.header("X-Resume-Cursor", rows.length > 0 ? encodeCursor(rows[rows.length - 1]!.seq) : (query.cursor ?? encodeCursor(0)));
    c.header("Cache-Control", "no-cache");
    if (query.format === "json") return c.json({ votes, next });

    if (next) {
      const url = new URL(c.req.url);
      url.searchParams.set("cursor", next);
      c.header("Link", `<${url.toString()}>; rel="next"`);
    }
    const persona = (id: string) => corpus.byId.contenders.get(id)?.persona ?? "";
    const pieces: (() => string)[] = [];
    if (query.format === "csv") {
      pieces.push(csvHeader);
      for (let i = 0; i < votes.length; i += CHUNK) pieces.push(() => votes.slice(i, i + CHUNK).map(csvRecord).join(""));
    } else if (query.format === "jsonl") {
      for (let i = 0; i < votes.length; i += CHUNK) pieces.push(() => votes.slice(i, i + CHUNK).map((v) => `${JSON.stringify(v)}\n`).join(""));
    } else {
      pieces.push(() => "[");
      for (let i = 0; i < votes.length; i += CHUNK) {
        pieces.push(() => (i > 0 ? "," : "") + votes.slice(i, i + CHUNK).map((v) => JSON.stringify(arenaBattle(v, persona))).join(","));
      }
      pieces.push(() => "]\n");
    }
    // Streamed a chunk at a time, so a 5,000-row page never sits in memory as one string.
    const encoder = new TextEncoder();
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= pieces.length) return controller.close();
        controller.enqueue(encoder.encode(pieces[at++]!()));
      },
    });
    const type = query.format === "csv" ? "text/csv; charset=utf-8; header=present" : query.format === "jsonl" ? "application/x-ndjson" : "application/json";
    return c.body(stream, 200, { "Content-Type": type });
  })
  .get("/fits/latest", async (c) => {
    const fit = await getFit(c.env);
    if (!fit.text) throw new ApiError(404, "no_fit", "nothing has been fitted yet");
    const cached = fitCaching(c, fit, "fit-latest");
    if (cached) return cached;
    return c.body(fit.text, 200, { "Content-Type": "application/json; charset=utf-8" });
  })
  .get("/fits", async (c) => {
    const query = readQuery(c, FitsQuery);
    const fit = await getFit(c.env);
    const cached = fitCaching(c, fit, `fits-${query.before ?? "top"}-${query.limit}`);
    if (cached) return cached;
    const list = await c.env.ARENA.getByName("global").listFits(query.before ?? null, query.limit);
    const fits = list.map(({ id, body }) => {
      const f = JSON.parse(body) as Omit<PublishedFit, "id">;
      return {
        id,
        fitAt: f.fitAt,
        votes: f.global.votes,
        k: f.taste?.k ?? 1,
        rows: f.global.rows.map((r) => ({ contender: r.contender, rating: r.rating, lo: r.lo, hi: r.hi, votes: r.votes })),
      };
    });
    return c.json({ fits, next: fits.length === query.limit ? fits[fits.length - 1]!.id : null });
  });

function safeReasons(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
