/**
 * Room benchmark: 200 simulated players in one live room on a real `wrangler dev`. Measures the
 * time from the last vote of a duel to each client holding the reveal (p50/p99 over clients and
 * duels) and the messages per second the room delivers, against a bare echo object (the same kind
 * of object, hibernatable sockets, every message sent to every socket) in the same run.
 * `npm run bench -- room [--players N] [--duels N]`.
 */
// @ts-expect-error: a plain ES module shared with the browser tests
import { startArena } from "../test/e2e/server.mjs";

interface Arena {
  url: string;
  stop(): Promise<void>;
}

/** Opens a socket with a rater cookie; resolves once open. */
function open(url: string, cookie: string | null, onMessage: (data: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // Node's WebSocket (undici) takes headers, so each simulated player keeps its own rater cookie.
    const ws = new WebSocket(url, cookie ? ({ headers: { cookie } } as unknown as string[]) : undefined);
    ws.onmessage = (e) => onMessage(String(e.data));
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`could not open ${url}`));
  });
}

async function cookieFor(base: string): Promise<string> {
  const res = await fetch(`${base}/api/me`);
  await res.arrayBuffer();
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** A bare echo object: every player sends once, each message reaches all; answers in/out rates per second. */
async function echoRate(base: string, players: number): Promise<{ incoming: number; delivered: number }> {
  const ws = base.replace(/^http/, "ws");
  let received = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  const target = players * players;
  const sockets = await Promise.all(
    Array.from({ length: players }, () =>
      open(`${ws}/api/bench/echo/bench/ws`, null, () => {
        if (++received === target) done();
      }),
    ),
  );
  const started = performance.now();
  sockets.forEach((s, i) => s.send(`m${i}`));
  await all;
  const seconds = (performance.now() - started) / 1000;
  sockets.forEach((s) => s.close());
  return { incoming: players / seconds, delivered: target / seconds };
}

/** One room, `players` players (the host among them), `duels` duels: reveal latency and message rate. */
async function roomRun(base: string, players: number, duels: number) {
  const ws = base.replace(/^http/, "ws");
  const hostCookie = await cookieFor(base);
  const created = await fetch(`${base}/api/rooms`, {
    method: "POST",
    headers: { cookie: hostCookie, "content-type": "application/json" },
    body: JSON.stringify({ duels }),
  }).then((r) => r.json() as Promise<{ code: string }>);
  const cookies = [hostCookie, ...(await Promise.all(Array.from({ length: players - 1 }, () => cookieFor(base))))];
  let messages = 0;
  const phaseSeen: { round: number; phase: string }[] = cookies.map(() => ({ round: -1, phase: "lobby" }));
  const waiters: (() => void)[] = [];
  const onState = (i: number) => (data: string) => {
    messages++;
    const m = JSON.parse(data);
    if (m.type === "state") {
      phaseSeen[i] = { round: m.state.round, phase: m.state.phase };
      revealAt[i] ??= m.state.phase === "revealed" && m.state.round === currentRound ? performance.now() : undefined!;
    }
    for (const w of waiters.splice(0)) w();
  };
  let currentRound = -1;
  let revealAt: number[] = [];
  const sockets = await Promise.all(cookies.map((c, i) => open(`${ws}/api/rooms/${created.code}/ws`, c, onState(i))));
  sockets.forEach((s, i) => s.send(JSON.stringify({ type: "hello", name: `P${i}` })));
  const until = async (test: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!test()) {
      if (Date.now() > deadline) throw new Error("room bench timed out");
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
  };
  await until(() => phaseSeen.every((p) => p.phase === "lobby") && messages >= players);
  const latencies: number[] = [];
  let voteMessages = 0;
  let voteSeconds = 0;
  for (let round = 0; round < duels; round++) {
    currentRound = round;
    revealAt = [];
    sockets[0]!.send(JSON.stringify({ type: round === 0 ? "start" : "next" }));
    await until(() => phaseSeen.every((p) => p.phase === "voting" && p.round === round));
    const before = messages;
    const started = performance.now();
    sockets.forEach((s, i) => s.send(JSON.stringify({ type: "vote", choice: i % 3 === 0 ? "b" : "a", readMs: 8000 })));
    const lastVote = performance.now();
    await until(() => phaseSeen.every((p) => p.phase === "revealed" && p.round === round));
    voteSeconds += (performance.now() - started) / 1000;
    voteMessages += messages - before;
    for (const t of revealAt) if (t !== undefined) latencies.push(t - lastVote);
  }
  sockets.forEach((s) => s.close());
  latencies.sort((x, y) => x - y);
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    incoming: (players * duels) / voteSeconds,
    delivered: voteMessages / voteSeconds,
    samples: latencies.length,
  };
}

/** Runs the room benchmark and prints a table. */
export async function benchRoom(players = 200, duels = 5): Promise<void> {
  const arena = (await startArena({ vars: { BENCH_ROUTES: "on", FIT_DEBOUNCE_MS: "600000" } })) as Arena;
  try {
    const echo = await echoRate(arena.url, players);
    const room = await roomRun(arena.url, players, duels);
    console.log(`\n### Live room, ${players} players, ${duels} duels (wrangler dev on loopback)\n`);
    const n = (x: number) => Math.round(x).toLocaleString("en");
    console.log("| measure | room | bare echo object (baseline) | ratio |");
    console.log("| --- | --- | --- | --- |");
    console.log(`| messages handled per second (votes in; echo: messages in) | ${n(room.incoming)} | ${n(echo.incoming)} | ${(room.incoming / echo.incoming).toFixed(2)} |`);
    console.log(`| messages delivered per second (states out; echo: copies out) | ${n(room.delivered)} | ${n(echo.delivered)} | ${(room.delivered / echo.delivered).toFixed(2)} |`);
    console.log(`| last vote → reveal on every client, p50 | ${room.p50.toFixed(0)} ms | — | — |`);
    console.log(`| last vote → reveal on every client, p99 | ${room.p99.toFixed(0)} ms | — | — |`);
    console.log(
      `\n(${room.samples} reveal samples: every client in every duel. A room vote is stored by the voter's own Rater object before it counts; ` +
        "states are coalesced over 15 ms, so a burst of votes costs one broadcast, where the echo sends every message to everyone.)",
    );
  } finally {
    await arena.stop();
  }
}
