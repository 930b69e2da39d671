/** SQL migrations of the Arena object (the vote log and published fits). Append only. */
export const arenaMigrations: readonly string[] = [
  `CREATE TABLE votes (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     rater TEXT NOT NULL,
     prompt TEXT,
     a TEXT NOT NULL, b TEXT NOT NULL,
     winner TEXT NOT NULL,
     read_ms INTEGER,
     reasons TEXT NOT NULL DEFAULT '[]',
     at INTEGER NOT NULL,
     source TEXT NOT NULL DEFAULT 'arena'
   );
   CREATE TABLE fits (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, votes INTEGER NOT NULL, body TEXT NOT NULL);`,
  `ALTER TABLE fits ADD COLUMN model TEXT;
   CREATE INDEX votes_by_rater ON votes(rater, seq);`,
  `ALTER TABLE votes ADD COLUMN passage_a TEXT;
   ALTER TABLE votes ADD COLUMN passage_b TEXT;
   CREATE TABLE assignments (rater TEXT PRIMARY KEY, cluster TEXT, certainty REAL NOT NULL);`,
  `ALTER TABLE votes ADD COLUMN room TEXT;`,
  `ALTER TABLE votes ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;`,
];
