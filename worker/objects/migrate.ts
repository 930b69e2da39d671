/** Applies a Durable Object's append-only SQL migrations once each, in order. */

/** Runs the migrations not yet applied to this object's SQLite database. */
export function migrate(sql: SqlStorage, migrations: readonly string[]): void {
  sql.exec("CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, at INTEGER NOT NULL)");
  const applied = sql.exec<{ v: number | null }>("SELECT max(version) AS v FROM _migrations").one().v ?? 0;
  for (let v = applied; v < migrations.length; v++) {
    sql.exec(migrations[v]!);
    sql.exec("INSERT INTO _migrations (version, at) VALUES (?, ?)", v + 1, Date.now());
  }
}
