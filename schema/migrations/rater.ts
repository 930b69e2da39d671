/** SQL migrations of a Rater object (one rater's duels, votes, outbox mark and personal board checkpoint). Append only. */
export const raterMigrations: readonly string[] = [
  `CREATE TABLE duels (
     id TEXT PRIMARY KEY,
     prompt TEXT NOT NULL,
     passage_a TEXT NOT NULL, passage_b TEXT NOT NULL,
     contender_a TEXT NOT NULL, contender_b TEXT NOT NULL,
     issued_at INTEGER NOT NULL,
     vote_id TEXT
   );
   CREATE TABLE seen (passage TEXT PRIMARY KEY, at INTEGER NOT NULL);
   CREATE TABLE votes (
     id TEXT PRIMARY KEY,
     duel TEXT NOT NULL UNIQUE,
     prompt TEXT NOT NULL,
     contender_a TEXT NOT NULL, contender_b TEXT NOT NULL,
     choice TEXT NOT NULL,
     read_ms INTEGER,
     reasons TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE TABLE outbox (vote_id TEXT PRIMARY KEY);
   CREATE TABLE ratings (
     contender TEXT PRIMARY KEY,
     mu REAL NOT NULL, sigma REAL NOT NULL,
     votes INTEGER NOT NULL, wins REAL NOT NULL, ties INTEGER NOT NULL, both_bad INTEGER NOT NULL
   );`,
  `ALTER TABLE votes ADD COLUMN room TEXT;`,
  `ALTER TABLE votes ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;`,
  // The outbox folds into the votes table: a vote row carries everything the Arena needs and a
  // \`sent\` mark, so casting a vote is one insert and a flush is one read and one update.
  `ALTER TABLE votes ADD COLUMN passage_a TEXT;
   ALTER TABLE votes ADD COLUMN passage_b TEXT;
   ALTER TABLE votes ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;
   UPDATE votes SET passage_a = (SELECT passage_a FROM duels WHERE duels.id = votes.duel),
                    passage_b = (SELECT passage_b FROM duels WHERE duels.id = votes.duel);
   UPDATE votes SET sent = 1 WHERE id NOT IN (SELECT vote_id FROM outbox);
   DROP TABLE outbox;
   CREATE INDEX votes_unsent ON votes(sent) WHERE sent = 0;`,
  // A vote writes one row and its id's index entry, nothing else (a billed row each on Cloudflare):
  // the vote id comes from the duel's, so its key is also the one-vote-per-duel rule and the
  // duel's own unique index goes; the outbox's per-row mark and index give way to a mark of the
  // last rowid sent; the personal board becomes a checkpoint up to a rowid, replayed forward from
  // the votes, which keep where their two contenders would start on the board.
  `CREATE TABLE votes_v5 (
     id TEXT PRIMARY KEY,
     duel TEXT NOT NULL,
     prompt TEXT NOT NULL,
     contender_a TEXT NOT NULL, contender_b TEXT NOT NULL,
     choice TEXT NOT NULL,
     read_ms INTEGER,
     reasons TEXT NOT NULL,
     at INTEGER NOT NULL,
     room TEXT,
     flagged INTEGER NOT NULL DEFAULT 0,
     passage_a TEXT, passage_b TEXT,
     prior_a REAL, prior_b REAL, prior_sigma REAL
   );
   INSERT INTO votes_v5 (rowid, id, duel, prompt, contender_a, contender_b, choice, read_ms, reasons, at, room, flagged, passage_a, passage_b)
     SELECT rowid, id, duel, prompt, contender_a, contender_b, choice, read_ms, reasons, at, room, flagged, passage_a, passage_b FROM votes;
   CREATE TABLE marks (name TEXT PRIMARY KEY, through INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO marks (name, through) VALUES
     ('sent', coalesce((SELECT min(rowid) FROM votes WHERE sent = 0) - 1, (SELECT max(rowid) FROM votes), 0)),
     ('board', coalesce((SELECT max(rowid) FROM votes), 0));
   DROP TABLE votes;
   ALTER TABLE votes_v5 RENAME TO votes;`,
];
