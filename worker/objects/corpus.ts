/**
 * Corpus: the one Durable Object that keeps prompts, contenders and passages. Read-mostly: the
 * Worker caches its snapshot by `version`, which changes whenever an import changes anything.
 */
import { DurableObject } from "cloudflare:workers";
import type { ContenderLine, CorpusSnapshot, ImportLine, PassageLine, PromptLine } from "../../schema/corpus.js";
import { corpusMigrations } from "../../schema/migrations/corpus.js";
import { demoCorpusLines } from "../corpus/demo.js";
import type { DuelIndex } from "../corpus/duels.js";
import { countWords, identityLeak } from "../corpus/words.js";
import type { Env } from "../env.js";
import { migrate } from "./migrate.js";

/** What one import batch did: accepted counts by kind, and numbered rejections. */
export interface UpsertResult {
  prompt: number;
  contender: number;
  passage: number;
  rejected: { line: number; reason: string }[];
}

export class Corpus extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private version = 0;
  private snapshotMemo: CorpusSnapshot | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Schema and demo seed happen before any call is served, so nobody sees a half-made corpus.
    ctx.blockConcurrencyWhile(async () => {
      migrate(this.sql, corpusMigrations);
      this.version = Number(this.meta("version") ?? "0");
      if (env.DEMO_CORPUS !== "off" && this.meta("seeded") === null && this.count("prompts") === 0) {
        const lines = demoCorpusLines().map((line, i) => ({ line: i + 1, value: line }));
        const result = this.upsert(lines);
        if (result.rejected.length) console.warn("demo corpus rejections", result.rejected);
        this.setMeta("seeded", new Date().toISOString());
      }
    });
  }

  /** The current version; changes whenever the corpus does. */
  getVersion(): number {
    return this.version;
  }

  /** Everything, for the Worker's cache (passages with text, voided ones left out). */
  snapshot(): CorpusSnapshot {
    if (this.snapshotMemo?.version === this.version) return this.snapshotMemo;
    const prompts = this.sql.exec<{ id: string; text: string; genre: string }>("SELECT id, text, genre FROM prompts ORDER BY id").toArray();
    const contenders = this.sql
      .exec<{ id: string; model: string; persona: string; persona_prompt: string | null }>(
        "SELECT id, model, persona, persona_prompt FROM contenders ORDER BY id",
      )
      .toArray()
      .map((c) => ({ id: c.id, model: c.model, persona: c.persona, personaPrompt: c.persona_prompt }));
    const passages = this.sql
      .exec<{ id: string; prompt: string; contender: string; text: string; words: number; origin: string }>(
        "SELECT id, prompt, contender, text, words, origin FROM passages WHERE voided IS NULL ORDER BY id",
      )
      .toArray()
      .map((p) => ({ ...p, origin: p.origin as "generated" | "imported" | "demo", voided: null }));
    this.snapshotMemo = { version: this.version, prompts, contenders, passages };
    return this.snapshotMemo;
  }

  /** The compact index duel selection needs (no passage text). */
  duelIndex(): DuelIndex {
    const snap = this.snapshot();
    const byPrompt = new Map(snap.prompts.map((p) => [p.id, { id: p.id, genre: p.genre, passages: [] as { id: string; contender: string }[] }]));
    for (const p of snap.passages) byPrompt.get(p.prompt)?.passages.push({ id: p.id, contender: p.contender });
    return { version: snap.version, prompts: [...byPrompt.values()] };
  }

  /**
   * Inserts or updates prompt, contender and passage lines, idempotent by id. Lines are applied
   * in order, so a passage may follow its prompt and contender in the same batch.
   */
  upsert(lines: { line: number; value: ImportLine }[]): UpsertResult {
    const result: UpsertResult = { prompt: 0, contender: 0, passage: 0, rejected: [] };
    let changed = false;
    this.ctx.storage.transactionSync(() => {
      for (const { line, value } of lines) {
        const outcome = this.apply(value);
        if (typeof outcome === "string") result.rejected.push({ line, reason: outcome });
        else {
          if (value.kind !== "vote") result[value.kind]++;
          changed ||= outcome.changed;
        }
      }
      if (changed) {
        this.version++;
        this.setMeta("version", String(this.version));
      }
    });
    return result;
  }

  /** Applies one line; a string is the reason it was refused. */
  private apply(line: ImportLine): { changed: boolean } | string {
    switch (line.kind) {
      case "prompt":
        return this.putPrompt(line);
      case "contender":
        return this.putContender(line);
      case "passage":
        return this.putPassage(line);
      case "vote":
        return "vote lines are not handled by the corpus";
    }
  }

  private putPrompt(p: PromptLine): { changed: boolean } {
    const changed = this.sql.exec(
      `INSERT INTO prompts (id, text, genre) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET text = excluded.text, genre = excluded.genre
       WHERE text IS NOT excluded.text OR genre IS NOT excluded.genre`,
      p.id,
      p.text,
      p.genre,
    ).rowsWritten;
    return { changed: changed > 0 };
  }

  private putContender(c: ContenderLine): { changed: boolean } {
    const changed = this.sql.exec(
      `INSERT INTO contenders (id, model, persona, persona_prompt) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET model = excluded.model, persona = excluded.persona, persona_prompt = excluded.persona_prompt
       WHERE model IS NOT excluded.model OR persona IS NOT excluded.persona OR persona_prompt IS NOT excluded.persona_prompt`,
      c.id,
      c.model,
      c.persona,
      c.personaPrompt ?? null,
    ).rowsWritten;
    return { changed: changed > 0 };
  }

  private putPassage(p: PassageLine): { changed: boolean } | string {
    if (this.count("prompts", p.prompt) === 0) return `unknown prompt "${p.prompt}"`;
    const contender = this.sql
      .exec<{ model: string; persona: string }>("SELECT model, persona FROM contenders WHERE id = ?", p.contender)
      .toArray()[0];
    if (!contender) return `unknown contender "${p.contender}"`;
    const existing = this.sql.exec<{ prompt: string; contender: string }>("SELECT prompt, contender FROM passages WHERE id = ?", p.id).toArray()[0];
    if (existing && (existing.prompt !== p.prompt || existing.contender !== p.contender)) {
      return `passage "${p.id}" already exists for another prompt or contender`;
    }
    // Voided passages are kept (so a corrected re-import replaces them) but never served.
    const leak = identityLeak(p.text, contender.model, contender.persona) ?? idLeak(p.id, contender);
    const changed = this.sql.exec(
      `INSERT INTO passages (id, prompt, contender, text, words, origin, voided) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET text = excluded.text, words = excluded.words, origin = excluded.origin, voided = excluded.voided
       WHERE text IS NOT excluded.text OR origin IS NOT excluded.origin OR voided IS NOT excluded.voided`,
      p.id,
      p.prompt,
      p.contender,
      p.text,
      countWords(p.text),
      p.origin ?? "imported",
      leak,
    ).rowsWritten;
    if (leak) return `identity leak: ${leak}; kept out of duels`;
    return { changed: changed > 0 };
  }

  private count(table: "prompts" | "passages", id?: string): number {
    const where = id === undefined ? "" : " WHERE id = ?";
    const args = id === undefined ? [] : [id];
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}${where}`, ...args).one().n;
  }

  private meta(key: string): string | null {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }
}

/** Passage ids are shown to raters, so one that spells out its author is a leak too. */
function idLeak(id: string, c: { model: string; persona: string }): string | null {
  const leak = identityLeak(id.replace(/[._:/-]+/g, " "), c.model, c.persona);
  return leak ? `the passage id ${leak.replace("passage ", "")}` : null;
}
