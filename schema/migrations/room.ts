/** SQL migrations of a Room object (one live room: config, seats, duels, picks). Append only. */
export const roomMigrations: readonly string[] = [
  `CREATE TABLE room (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     code TEXT NOT NULL, host TEXT NOT NULL,
     genre TEXT, duels INTEGER NOT NULL, timer INTEGER,
     phase TEXT NOT NULL, round INTEGER NOT NULL,
     deadline INTEGER, created_at INTEGER NOT NULL, active_at INTEGER NOT NULL,
     results TEXT
   );
   CREATE TABLE players (seat INTEGER PRIMARY KEY, rater TEXT NOT NULL UNIQUE, name TEXT NOT NULL, joined_at INTEGER NOT NULL);
   CREATE TABLE rounds (
     round INTEGER PRIMARY KEY, prompt TEXT NOT NULL,
     passage_a TEXT NOT NULL, passage_b TEXT NOT NULL, contender_a TEXT NOT NULL, contender_b TEXT NOT NULL
   );
   CREATE TABLE picks (round INTEGER NOT NULL, seat INTEGER NOT NULL, choice TEXT NOT NULL, vote_id TEXT NOT NULL, PRIMARY KEY (round, seat));`,
];
