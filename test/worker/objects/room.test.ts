// Live rooms over real WebSockets in workerd: join, vote, reveal, reconnect, late join, host
// leaving and returning, invalid messages, hibernation, and room votes counted as ordinary votes.
import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Client, eventually, flushRater } from "../client.js";
import { Player, createRoom } from "../roomClient.js";

async function lobby(players: number, body?: Record<string, unknown>) {
  const host = new Player();
  await host.client.json("/api/me");
  const code = await createRoom(host.client, body);
  await host.connect(code);
  host.send({ type: "hello", name: "Host" });
  await host.state((s) => s.you.host && s.you.seat === 0);
  const guests: Player[] = [];
  for (let i = 0; i < players; i++) {
    const p = await new Player().connect(code);
    p.send({ type: "hello", name: `Guest ${i}` });
    await p.state((s) => s.you.seat === i + 1, `seat ${i + 1}`);
    guests.push(p);
  }
  return { code, host, guests };
}

describe("a live room", () => {
  it("creates a room with a code, join link and QR code, and finds it by code", async () => {
    const host = new Client();
    const { status, body } = await host.json("/api/rooms", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ duels: 2, timerSeconds: 60 }) });
    expect(status).toBe(201);
    expect(body.code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    expect(body.joinUrl).toBe(`http://palate.test/rooms/join?code=${body.code}`);
    expect(body.qrSvg).toMatch(/^<svg[^>]*viewBox/);
    const found = await new Client().json(`/api/rooms/${body.code}`);
    expect(found.body).toEqual({ code: body.code, phase: "lobby", players: 0 });
    expect((await new Client().json("/api/rooms/AAAAAA")).status).toBe(404);
    expect((await new Client().json("/api/rooms/nope")).status).toBe(400);
    const bad = await host.json("/api/rooms", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ duels: 99 }) });
    expect(bad.status).toBe(400);
  });

  it("plays a duel: everyone sees the same passages, counts but not picks, then the reveal", async () => {
    const { host, guests } = await lobby(2);
    host.send({ type: "start" });
    const seen = await Promise.all([host, ...guests].map((p) => p.state((s) => s.phase === "voting", "voting")));
    expect(new Set(seen.map((s) => JSON.stringify(s.duel))).size).toBe(1);
    expect(seen[0]!.duel!.a.text.length).toBeGreaterThan(0);
    expect(seen[0]!.reveal).toBeNull();

    guests[0]!.send({ type: "vote", choice: "a", readMs: 5000 });
    const afterOne = await host.state((s) => s.votes === 1, "one vote");
    expect(afterOne.players.find((p) => p.seat === 1)!.voted).toBe(true);
    expect(JSON.stringify(afterOne)).not.toContain('"picks"');
    guests[1]!.send({ type: "vote", choice: "b" });
    host.send({ type: "vote", choice: "a" });
    // Everyone connected has voted: the room reveals by itself.
    const revealed = await guests[1]!.state((s) => s.phase === "revealed", "reveal");
    expect(revealed.reveal!.split).toEqual({ a: 2, b: 1, tie: 0, both_bad: 0 });
    expect(revealed.reveal!.picks).toEqual({ "0": "a", "1": "a", "2": "b" });
    expect(revealed.reveal!.a.model.length).toBeGreaterThan(0);

    // A vote after the reveal is refused.
    guests[1]!.send({ type: "vote", choice: "a" });
    expect((await guests[1]!.error()).code).toBe("voting_closed");

    // Each player's vote is their own ordinary vote: the room hands the three on to the log at
    // once, tagged, and the raters' outbox checks afterwards add nothing.
    const roomVotes = async () =>
      ((await new Client().json("/api/votes?limit=100")).body.votes as { id: string; room: string | null }[]).filter((v) => v.room === revealed.code);
    expect(await eventually(roomVotes, (votes) => votes.length >= 3)).toHaveLength(3);
    for (const p of [host, ...guests]) await flushRater(p.client.rater);
    const logged = await roomVotes();
    expect(logged).toHaveLength(3);
    expect(new Set(logged.map((v) => v.id)).size).toBe(3);
  });

  it("counts room votes as ordinary votes of each rater, once", async () => {
    const { host, guests } = await lobby(1);
    host.send({ type: "start" });
    await guests[0]!.state((s) => s.phase === "voting");
    guests[0]!.send({ type: "vote", choice: "tie" });
    guests[0]!.send({ type: "vote", choice: "tie" });
    await host.state((s) => s.votes === 1);
    const profile = await env.RATER.getByName(guests[0]!.client.rater).profile();
    expect(profile.votes).toBe(1);
    guests[0]!.send({ type: "vote", choice: "a" });
    expect((await guests[0]!.error()).code).toBe("already_voted");
  });

  it("keeps a player's seat and vote across a reconnect, and lets latecomers join", async () => {
    const { code, host, guests } = await lobby(1);
    host.send({ type: "start" });
    await guests[0]!.state((s) => s.phase === "voting");
    guests[0]!.send({ type: "vote", choice: "b" });
    await host.state((s) => s.votes === 1);
    guests[0]!.close();
    await host.state((s) => s.players.find((p) => p.seat === 1)?.connected === false, "guest gone");
    const back = await new Player(guests[0]!.client).connect(code);
    const state = await back.state(() => true, "state on reconnect");
    expect(state.you.seat).toBe(1);
    expect(state.you.vote).toBe("b");
    const late = await new Player().connect(code);
    late.send({ type: "hello", name: "Late" });
    const lateState = await late.state((s) => s.you.seat === 2);
    expect(lateState.phase).toBe("voting");
    expect(lateState.duel).not.toBeNull();
  });

  it("goes on when the host leaves, and gives the host back the controls on return", async () => {
    const { code, host, guests } = await lobby(1);
    host.close();
    await guests[0]!.state((s) => s.players.find((p) => p.host)?.connected === false, "host gone");
    guests[0]!.send({ type: "start" });
    expect((await guests[0]!.error()).code).toBe("not_host");
    const back = await new Player(host.client).connect(code);
    const state = await back.state();
    expect(state.you.host).toBe(true);
    back.send({ type: "start" });
    await guests[0]!.state((s) => s.phase === "voting");
  });

  it("answers bad messages with an error and keeps the connection", async () => {
    const { host } = await lobby(0);
    const cases: [unknown, string][] = [
      ["not json", "bad_json"],
      [{ type: "dance" }, "invalid"],
      [{ type: "vote", choice: "left" }, "invalid"],
      [{ type: "hello", name: "<script>alert(1)</script>" }, "invalid"],
      [{ type: "hello", name: "x".repeat(40) }, "invalid"],
      [{ type: "next" }, "wrong_phase"],
      [{ type: "vote", choice: "a" }, "voting_closed"],
      ["x".repeat(5000), "too_large"],
    ];
    for (const [message, code] of cases) {
      host.send(message);
      expect((await host.error()).code, JSON.stringify(message).slice(0, 40)).toBe(code);
    }
    host.send({ type: "hello", name: "Still here" });
    const state = await host.state((s) => s.players[0]!.name === "Still here");
    expect(state.players[0]!.connected).toBe(true);
  });

  it("rate-limits a flooding connection without closing it", async () => {
    const { host } = await lobby(0);
    for (let i = 0; i < 40; i++) host.send({ type: "hello" });
    expect((await host.error()).code).toBe("rate_limited");
    expect(host.ws!.readyState).toBe(WebSocket.OPEN);
  });

  it("loses nothing when the object is evicted between messages", async () => {
    const { code, host, guests } = await lobby(1);
    host.send({ type: "start" });
    await guests[0]!.state((s) => s.phase === "voting");
    guests[0]!.send({ type: "vote", choice: "a" });
    await host.state((s) => s.votes === 1);
    await evictDurableObject(env.ROOM.getByName(code));
    host.send({ type: "vote", choice: "b" });
    const revealed = await guests[0]!.state((s) => s.phase === "revealed", "reveal after eviction");
    expect(revealed.reveal!.picks).toEqual({ "0": "b", "1": "a" });
    expect(revealed.players.map((p) => p.name)).toEqual(["Host", "Guest 0"]);
  });

  it("ends with the room's board, an agreement matrix and taste twins", async () => {
    const { host, guests } = await lobby(2, { duels: 2 });
    host.send({ type: "start" });
    for (let round = 0; round < 2; round++) {
      await host.state((s) => s.phase === "voting" && s.round === round, `round ${round}`);
      host.send({ type: "vote", choice: "a" });
      guests[0]!.send({ type: "vote", choice: "a" });
      guests[1]!.send({ type: "vote", choice: round === 0 ? "a" : "b" });
      await host.state((s) => s.phase === "revealed" && s.round === round, `reveal ${round}`);
      host.send({ type: "next" });
    }
    const end = await guests[1]!.state((s) => s.phase === "ended", "the end");
    const r = end.results!;
    expect(r.seats).toEqual([0, 1, 2]);
    expect(r.agreement[0]).toEqual([1, 1, 0.5]);
    expect(r.twins["0"]).toEqual({ seat: 1, agreement: 1 });
    expect(r.twins["2"]!.agreement).toBe(0.5);
    expect(r.board.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(r.clusters)).toEqual(["0", "1", "2"]);
  });

  it("reveals by itself when the timer runs out", async () => {
    const { code, host, guests } = await lobby(1, { duels: 2, timerSeconds: 10 });
    host.send({ type: "start" });
    const voting = await guests[0]!.state((s) => s.phase === "voting");
    expect(voting.deadline).toBeGreaterThan(Date.now());
    guests[0]!.send({ type: "vote", choice: "a" });
    await host.state((s) => s.votes === 1);
    // Time the alarm out now rather than wait ten seconds.
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    await env.ROOM.getByName(code).summary();
    await runInRoom(code, (state) => state.storage.sql.exec("UPDATE room SET deadline = ?", Date.now() - 1));
    expect(await runDurableObjectAlarm(env.ROOM.getByName(code))).toBe(true);
    const revealed = await host.state((s) => s.phase === "revealed", "timed reveal");
    expect(revealed.reveal!.split.a).toBe(1);
  });
});

async function runInRoom(code: string, fn: (state: DurableObjectState) => void): Promise<void> {
  const { runInDurableObject } = await import("cloudflare:test");
  await runInDurableObject(env.ROOM.getByName(code), (_instance: unknown, state: DurableObjectState) => fn(state));
}

describe("an idle room", () => {
  it("expires: everyone hears it before the sockets close, and the results stay readable", async () => {
    const { code, host, guests } = await lobby(1);
    await runInRoom(code, (state) => state.storage.sql.exec("UPDATE room SET active_at = 0"));
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    expect(await runDurableObjectAlarm(env.ROOM.getByName(code))).toBe(true);
    const expired = await guests[0]!.state((s) => s.phase === "expired", "expired");
    expect(expired.now).toBeGreaterThan(0);
    expect((await new Client().json(`/api/rooms/${code}`)).body.phase).toBe("expired");
    const again = await new Player(host.client).connect(code);
    expect((await again.state()).phase).toBe("expired");
  });
});
