/** `/api/admin/*`: corpus import (NDJSON) and refit on demand, behind the admin bearer token. */
import { Hono } from "hono";
import type { ImportLine } from "../../schema/corpus.js";
import type { ImportResult, RefitResult } from "../../schema/api.js";
import type { AppEnv } from "../env.js";
import { VoteImporter } from "../corpus/importVotes.js";
import { readImportLines } from "../corpus/ndjson.js";
import type { LoggedVote } from "../objects/arena.js";
import { requireAdmin } from "../http/admin.js";
import { ApiError } from "../http/errors.js";
import { tooLarge } from "../http/validate.js";
import { getCorpus, invalidateCaches } from "../reads/cache.js";

/** Largest import accepted in one request. */
export const IMPORT_LIMIT_BYTES = 100 * 1024 * 1024;
/** Lines sent to the Corpus object per call. */
const BATCH = 500;
/** Rejections listed one by one; beyond this only `rejectedCount` grows. */
const MAX_LISTED_REJECTIONS = 1000;

export const admin = new Hono<AppEnv>()
  .use("/admin/*", requireAdmin)
  .post("/admin/import", async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (type && !/^(application\/(x-)?ndjson|application\/jsonl|text\/plain)\b/i.test(type)) {
      throw new ApiError(415, "unsupported_media_type", "send NDJSON (application/x-ndjson), one object a line");
    }
    if (Number(c.req.header("content-length") ?? 0) > IMPORT_LIMIT_BYTES) throw tooLarge(IMPORT_LIMIT_BYTES);
    if (!c.req.raw.body) throw new ApiError(400, "empty", "the import body is empty");

    const result: ImportResult = { accepted: { prompt: 0, contender: 0, passage: 0, vote: 0 }, rejected: [], rejectedCount: 0 };
    const reject = (line: number, reason: string) => {
      result.rejectedCount++;
      if (result.rejected.length < MAX_LISTED_REJECTIONS) result.rejected.push({ line, reason });
    };
    const corpus = c.env.CORPUS.getByName("main");
    const arena = c.env.ARENA.getByName("global");
    let batch: { line: number; value: ImportLine }[] = [];
    let votes: LoggedVote[] = [];
    const importer = new VoteImporter(Date.now());
    let corpusKnown = false;
    const flush = async () => {
      if (batch.length === 0) return;
      const done = await corpus.upsert(batch);
      result.accepted.prompt += done.prompt;
      result.accepted.contender += done.contender;
      result.accepted.passage += done.passage;
      for (const r of done.rejected) reject(r.line, r.reason);
      batch = [];
      // Votes after these lines may name what they just defined.
      invalidateCaches();
      corpusKnown = false;
    };
    const flushVotes = async () => {
      if (votes.length === 0) return;
      await arena.ingest(votes);
      votes = [];
    };
    const voteImporter = async () => {
      if (!corpusKnown) {
        await flush();
        const { snapshot } = await getCorpus(c.env);
        importer.useCorpus(new Set(snapshot.contenders.map((x) => x.id)), new Set(snapshot.prompts.map((x) => x.id)));
        corpusKnown = true;
      }
      return importer;
    };
    try {
      for await (const item of readImportLines(c.req.raw.body, IMPORT_LIMIT_BYTES)) {
        if ("error" in item) reject(item.line, item.error);
        else if (item.value.kind === "vote") {
          const vote = (await voteImporter()).accept(item.value);
          if (typeof vote === "string") reject(item.line, vote);
          else {
            votes.push(vote);
            result.accepted.vote++;
            if (votes.length >= BATCH) await flushVotes();
          }
        } else {
          await flushVotes();
          batch.push({ line: item.line, value: item.value });
          if (batch.length >= BATCH) await flush();
        }
      }
      await flush();
      await flushVotes();
    } catch (err) {
      if (err instanceof RangeError) throw new ApiError(413, "too_large", err.message);
      throw err;
    }
    invalidateCaches();
    return c.json(result);
  })
  .post("/admin/refit", async (c) => {
    const summary = await c.env.ARENA.getByName("global").refit();
    invalidateCaches();
    const body: RefitResult = summary;
    return c.json(body);
  });
