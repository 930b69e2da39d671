// A Rater stored under an older schema upgrades in place: votes still waiting for the Arena are
// still waiting, delivered ones stay delivered, every vote keeps its passages, the personal board
// stays as it was, and a vote afterwards writes only its row and key.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { raterMigrations } from "../../../schema/migrations/rater.js";
import { migrate } from "../../../worker/objects/migrate.js";

/** The migrations before the outbox folded into the votes table. */
const BEFORE_FOLD = 3;

/** Runs `body` on the SQLite database of a fresh object with no rater tables (the bench's Echo keeps only its own). */
function withDatabase<T>(name: string, body: (sql: SqlStorage) => T): Promise<T> {
  return runInDurableObject(env.ECHO.getByName(name), (_: unknown, state: DurableObjectState) => body(state.storage.sql));
}

/** What the outbox will still send, and what the board checkpoint covers, under the latest schema. */
function outboxAndBoard(sql: SqlStorage) {
  const sent = sql.exec<{ through: number }>("SELECT through FROM marks WHERE name = 'sent'").one().through;
  return {
    waiting: sql.exec<{ id: string }>("SELECT id FROM votes WHERE rowid > ? ORDER BY rowid", sent).toArray().map((r) => r.id),
    passages: sql.exec<{ id: string; passage_a: string; passage_b: string }>("SELECT id, passage_a, passage_b FROM votes ORDER BY rowid").toArray(),
    boardThrough: sql.exec<{ through: number }>("SELECT through FROM marks WHERE name = 'board'").one().through,
    ratings: sql.exec("SELECT contender, mu, votes FROM ratings ORDER BY contender").toArray(),
    indexes: sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'votes'").toArray().length,
  };
}

/** Three voted duels under the first schema's tables. */
function threeVotes(sql: SqlStorage): void {
  for (const [duel, vote] of [["d-1", "v-1"], ["d-2", "v-2"], ["d-3", "v-3"]]) {
    sql.exec("INSERT INTO duels (id, prompt, passage_a, passage_b, contender_a, contender_b, issued_at, vote_id) VALUES (?, 'p', ?, ?, 'x', 'y', 1, ?)", duel, `${duel}-a`, `${duel}-b`, vote);
    sql.exec("INSERT INTO votes (id, duel, prompt, contender_a, contender_b, choice, reasons, at) VALUES (?, ?, 'p', 'x', 'y', 'a', '[]', 2)", vote, duel);
  }
  sql.exec("INSERT INTO ratings (contender, mu, sigma, votes, wins, ties, both_bad) VALUES ('x', 0.5, 0.9, 3, 3, 0, 0), ('y', -0.5, 0.9, 3, 0, 0, 0)");
}

describe("the rater's migrations", () => {
  it("keep waiting votes waiting and sent votes sent, from a separate outbox table", async () => {
    const after = await withDatabase("migration-outbox-table", (sql) => {
      migrate(sql, raterMigrations.slice(0, BEFORE_FOLD));
      threeVotes(sql);
      sql.exec("INSERT INTO outbox (vote_id) VALUES ('v-2'), ('v-3')");
      migrate(sql, raterMigrations);
      return outboxAndBoard(sql);
    });
    expect(after.waiting).toEqual(["v-2", "v-3"]);
    expect(after.passages).toEqual([1, 2, 3].map((i) => ({ id: `v-${i}`, passage_a: `d-${i}-a`, passage_b: `d-${i}-b` })));
    // The stored board already holds all three votes: none is replayed onto it twice.
    expect(after.boardThrough).toBe(3);
    expect(after.ratings).toEqual([
      { contender: "x", mu: 0.5, votes: 3 },
      { contender: "y", mu: -0.5, votes: 3 },
    ]);
    expect(after.indexes).toBe(1);
  });

  it("keep them from per-vote sent marks, resending rather than losing any out of order", async () => {
    const after = await withDatabase("migration-sent-marks", (sql) => {
      migrate(sql, raterMigrations.slice(0, BEFORE_FOLD + 1));
      threeVotes(sql);
      sql.exec("UPDATE votes SET sent = CASE id WHEN 'v-2' THEN 0 ELSE 1 END");
      migrate(sql, raterMigrations);
      return outboxAndBoard(sql);
    });
    // v-3 was sent but follows a waiting vote: sent again, which the Arena ignores.
    expect(after.waiting).toEqual(["v-2", "v-3"]);
    expect(after.boardThrough).toBe(3);
  });
});
