/**
 * Arena: the vote log and the published fits. Votes arrive from Rater outboxes (at-least-once,
 * deduplicated here by vote id); a debounced alarm refits and publishes, and every read is served
 * from the last published fit. Nothing on the per-vote path waits for this object.
 */
import { DurableObject } from "cloudflare:workers";
import { FIT_FORMAT, type PublishedFit } from "../../schema/fit.js";
import { arenaMigrations } from "../../schema/migrations/arena.js";
import type { Env } from "../env.js";
import { type RaterPosterior, type RaterVote, raterPosterior } from "../ratings/posterior.js";
import { type FitVote, fitArena, tasteModel } from "../ratings/publish.js";
import { OnceAlarm, durationVar } from "./alarm.js";
import { migrate } from "./migrate.js";

/** A vote as the log keeps it; `a`/`b` are contender ids, `winner` is from a's side. */
export interface LoggedVote {
  id: string;
  rater: string;
  prompt: string | null;
  a: string;
  b: string;
  winner: "a" | "b" | "tie" | "both_bad";
  readMs: number | null;
  reasons: string;
  at: number;
  /** "arena" for votes cast here, "import" for votes from elsewhere */
  source?: "arena" | "import";
  /** the passages shown, when known (their lengths feed style control) */
  passageA?: string | null;
  passageB?: string | null;
  /** the live room it was cast in */
  room?: string | null;
  /** cast faster than a plausible reading time: kept and exported, left out of fits */
  flagged?: boolean;
}

/** Summary of one fit, as `POST /api/admin/refit` answers it. */
export interface FitSummary {
  fitAt: string;
  votes: number;
  contenders: number;
  seconds: number;
  k: number;
}

const DEFAULT_DEBOUNCE_MS = 5000;
/** Fits kept in full before history thins to one a day. */
const KEEP_RECENT_FITS = 200;

/** A vote of the log as the export reads it (rater not yet anonymised). */
export interface ExportedVote extends Pick<LoggedVote, "id" | "rater" | "prompt" | "a" | "b" | "winner" | "readMs" | "reasons" | "at"> {
  seq: number;
  source: "arena" | "import";
  cluster: string | null;
  room: string | null;
  flagged: number;
}

