import autocannon from "autocannon";
import { readFileSync, readdirSync } from "node:fs";
import { startArena } from "/work/main/test/e2e/server.mjs";
const arena = await startArena({ vars: { RATE_LIMITS: "off", FAST_VOTE_WPM: "off", FIT_DEBOUNCE_MS: "600000", BENCH_ROUTES: "on", OUTBOX_DELAY_MS: "300000" } });
const pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map((p) => { try { return [p, readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").join(" ")]; } catch { return null; } }).filter(Boolean);
const cpu = () => Object.fromEntries(pids.filter(([, c]) => /workerd|wrangler/.test(c)).map(([p, c]) => { const f = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" "); return [p + " " + c.slice(0, 400), (+f[11] + +f[12]) / 100]; }));
const base = arena.url;
for (let i = 0; i < 400; i++) await (await fetch(`${base}/api/bench/write/w${i}`, { method: "POST" })).arrayBuffer();
for (const [name, opts] of [["health", { url: `${base}/api/health` }], ["floor", { url: base, requests: [{ method: "POST", setupRequest: (req) => ({ ...req, path: `/api/bench/write/w${Math.floor(Math.random() * 400)}` }) }] }]]) {
  const before = cpu(); const t0 = Date.now();
  const r = await autocannon({ connections: 16, duration: 5, ...opts });
  const after = cpu(); const dt = (Date.now() - t0) / 1000;
  console.log(name, Math.round(r.requests.total / r.duration), "rps");
  for (const k of Object.keys(after)) console.log("  ", ((after[k] - (before[k] ?? 0)) / dt * 100).toFixed(0) + "% cpu", k);
}
await arena.stop(); process.exit(0);
