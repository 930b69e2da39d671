// Seeded fuzzing: thousands of random and malformed requests to every route, and random, malformed,
// oversized and out-of-order messages to a live room. Nothing may answer 5xx, no room may crash,
// and no refused request may change what is counted.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { routes } from "../../../schema/openapi.js";
import { seededRandom } from "../../../worker/ratings/random.js";
import { Client, refit } from "../client.js";
import { Player, createRoom } from "../roomClient.js";

const random = seededRandom(20261125);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (n: number) => Math.floor(random() * n);

const ALPHABET = ["a", "Z", "0", "-", "_", "/", ".", "%", "&", "=", "?", "#", " ", '"', "'", "<", ">", "\\", "{", "}", "[", "]", "é", "字", "🙂", "\u0000", "\u202e", "\n"];
function junk(max: number): string {
  let s = "";
  for (let i = int(max); i > 0; i--) s += pick(ALPHABET);
  return s;
}

/** Junk a header can carry at all (HTTP header values are printable Latin-1, no line breaks). */
function junkHeader(max: number): string {
  let s = "";
  for (let i = int(max); i > 0; i--) s += String.fromCharCode(32 + int(95));
  return s.trim() || "x";
}

function junkJson(depth = 0): unknown {
  switch (int(depth > 3 ? 5 : 8)) {
    case 0:
      return junk(20);
    case 1:
      return pick([0, -1, 1e308, -0, 3.5, Number.MAX_SAFE_INTEGER]);
    case 2:
      return pick([true, false, null]);
    case 3:
      return "x".repeat(pick([0, 1, 200, 5000]));
    case 4:
      return pick(["a", "b", "tie", "both_bad", "left", "A"]);
    case 5:
      return Array.from({ length: int(4) }, () => junkJson(depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: int(5) }, () => [pick(["token", "choice", "readMs", "reasons", "kind", "id", "genre", "duels", "timerSeconds", "__proto__", "constructor", junk(8)]), junkJson(depth + 1)]),
      );
  }
}

function junkBody(token: string): BodyInit | undefined {
  switch (int(7)) {
    case 0:
      return undefined;
    case 1:
      return junk(300);
    case 2:
      return JSON.stringify(junkJson());
    case 3:
      return new Uint8Array(Array.from({ length: int(400) }, () => int(256)));
    case 4:
      // A real token, broken: signature or payload bytes changed.
      return JSON.stringify({ token: token.slice(0, -2) + pick(["AA", "zz", "__"]), choice: pick(["a", "b"]) });
    case 5:
      return JSON.stringify({ token: `${junk(30)}.${junk(43)}`, choice: "a", readMs: int(100000) });
    default:
      return "{".repeat(int(2000)) + "}".repeat(int(2000));
  }
}

async function counts() {
  const arena = env.ARENA.getByName("global");
  return { votes: await arena.voteCount(), corpus: await env.CORPUS.getByName("main").getVersion() };
}

