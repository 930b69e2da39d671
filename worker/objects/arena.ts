/**
 * Arena: the vote log and the published fits. Votes arrive from Rater outboxes (at-least-once,
 * deduplicated here by vote id); a debounced alarm refits and publishes, and every read is served
 * from the last published fit. Nothing on the per-vote path waits for this object.
 */
import { DurableObject } from "cloudflare:workers";
import type { PublishedFit } from "../../schema/fit.js";
import { arenaMigrations } from "../../schema/migrations/arena.js";
import type { Env } from "../env.js";
import { type RaterPosterior, type RaterVote, raterPosterior } from "../ratings/posterior.js";
import { type FitVote, fitArena, tasteModel } from "../ratings/publish.js";
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

export class Arena extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private latest: { id: number; body: string; model: string | null } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(this.sql, arenaMigrations));
  }

  /** Alarm: a debounced refit after new votes. A throw is retried by the runtime. */
  async alarm(): Promise<void> {
    await this.refit();
  }

  /** Appends votes to the log, ignoring ids it already holds; answers how many were new. */
  async ingest(votes: LoggedVote[]): Promise<number> {
    let added = 0;
    this.ctx.storage.transactionSync(() => {
      for (const v of votes) {
        // RETURNING yields a row only for a vote that was new (rowsWritten counts index probes too).
        added += this.sql.exec(
          `INSERT INTO votes (id, rater, prompt, a, b, winner, read_ms, reasons, at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO NOTHING RETURNING seq`,
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
        ).toArray().length;
      }
    });
    if (added > 0 && (await this.ctx.storage.getAlarm()) === null) {
      const debounce = Number(this.env.FIT_DEBOUNCE_MS ?? DEFAULT_DEBOUNCE_MS);
      await this.ctx.storage.setAlarm(Date.now() + (Number.isFinite(debounce) ? debounce : DEFAULT_DEBOUNCE_MS));
    }
    return added;
  }

  /** Number of votes in the log. */
  voteCount(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM votes").one().n;
  }

  /** Fits the whole log now and publishes the result. Deterministic for the same log. */
  async refit(): Promise<FitSummary> {
    const corpus = await this.env.CORPUS.getByName("main").snapshot();
    const previousText = this.latestFit();
    const previous = previousText ? (JSON.parse(previousText) as PublishedFit) : null;
    const votes = this.sql.exec<FitVote & Record<string, SqlStorageValue>>("SELECT rater, a, b, winner, prompt FROM votes ORDER BY seq");
    const fit = fitArena({
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
    this.latest = { id, body, model };
    return { fitAt: fit.fitAt, votes: fit.global.votes, contenders: fit.contenders.length, seconds: fit.seconds, k: fit.taste.k };
  }

  /** The last published fit as JSON text (with its id), or null before the first fit. */
  latestFit(): string | null {
    const latest = this.loadLatest();
    return latest ? `{"id":${latest.id},${latest.body.slice(1)}` : null;
  }

  /** The compact taste model of the last fit (JSON), or null before the first fit. */
  latestModel(): string | null {
    return this.loadLatest()?.model ?? null;
  }

  /** A rater of the log placed under the last fit: their votes and posterior; null if unknown. */
  raterView(rater: string): { votes: number; posterior: RaterPosterior; fitId: number } | null {
    const model = this.latestModel();
    const votes = this.sql.exec<RaterVote & Record<string, SqlStorageValue>>("SELECT a, b, winner FROM votes WHERE rater = ? ORDER BY seq", rater).toArray();
    if (votes.length === 0 || !model) return null;
    const parsed = JSON.parse(model) as ReturnType<typeof tasteModel>;
    return { votes: votes.length, posterior: raterPosterior(parsed, votes), fitId: parsed.fitId };
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
