// `npm run import -- file.ndjson [--url http://localhost:8787] [--token ADMIN_TOKEN]`:
// streams an NDJSON file to POST /api/admin/import and prints the answer. The token defaults to
// $ADMIN_TOKEN, then to ADMIN_TOKEN in .dev.vars.
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { Readable } from "node:stream";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const url = option("--url") ?? process.env.PALATE_URL ?? "http://localhost:8787";
const token =
  option("--token") ??
  process.env.ADMIN_TOKEN ??
  (existsSync(".dev.vars") ? /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1]?.trim() : undefined);
const file = args[0];
if (!file || !existsSync(file)) {
  console.error("usage: npm run import -- file.ndjson [--url URL] [--token ADMIN_TOKEN]");
  process.exit(2);
}
if (!token) {
  console.error("no admin token: pass --token, set ADMIN_TOKEN, or create .dev.vars");
  process.exit(2);
}
const response = await fetch(`${url}/api/admin/import`, {
  method: "POST",
  headers: {
    authorization: `Bearer ${token}`,
    "content-type": "application/x-ndjson",
    "content-length": String(statSync(file).size),
  },
  body: Readable.toWeb(createReadStream(file)),
  duplex: "half",
});
const text = await response.text();
console.log(text);
if (!response.ok) process.exit(1);
const { rejectedCount } = JSON.parse(text);
if (rejectedCount > 0) console.error(`${rejectedCount} line(s) rejected; the rest were applied`);
process.exit(rejectedCount > 0 ? 1 : 0);
