// `npm run profile [-- --seconds N]`: where a vote's time goes. Starts `wrangler dev`, attaches to
// workerd's V8 inspector (the Chrome DevTools protocol, through wrangler's inspector port), and
// samples the CPU while autocannon posts votes from 400 raters at 16 connections. Prints the
// functions with the most self time and with the most total time, and writes the whole profile
// to `votes.cpuprofile` (open it in Chrome DevTools). The outbox delay is left at 5 minutes, so
// the profile is of votes as deployed. `--route floor` profiles the bench's floor instead (one
// durable write in a Durable Object per POST), to see which costs votes share with it.
import { writeFileSync } from "node:fs";
import autocannon from "autocannon";
import { attachInspector } from "./inspector.mjs";
import { startArena } from "../test/e2e/server.mjs";

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf("--seconds") + 1] || 8);
const route = args.includes("--route") ? args[args.indexOf("--route") + 1] : "votes";
if (!["votes", "floor"].includes(route)) throw new Error("--route is votes or floor");
const arena = await startArena({ vars: { RATE_LIMITS: "off", FAST_VOTE_WPM: "off", FIT_DEBOUNCE_MS: "600000", BENCH_ROUTES: "on" } });
try {
  const base = arena.url;
  const jar = [];
  for (let i = 0; i < 400; i++) {
    const res = await fetch(`${base}/api/me`);
    await res.arrayBuffer();
    jar.push(res.headers.get("set-cookie").split(";")[0]);
  }
  // Fresh tokens for every vote (a used token would be a cheap idempotent replay).
  const supply = [];
  let next = 0;
  const wanted = 400 + 900 * seconds;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < wanted) {
        const cookie = jar[next++ % jar.length];
        const duel = await (await fetch(`${base}/api/duel`, { headers: { cookie } })).json();
        supply.push({ cookie, token: duel.token });
      }
    }),
  );
  const vote = (t) => ({ method: "POST", headers: { cookie: t.cookie, "content-type": "application/json" }, body: JSON.stringify({ token: t.token, choice: "a", readMs: 9000 }) });
  // A published fit first, so votes carry cluster hints and answers carry splits, as in use.
  for (const t of supply.splice(0, 400)) await (await fetch(`${base}/api/votes`, vote(t))).arrayBuffer();
  await new Promise((r) => setTimeout(r, 500));
  await fetch(`${base}/api/admin/refit`, { method: "POST", headers: { authorization: `Bearer ${arena.adminToken}` } });

  // The floor's 400 objects, created before anything is sampled.
  if (route === "floor") for (let i = 0; i < 400; i++) await (await fetch(`${base}/api/bench/write/r${i}`, { method: "POST" })).arrayBuffer();
  const inspector = await attachInspector(arena.inspectorPort);
  const send = inspector.send;
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  await send("Profiler.start");
  let v = 0;
  const run = await autocannon({
    url: base,
    connections: 16,
    duration: seconds,
    requests: [
      route === "votes"
        ? { method: "POST", path: "/api/votes", setupRequest: (req) => ({ ...req, ...vote(supply[v++ % supply.length]) }) }
        : { method: "POST", setupRequest: (req) => ({ ...req, path: `/api/bench/write/r${v++ % 400}` }) },
    ],
  });
  const { profile } = await send("Profiler.stop");
  inspector.close();
  writeFileSync(`${route}.cpuprofile`, JSON.stringify(profile));

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = new Map();
  for (const s of profile.samples) samples.set(s, (samples.get(s) ?? 0) + 1);
  const name = (n) => `${n.callFrame.functionName || "(anonymous)"}${n.callFrame.lineNumber >= 0 ? ` :${n.callFrame.lineNumber + 1}` : ""}`;
  const self = new Map();
  const total = new Map();
  for (const [nodeId, count] of samples) {
    const key = name(byId.get(nodeId));
    self.set(key, (self.get(key) ?? 0) + count);
    const counted = new Set();
    for (let at = nodeId; at !== undefined; at = parent.get(at)) {
      const k = name(byId.get(at));
      if (!counted.has(k)) total.set(k, (total.get(k) ?? 0) + count), counted.add(k);
    }
  }
  const all = profile.samples.length;
  // Self time by source line: native work called without a frame of its own (RPC serialisation,
  // say) shows up on the line of the JS that called it.
  const lines = new Map();
  for (const n of profile.nodes) {
    for (const t of n.positionTicks ?? []) {
      const key = `${name(n).split(" :")[0]} :${t.line}`;
      lines.set(key, (lines.get(key) ?? 0) + t.ticks);
    }
  }
  const top = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, c]) => `${((100 * c) / all).toFixed(1).padStart(5)}%  ${k}`).join("\n");
  console.log(`\n${route}: ${Math.round(run.requests.total / run.duration)}/s, p50 ${run.latency.p50} ms, p99 ${run.latency.p99} ms, ${run.non2xx} non-2xx; ${all} samples`);
  console.log(`(line numbers are in wrangler's bundle under .wrangler/tmp)\n\nself time:\n${top(self)}\n\ntotal time:\n${top(total)}\n\nself time by line:\n${top(lines)}\n\nwrote ${route}.cpuprofile`);
} finally {
  await arena.stop();
}
process.exit(0);
