// Open data end to end: votes cast in one arena are pulled with `npm run pull` (resuming from its
// cursor), re-imported into a fresh arena, and refit there into the identical fit.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startArena } from "./server.mjs";

let a;
let b;
const work = mkdtempSync(join(tmpdir(), "palate-pull-"));
const out = join(work, "votes.jsonl");

before(async () => {
  [a, b] = await Promise.all([startArena(), startArena()]);
});

after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

/** One browser-less rater: keeps its cookie, votes on `n` duels. */
async function vote(url, n, choose) {
  let cookie = "";
  for (let i = 0; i < n; i++) {
    const duel = await fetch(`${url}/api/duel`, { headers: { cookie } });
    cookie = (duel.headers.get("set-cookie") ?? cookie).split(";")[0];
    const { token } = await duel.json();
    const res = await fetch(`${url}/api/votes`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ token, choice: choose(i), readMs: 9000 }),
    });
    assert.equal(res.status, 201);
  }
}

async function exported(url) {
  const res = await fetch(`${url}/api/votes?limit=5000`);
  return (await res.json()).votes;
}

async function until(check, what) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const pull = () => execFileSync(process.execPath, ["scripts/pull.mjs", "--url", a.url, "--out", out, "--limit", "7"], { encoding: "utf8" });
const lines = () => readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));

test("pull resumes from its cursor, and a re-import refits to the identical fit", async () => {
  const choices = ["a", "b", "tie", "both_bad", "a", "a", "b"];
  for (let r = 0; r < 6; r++) await vote(a.url, 8, (i) => choices[(i + r) % choices.length]);
  await until(async () => (await exported(a.url)).length === 48, "48 votes in arena A's log");

  pull();
  assert.equal(lines().length, 48);
  pull(); // nothing new: nothing appended
  assert.equal(lines().length, 48);
  await vote(a.url, 3, () => "b");
  await until(async () => (await exported(a.url)).length === 51, "51 votes");
  pull();
  const rows = lines();
  assert.equal(rows.length, 51);
  assert.equal(new Set(rows.map((r) => r.id)).size, 51, "no vote pulled twice");

  // Into a fresh arena, as vote lines from "elsewhere".
  const ndjson = rows.map((v) => JSON.stringify({ kind: "vote", id: v.id, rater: v.rater, a: v.a, b: v.b, winner: v.winner, prompt: v.prompt, at: v.at })).join("\n");
  const imported = await fetch(`${b.url}/api/admin/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${b.adminToken}`, "content-type": "application/x-ndjson" },
    body: ndjson,
  });
  assert.deepEqual((await imported.json()).accepted.vote, 51);

  for (const arena of [a, b]) {
    const res = await fetch(`${arena.url}/api/admin/refit`, { method: "POST", headers: { authorization: `Bearer ${arena.adminToken}` } });
    assert.equal(res.status, 200);
  }
  const [fitA, fitB] = await Promise.all([a, b].map(async (arena) => (await fetch(`${arena.url}/api/fits/latest`)).json()));
  for (const key of ["contenders", "theta", "eta", "global", "genres", "pairs", "length"]) {
    if (key === "length") {
      assert.deepEqual(fitB.length.global, fitA.length.global, key);
    } else assert.deepEqual(fitB[key], fitA[key], key);
  }
  const strip = (taste) => ({ ...taste, nextClusterNumber: 0, clusters: taste.clusters.map(({ id, ...rest }) => rest), map: { ...taste.map, points: taste.map.points.map(({ cluster, ...p }) => p) } });
  assert.deepEqual(strip(fitB.taste), strip(fitA.taste));
});