export class Arena extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private latest: { id: number; body: string; model: string | null } | null = null;
  /** The debounced refit alarm, set by the first new votes after each run. */
  private readonly refitAlarm: OnceAlarm;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.refitAlarm = new OnceAlarm(ctx.storage);
    ctx.blockConcurrencyWhile(async () => migrate(this.sql, arenaMigrations));
  }

  /** Alarm: a debounced refit after new votes. A throw is retried by the runtime. */
  async alarm(): Promise<void> {
    // Votes ingested while this runs arm the next refit, which the runtime keeps after this one.
    this.refitAlarm.running();
    // Fault injection for tests (armed in storage by a test): the first run dies before fitting.
    if (this.ctx.storage.kv.get("fault:arena-alarm") !== undefined) {
      this.ctx.storage.kv.delete("fault:arena-alarm");
      throw new Error("injected fault in the arena's alarm");
    }
    await this.refit();
  }

  /** Appends votes to the log, ignoring ids it already holds; answers how many were new. */
  async ingest(votes: LoggedVote[]): Promise<number> {
    // One statement for the whole batch (statements, not rows, are what cost here); RETURNING
    // yields a row only for a vote that was new (rowsWritten counts index probes too).
    const rows = votes.map((v) => [
      v.id,
      v.rater,
      v.prompt,
      v.a,
      v.b,
      v.winner,
      v.readMs,
      v.reasons,
      v.at,
      v.source ?? "arena",
      v.passageA ?? null,
      v.passageB ?? null,
      v.room ?? null,
      v.flagged ? 1 : 0,
    ]);
    const added = this.sql.exec(
      `INSERT INTO votes (id, rater, prompt, a, b, winner, read_ms, reasons, at, source, passage_a, passage_b, room, flagged)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
              value ->> 8, value ->> 9, value ->> 10, value ->> 11, value ->> 12, value ->> 13
       FROM json_each(?) WHERE true ORDER BY key
       ON CONFLICT(id) DO NOTHING RETURNING seq`,
      JSON.stringify(rows),
    ).toArray().length;
    if (added > 0) await this.refitAlarm.arm(durationVar(this.env.FIT_DEBOUNCE_MS, DEFAULT_DEBOUNCE_MS));
    return added;
  }

  /** Number of votes in the log. */
  voteCount(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM votes").one().n;
  }

  /** Fits the whole log now and publishes the result. Deterministic for the same log. */
  async refit(): Promise<FitSummary> {
    const corpus = await this.env.CORPUS.getByName("main").snapshot();
    const previousRow = this.loadLatest();
    const previous = previousRow ? (JSON.parse(previousRow.body) as PublishedFit) : null;
    // Passage lengths for style control: by passage id, or by (prompt, contender) for older rows.
    const words = new Map(corpus.passages.map((p) => [p.id, p.words]));
    const wordsByPrompt = new Map(corpus.passages.map((p) => [`${p.prompt}\u0000${p.contender}`, p.words]));
    const lengthOf = (passage: string | null, prompt: string | null, contender: string) =>
      (passage ? words.get(passage) : undefined) ?? (prompt ? wordsByPrompt.get(`${prompt}\u0000${contender}`) : undefined) ?? null;
    const rows = this.sql.exec<{ rater: string; a: string; b: string; winner: FitVote["winner"]; prompt: string | null; passage_a: string | null; passage_b: string | null }>(
      "SELECT rater, a, b, winner, prompt, passage_a, passage_b FROM votes WHERE flagged = 0 ORDER BY seq",
    );
    const votes = (function* (): Generator<FitVote> {
      for (const v of rows) {
        yield { rater: v.rater, a: v.a, b: v.b, winner: v.winner, prompt: v.prompt, wordsA: lengthOf(v.passage_a, v.prompt, v.a), wordsB: lengthOf(v.passage_b, v.prompt, v.b) };
      }
    })();
    const { assignments, ...fit } = fitArena({
      contenders: corpus.contenders,
      genres: new Map(corpus.prompts.map((p) => [p.id, p.genre])),
      votes,
      previous,
    });
    const body = JSON.stringify(fit);
    const id = this.sql
      .exec<{ id: number }>("INSERT INTO fits (at, votes, body) VALUES (?, ?, ?) RETURNING id", Date.parse(fit.fitAt), fit.global.votes, body)
      .one().id;
    const model = JSON.stringify(tasteModel({ ...fit, id }));
    this.sql.exec("UPDATE fits SET model = ? WHERE id = ?", model, id);
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM assignments");
      for (const a of assignments) this.sql.exec("INSERT INTO assignments (rater, cluster, certainty) VALUES (?, ?, ?)", a.rater, a.cluster, a.certainty);
    });
    this.pruneFits();
    this.latest = { id, body, model };
    return { fitAt: fit.fitAt, votes: fit.global.votes, contenders: fit.contenders.length, seconds: fit.seconds, k: fit.taste.k };
  }

  /**
   * The last published fit as JSON text (with its id), or null before the first fit. A fit
   * published by an older version of the code is refitted first, so readers never see a stale shape.
   */
  async latestFit(): Promise<string | null> {
    const latest = await this.current();
    return latest ? `{"id":${latest.id},${latest.body.slice(1)}` : null;
  }

  /** The id of the last published fit (null before the first): cheap to poll. */
  async latestFitId(): Promise<number | null> {
    return (await this.current())?.id ?? null;
  }

  /** The compact taste model of the last fit (JSON), or null before the first fit. */
  async latestModel(): Promise<string | null> {
    return (await this.current())?.model ?? null;
  }

  private async current(): Promise<{ id: number; body: string; model: string | null } | null> {
    const latest = this.loadLatest();
    if (latest && (!latest.body.startsWith(`{"format":${FIT_FORMAT},`) || !latest.model)) {
      await this.refit();
      return this.loadLatest();
    }
    return latest;
  }

  /** A rater of the log placed under the last fit: their votes and posterior; null if unknown. */
  async raterView(rater: string): Promise<{ votes: number; posterior: RaterPosterior; fitId: number } | null> {
    const model = await this.latestModel();
    const votes = this.sql.exec<RaterVote & Record<string, SqlStorageValue>>("SELECT a, b, winner FROM votes WHERE rater = ? AND flagged = 0 ORDER BY seq", rater).toArray();
    if (votes.length === 0 || !model) return null;
    const parsed = JSON.parse(model) as ReturnType<typeof tasteModel>;
    return { votes: votes.length, posterior: raterPosterior(parsed, votes), fitId: parsed.fitId };
  }

  /**
   * Keeps the fit history bounded: the newest KEEP_RECENT_FITS fits, and before them the first
   * fit of each UTC day, so boards can still be plotted over months.
   */
  private pruneFits(): void {
    this.sql.exec(
      `DELETE FROM fits WHERE id < (SELECT min(id) FROM (SELECT id FROM fits ORDER BY id DESC LIMIT ?))
       AND id NOT IN (SELECT min(id) FROM fits GROUP BY at / 86400000)`,
      KEEP_RECENT_FITS,
    );
  }

  /** A page of the vote log after sequence number `after`, oldest first, with each rater's cluster. */
  exportPage(after: number, limit: number, sinceMs: number | null): ExportedVote[] {
    return this.sql
      .exec<ExportedVote & Record<string, SqlStorageValue>>(
        `SELECT v.seq, v.id, v.rater, v.prompt, v.a, v.b, v.winner, v.read_ms AS readMs, v.reasons, v.at, v.source, s.cluster, v.room, v.flagged
         FROM votes v LEFT JOIN assignments s ON s.rater = v.rater
         WHERE v.seq > ? AND v.at >= ? ORDER BY v.seq LIMIT ?`,
        after,
        sinceMs ?? 0,
        limit,
      )
      .toArray();
  }

  /** Summaries of published fits with ids below `before`, newest first. */
  listFits(before: number | null, limit: number): { id: number; body: string }[] {
    return this.sql
      .exec<{ id: number; body: string }>("SELECT id, body FROM fits WHERE id < ? ORDER BY id DESC LIMIT ?", before ?? Number.MAX_SAFE_INTEGER, limit)
      .toArray();
  }

  private loadLatest(): { id: number; body: string; model: string | null } | null {
    if (!this.latest) {
      const row = this.sql.exec<{ id: number; body: string; model: string | null }>("SELECT id, body, model FROM fits ORDER BY id DESC LIMIT 1").toArray()[0];
      if (!row) return null;
      this.latest = row;
    }
    return this.latest;
  }
}