describe("HTTP fuzzing", () => {
  it("answers 3,000 random requests to every route without a 5xx or a counted vote", async () => {
    const honest = new Client();
    const duel = await honest.duel();
    const before = await counts();
    const paths = [...routes.map((r) => r.path.replace("{id}", junk(10) || "x")), "/api/rooms", "/api/rooms/ABCDEF", "/api/rooms/ABCDEF/ws", "/api/nope", "/api/votes/../admin/import", "/api"];
    const seen = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const path = pick(paths);
      const query = Array.from({ length: int(4) }, () => `${encodeURIComponent(pick(["genre", "cluster", "control", "cursor", "limit", "format", "since", "rater", "a", "b", "before", junk(5)]))}=${encodeURIComponent(junk(30))}`).join("&");
      const method = pick(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "GET", "POST"]);
      const headers: Record<string, string> = {};
      if (random() < 0.7) headers["content-type"] = pick(["application/json", "application/x-ndjson", "text/plain", "multipart/form-data", junkHeader(20)]);
      if (random() < 0.3) headers.authorization = pick(["Bearer", "Bearer wrong", `Basic ${junkHeader(10)}`, junkHeader(40)]);
      if (random() < 0.4) headers.cookie = pick([honest.cookie!, `palate_rater=${junkHeader(40)}`, `palate_rater=r-${"A".repeat(16)}.${junkHeader(44)}`, junkHeader(200)]);
      if (random() < 0.1) headers.origin = "https://evil.example";
      const body = method === "GET" || method === "HEAD" ? undefined : junkBody(duel.token);
      let status: number;
      try {
        const response = await exports.default.fetch(new Request(`http://palate.test${path}${query ? `?${query}` : ""}`, { method, headers, body }));
        status = response.status;
        await response.arrayBuffer();
      } catch (err) {
        throw new Error(`${method} ${path}?${query} threw: ${err}`);
      }
      seen.set(status, (seen.get(status) ?? 0) + 1);
      expect(status, `${method} ${path}?${query}`).toBeLessThan(500);
    }
    expect(await counts()).toEqual(before);
    // The honest rater can still vote afterwards.
    expect((await honest.vote({ token: duel.token, choice: "a", readMs: 60_000 })).status).toBeLessThan(300);
    expect([...seen.keys()].some((s) => s >= 400)).toBe(true);
  });

  it("refits after the storm exactly as before it", async () => {
    await refit();
    const first = await new Client().json("/api/leaderboard");
    await refit();
    const second = await new Client().json("/api/leaderboard");
    expect(second.body.rows).toEqual(first.body.rows);
  });
});

describe("WebSocket fuzzing", () => {
  it("survives 600 random, malformed, oversized and out-of-order messages in one room", async () => {
    const host = new Client();
    await host.json("/api/me");
    const code = await createRoom(host, { duels: 3 });
    const players = [await new Player(host).connect(code)];
    for (let i = 0; i < 11; i++) players.push(await new Player().connect(code));
    players.forEach((p, i) => p.send({ type: "hello", name: `P${i}` }));
    await players[0]!.state((s) => s.players.length === 12, "12 seats");
    const messages = () =>
      pick<() => unknown>([
        () => junk(60),
        () => JSON.stringify(junkJson()),
        () => "x".repeat(pick([4097, 10_000])),
        () => ({ type: pick(["hello", "vote", "start", "reveal", "next", "end", "ping", junk(6)]) }),
        () => ({ type: "vote", choice: pick(["a", "b", "tie", "both_bad", "c", 1]) }),
        () => ({ type: "hello", name: pick(["<b>x</b>", "", " ", "ok name", "\u0000", "x".repeat(33)]) }),
        () => ({ type: "start", extra: true }),
        () => "ping",
      ])();
    for (let i = 0; i < 600; i++) {
      const p = players[i % players.length]!;
      const m = messages();
      p.send(typeof m === "string" ? m : JSON.stringify(m));
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
    }
    // Every socket is still open, and the room still answers with a coherent state.
    await new Promise((r) => setTimeout(r, 200));
    for (const p of players) expect(p.ws!.readyState).toBe(WebSocket.OPEN);
    players[0]!.send({ type: "hello" });
    const state = await players[0]!.state(() => true, "a state after the storm");
    expect(state.players).toHaveLength(12);
    expect(["lobby", "voting", "revealed", "ended"]).toContain(state.phase);
    const summary = await new Client().json(`/api/rooms/${code}`);
    expect(summary.status).toBe(200);
    // Votes that the room accepted are the only room votes anywhere: one per seat and round at most.
    const rounds = state.round + 1;
    const accepted = await Promise.all(players.map(async (p) => (await env.RATER.getByName(p.client.rater).profile()).votes));
    expect(accepted.every((n) => n <= rounds)).toBe(true);
  });
});
