// `npm run chaos [-- --quick]`: crash the arena under a steady vote load and check nothing is lost.
// Many raters vote against a real `wrangler dev`; meanwhile workerd is killed with SIGKILL and
// restarted on the same state. At the end every acknowledged vote must be in the export exactly
// once and counted once in the next fit, and no refused vote anywhere. Votes whose answer was lost
// in the crash are retried with the same token (retries are idempotent), so every vote ends known.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startArena } from "../test/e2e/server.mjs";

const quick = process.argv.includes("--quick");
const RATERS = quick ? 8 : 24;
const VOTES_PER_RATER = quick ? 12 : 30;
const CRASHES = quick ? 1 : 2;
const state = mkdtempSync(join(tmpdir(), "palate-chaos-"));
// A short outbox delay (8 s, not 30): votes a crash took from the Worker's batch arrive by the
// outbox within the run, after the check right after each restart has counted them missing.
const vars = { RATE_LIMITS: "off", FAST_VOTE_WPM: "off", FIT_DEBOUNCE_MS: "500", OUTBOX_DELAY_MS: "8000" };

let arena = await startArena({ persistTo: state, vars });
let up = true;
/** Acknowledged votes missing from the log right after a restart, left to the outbox to deliver. */
let outboxOnly = 0;
const acknowledged = new Set();
const refused = new Set();
let retried = 0;

/** One rater's loop: duel, vote; on a lost answer, wait for the arena and resend the same token. */
async function rater() {
  let cookie = "";
  for (let n = 0; n < VOTES_PER_RATER; n++) {
    let duel;
    for (;;) {
      try {
        const res = await fetch(`${arena.url}/api/duel`, { headers: { cookie } });
        cookie = (res.headers.get("set-cookie") ?? cookie).split(";")[0];
        if (res.ok) {
          duel = await res.json();
          break;
        }
      } catch {}
      await waitUp();
    }
    const body = JSON.stringify({ token: duel.token, choice: n % 3 === 0 ? "b" : "a", readMs: 5000 });
    // Now and then a vote that must be refused: the token with its signature broken.
    if (n % 7 === 3) {
      try {
        const res = await fetch(`${arena.url}/api/votes`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ token: duel.token.slice(0, -3) + "AAA", choice: "a" }) });
        if (res.status >= 400 && res.status < 500) refused.add(`v-${duel.duelId.slice(2)}`);
        await res.arrayBuffer();
      } catch {}
      continue;
    }
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 30));
    for (;;) {
      try {
        const res = await fetch(`${arena.url}/api/votes`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body });
        if (res.status === 201 || res.status === 200) {
          acknowledged.add((await res.json()).voteId);
          break;
        }
        await res.arrayBuffer();
      } catch {
        retried++;
      }
      await waitUp();
    }
  }
  return cookie;
}

async function waitUp() {
  while (!up) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 20));
}

async function crashes() {
  const expected = RATERS * (VOTES_PER_RATER - Math.floor((VOTES_PER_RATER + 3) / 7));
  for (let i = 0; i < CRASHES; i++) {
    // Crash while votes are in flight: at one third of the load, then at two thirds.
    while (acknowledged.size < ((i + 1) * expected) / (CRASHES + 1)) await new Promise((r) => setTimeout(r, 10));
    up = false;
    arena.crash();
    const before = new Set(acknowledged);
    console.log(`chaos: killed workerd (crash ${i + 1}) with ${before.size} votes acknowledged`);
    await new Promise((r) => setTimeout(r, 300));
    arena = await startArena({ persistTo: state, vars });
    // Acknowledged votes the crash kept from the log (they were still in the Worker's batch) wait
    // in their raters' outboxes: count them now; the final check sees them arrive.
    const logged = new Set((await (await fetch(`${arena.url}/api/votes?limit=5000`)).json()).votes.map((v) => v.id));
    outboxOnly += [...before].filter((id) => !logged.has(id)).length;
    up = true;
    console.log(`chaos: restarted on the same state at ${arena.url}`);
  }
}

const [cookies] = await Promise.all([Promise.all(Array.from({ length: RATERS }, rater)), crashes()]);

// Touch every rater (a lost outbox alarm is re-armed on contact), then wait for the log to settle.
for (const cookie of cookies) await (await fetch(`${arena.url}/api/me`, { headers: { cookie } })).arrayBuffer();
let exported = [];
const deadline = Date.now() + 60_000;
while (Date.now() < deadline) {
  exported = (await (await fetch(`${arena.url}/api/votes?limit=5000`)).json()).votes;
  if (exported.length >= acknowledged.size) break;
  await new Promise((r) => setTimeout(r, 300));
}
const refit = await (await fetch(`${arena.url}/api/admin/refit`, { method: "POST", headers: { authorization: `Bearer ${arena.adminToken}` } })).json();
await arena.stop();
rmSync(state, { recursive: true, force: true });

const ids = exported.map((v) => v.id);
const problems = [];
const missing = [...acknowledged].filter((id) => !ids.includes(id));
if (missing.length) problems.push(`${missing.length} acknowledged vote(s) missing from the export`);
if (new Set(ids).size !== ids.length) problems.push("a vote appears twice in the export");
const stray = ids.filter((id) => !acknowledged.has(id));
if (stray.length) problems.push(`${stray.length} vote(s) in the export were never acknowledged`);
const leaked = ids.filter((id) => refused.has(id));
if (leaked.length) problems.push(`${leaked.length} refused vote(s) were counted`);
if (refit.votes !== acknowledged.size) problems.push(`the fit counts ${refit.votes} votes, not ${acknowledged.size}`);
console.log(
  `chaos: ${acknowledged.size} votes acknowledged, ${refused.size} refused, ${retried} answers lost in crashes and retried; ` +
    `${outboxOnly} acknowledged votes reached the log only through their raters' outboxes; export ${ids.length}, fit ${refit.votes}, ${CRASHES} crash(es)`,
);
if (problems.length) {
  console.error(`chaos: FAILED: ${problems.join("; ")}`);
  process.exit(1);
}
console.log("chaos: 1 passed, 0 failed");
