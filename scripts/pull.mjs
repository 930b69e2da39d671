// `npm run pull -- --out votes.jsonl [--url http://localhost:8787] [--since ISO] [--limit 5000]`:
// downloads the anonymised vote log as JSON lines, page by page, appending to --out. The cursor of
// the last page written is kept in <out>.cursor, so a second run resumes where the first stopped
// (and picks up votes cast since).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const base = option("--url", process.env.PALATE_URL ?? "http://localhost:8787").replace(/\/+$/, "");
const out = option("--out", "votes.jsonl");
const since = option("--since");
const limit = option("--limit", "5000");
const cursorFile = `${out}.cursor`;

let cursor = existsSync(cursorFile) ? readFileSync(cursorFile, "utf8").trim() || null : null;
let url = new URL(`${base}/api/votes`);
url.searchParams.set("format", "jsonl");
url.searchParams.set("limit", limit);
if (since) url.searchParams.set("since", since);
if (cursor) url.searchParams.set("cursor", cursor);

let pages = 0;
let rows = 0;
for (;;) {
  const response = await fetch(url);
  if (!response.ok) {
    console.error(`GET ${url}: ${response.status} ${await response.text()}`);
    process.exit(1);
  }
  const text = await response.text();
  const lines = text.split("\n").filter(Boolean);
  if (lines.length > 0) appendFileSync(out, lines.join("\n") + "\n");
  // Written after the rows: a crash between the two re-fetches a page rather than losing one.
  cursor = response.headers.get("x-resume-cursor") ?? cursor;
  if (cursor) writeFileSync(cursorFile, cursor);
  pages++;
  rows += lines.length;
  const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "");
  if (!link) break;
  url = new URL(link[1]);
}
console.log(`${rows} votes in ${pages} page(s) appended to ${out}; resume cursor in ${cursorFile}`);
