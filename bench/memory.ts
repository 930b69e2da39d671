/**
 * Memory benchmark: what each Durable Object instance keeps alive in workerd's heap, against the
 * echo object (a bare object holding one durable row) in the same run. Touches 400 echo objects,
 * then serves 400 raters a duel each, then has each of them vote; after each step a heap snapshot
 * forces a full collection, and the live heap's growth per object is the figure.
 * `npm run bench -- memory`.
 */
// @ts-expect-error: a plain ES module shared with the profiler
import { attachInspector } from "../scripts/inspector.mjs";
// @ts-expect-error: a plain ES module shared with the browser tests
import { startArena } from "../test/e2e/server.mjs";

const OBJECTS = 400;

interface Inspector {
  send(method: string, params?: object): Promise<{ usedSize?: number }>;
  close(): void;
}

/** Live heap in bytes: a snapshot runs a full collection first (the inspector here has no plain GC call). */
async function liveHeap(inspector: Inspector): Promise<number> {
  await inspector.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  return (await inspector.send("Runtime.getHeapUsage")).usedSize!;
}

/** Runs the memory benchmark and prints a table. */
export async function benchMemory(): Promise<void> {
  const arena = await startArena({ vars: { RATE_LIMITS: "off", FAST_VOTE_WPM: "off", FIT_DEBOUNCE_MS: "600000", BENCH_ROUTES: "on" } });
  const inspector: Inspector = await attachInspector(arena.inspectorPort);
  try {
    const base: string = arena.url;
    await inspector.send("HeapProfiler.enable");
    // Warm the Worker's own caches (corpus, fit) before anything is measured.
    await (await fetch(`${base}/api/duel`)).arrayBuffer();
    const start = await liveHeap(inspector);
    for (let i = 0; i < OBJECTS; i++) await (await fetch(`${base}/api/bench/write/m${i}`, { method: "POST" })).arrayBuffer();
    const echoes = await liveHeap(inspector);
    const raters: { cookie: string; token: string }[] = [];
    for (let i = 0; i < OBJECTS; i++) {
      const res = await fetch(`${base}/api/duel`);
      const duel = (await res.json()) as { token: string };
      raters.push({ cookie: res.headers.get("set-cookie")!.split(";")[0]!, token: duel.token });
    }
    const served = await liveHeap(inspector);
    for (const { cookie, token } of raters) {
      const res = await fetch(`${base}/api/votes`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ token, choice: "a" }) });
      await res.arrayBuffer();
    }
    const voted = await liveHeap(inspector);
    const perEcho = (echoes - start) / OBJECTS;
    const row = (name: string, bytes: number) => `| ${name} | ${(bytes / 1024).toFixed(1)} KB | ${(bytes / perEcho).toFixed(1)} |`;
    console.log("\n### Memory per object in workerd (live heap after a full collection)\n");
    console.log("| object | heap per object | × echo object |");
    console.log("| --- | --- | --- |");
    console.log(row("echo object, one durable row (baseline)", perEcho));
    console.log(row("rater served one duel", (served - echoes) / OBJECTS));
    console.log(row("the same rater after one vote", (voted - echoes) / OBJECTS));
  } finally {
    inspector.close();
    await arena.stop();
  }
}
