/**
 * HTTP benchmark: throughput and p50/p99 latency of `GET /api/duel`, `POST /api/votes` and
 * `GET /api/leaderboard` against a real `wrangler dev` on loopback, with autocannon, at 16 and 64
 * connections, each as a ratio to `GET /api/health` measured in the same run. Many raters: duels
 * rotate over 400 rater cookies; every vote uses a fresh token fetched beforehand. A floor for
 * votes is measured too: a POST whose whole work is one durable write in a (warm) Durable Object,
 * and beside it the same call with no write, which splits the floor into the call and the commit.
 * `npm run bench -- http [--seconds N] [--outbox-delay MS]`.
 */
import autocannon from "autocannon";
// @ts-expect-error: a plain ES module shared with the browser tests
import { startArena } from "../test/e2e/server.mjs";

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(opts: autocannon.Options): Promise<Run> {
  const result = await autocannon({ ...opts });
  return {
    // Requests over elapsed time (a run limited by `amount` ends inside its last second).
    rps: result.requests.total / Math.max(result.duration, 1e-3),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function cookies(base: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/api/me`);
    await res.arrayBuffer();
    out.push(res.headers.get("set-cookie")!.split(";")[0]!);
  }
  return out;
}

/** Fetches `n` duel tokens spread over the raters, 32 at a time. */
async function tokens(base: string, jar: string[], n: number): Promise<{ cookie: string; token: string }[]> {
  const out: { cookie: string; token: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < n) {
        const i = next++;
        const cookie = jar[i % jar.length]!;
        const duel = (await (await fetch(`${base}/api/duel`, { headers: { cookie } })).json()) as { token: string };
        out.push({ cookie, token: duel.token });
      }
    }),
  );
  return out;
}

/**
 * Runs the HTTP benchmark and prints a table. `outboxDelayMs` is the raters' outbox delay: at the
 * default 300000 (as deployed) the checks fall outside every timed run, as a rater's session pays
 * for one; at 3000 each rater's check runs inside the vote runs and is counted in them (about one
 * check per four votes, a stress case).
 */
export async function benchHttp(seconds = 5, outboxDelayMs = 300_000): Promise<void> {
  // Waits out the outbox checks a vote run armed, unless they fall beyond the benchmark anyway.
  const settle = () => new Promise((r) => setTimeout(r, outboxDelayMs <= 10_000 ? outboxDelayMs + 1000 : 0));
  const arena = await startArena({
    vars: { RATE_LIMITS: "off", FAST_VOTE_WPM: "off", FIT_DEBOUNCE_MS: "600000", BENCH_ROUTES: "on", OUTBOX_DELAY_MS: String(outboxDelayMs) },
  });
  try {
    const base: string = arena.url;
    const jar = await cookies(base, 400);
    // A published fit, so the leaderboard and reveals read real data.
    for (const { cookie, token } of await tokens(base, jar, 400)) {
      await (await fetch(`${base}/api/votes`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ token, choice: "a" }) })).arrayBuffer();
    }
    // Their outbox checks run before anything is timed.
    await settle();
    await fetch(`${base}/api/admin/refit`, { method: "POST", headers: { authorization: `Bearer ${arena.adminToken}` } });
    // The floor's 400 objects, created before they are timed.
    for (let i = 0; i < 400; i++) await (await fetch(`${base}/api/bench/write/w${i}`, { method: "POST" })).arrayBuffer();
    const rows: string[] = [];
    for (const connections of [16, 64]) {
      const common = { connections, duration: seconds };
      const health = await load({ ...common, url: `${base}/api/health` });
      const board = await load({ ...common, url: `${base}/api/leaderboard` });
      let w = 0;
      const floor = await load({ ...common, url: base, requests: [{ method: "POST", setupRequest: (req) => ({ ...req, path: `/api/bench/write/w${w++ % 400}` }) }] });
      const call = await load({ ...common, url: base, requests: [{ method: "POST", setupRequest: (req) => ({ ...req, path: `/api/bench/call/w${w++ % 400}` }) }] });
      let d = 0;
      const duel = await load({
        ...common,
        url: base,
        requests: [{ method: "GET", path: "/api/duel", setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: jar[d++ % jar.length]! } }) }],
      });
      // Enough fresh tokens for the vote run (a used token would be a cheap idempotent replay).
      const supply = await tokens(base, jar, Math.ceil(Math.max(1000, duel.rps * 1.2) * seconds));
      let v = 0;
      const vote = await load({
        ...common,
        url: base,
        amount: supply.length,
        requests: [
          {
            method: "POST",
            path: "/api/votes",
            setupRequest: (req) => {
              const t = supply[v++ % supply.length]!;
              return { ...req, headers: { ...req.headers, cookie: t.cookie, "content-type": "application/json" }, body: JSON.stringify({ token: t.token, choice: "a", readMs: 9000 }) };
            },
          },
        ],
      });
      // The last outbox checks of this run finish before anything else is timed.
      await settle();
      const row = (name: string, r: Run) =>
        `| ${name} | ${connections} | ${Math.round(r.rps).toLocaleString("en")} | ${r.p50} ms | ${r.p99} ms | ${(r.rps / health.rps).toFixed(2)} | ${r.errors} |`;
      rows.push(
        row("GET /api/health (baseline)", health),
        row("POST a call into an object, no write", call),
        row("POST one durable write (floor for votes)", floor),
        row("GET /api/duel", duel),
        row("POST /api/votes", vote),
        row("GET /api/leaderboard", board),
      );
    }
    console.log("\n### HTTP on wrangler dev (loopback, autocannon)\n");
    console.log("| route | connections | requests/s | p50 | p99 | × health | errors |");
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    for (const r of rows) console.log(r);
  } finally {
    await arena.stop();
  }
}
