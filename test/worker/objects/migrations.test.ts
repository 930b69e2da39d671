// A Rater stored under the old schema (a separate outbox table) upgrades in place: votes still
// waiting are still waiting, delivered ones stay delivered, and every vote keeps its passages.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { raterMigrations } from "../../../schema/migrations/rater.js";
import { migrate } from "../../../worker/objects/migrate.js";

/** The migrations before the outbox folded into the votes table. */
const BEFORE_FOLD = 3;

describe("the rater's outbox migration", () => {
  it("keeps waiting votes waiting and sent votes sent", async () => {
    // A database with no rater tables: the benchmarks' Echo object keeps only its own.
    const stub = env.ECHO.getByName("migration-test");
    const rows = await runInDurableObject(stub, (_: unknown, state: DurableObjectState) => {
      const sql = state.storage.sql;
      migrate(sql, raterMigrations.slice(0, BEFORE_FOLD));
      for (const [duel, vote] of [["d-1", "v-1"], ["d-2", "v-2"], ["d-3", "v-3"]]) {
        sql.exec("INSERT INTO duels (id, prompt, passage_a, passage_b, contender_a, contender_b, issued_at, vote_id) VALUES (?, 'p', ?, ?, 'x', 'y', 1, ?)", duel, `${duel}-a`, `${duel}-b`, vote);
        sql.exec("INSERT INTO votes (id, duel, prompt, contender_a, contender_b, choice, reasons, at) VALUES (?, ?, 'p', 'x', 'y', 'a', '[]', 2)", vote, duel);
      }
      sql.exec("INSERT INTO outbox (vote_id) VALUES ('v-2'), ('v-3')");
      migrate(sql, raterMigrations);
      return sql.exec<{ id: string; sent: number; passage_a: string; passage_b: string }>("SELECT id, sent, passage_a, passage_b FROM votes ORDER BY id").toArray();
    });
    expect(rows).toEqual([
      { id: "v-1", sent: 1, passage_a: "d-1-a", passage_b: "d-1-b" },
      { id: "v-2", sent: 0, passage_a: "d-2-a", passage_b: "d-2-b" },
      { id: "v-3", sent: 0, passage_a: "d-3-a", passage_b: "d-3-b" },
    ]);
  });
});
