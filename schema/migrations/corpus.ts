/** SQL migrations of the Corpus object (prompts, contenders, passages). Append only. */
export const corpusMigrations: readonly string[] = [
  `CREATE TABLE prompts (id TEXT PRIMARY KEY, text TEXT NOT NULL, genre TEXT NOT NULL);
   CREATE TABLE contenders (id TEXT PRIMARY KEY, model TEXT NOT NULL, persona TEXT NOT NULL, persona_prompt TEXT);
   CREATE TABLE passages (
     id TEXT PRIMARY KEY,
     prompt TEXT NOT NULL REFERENCES prompts(id),
     contender TEXT NOT NULL REFERENCES contenders(id),
     text TEXT NOT NULL,
     words INTEGER NOT NULL,
     origin TEXT NOT NULL,
     voided TEXT
   );
   CREATE INDEX passages_by_prompt ON passages(prompt);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];
