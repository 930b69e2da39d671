/**
 * Room: one Durable Object per live room, where a group reads and votes on the same duels together.
 * WebSockets use the Hibernation API: the object can be evicted between messages at no cost, so
 * everything that matters (config, seats, duels, picks) lives in SQLite and each socket carries
 * its rater and seat in an attachment that survives hibernation. Room votes are ordinary votes of
 * each player's Rater object, tagged with the room.
 */
import { DurableObject } from "cloudflare:workers";
import type { Choice } from "../../schema/api.js";
import { roomMigrations } from "../../schema/migrations/room.js";
import { type ClientMessage, ClientMessage as ClientMessageSchema, type CreateRoom, type RoomPhase, type RoomResults, type RoomState, type ServerMessage } from "../../schema/room.js";
import { pickDuel } from "../corpus/duels.js";
import type { Env } from "../env.js";
import { describeIssues } from "../http/validate.js";
import { toPoints } from "../ratings/board.js";
import { A_WINS, B_WINS, BOTH_BAD, TIE, countPairs, fitDavidson } from "../ratings/davidson.js";
import type { TasteModel } from "../ratings/posterior.js";
import { agreementMatrix, tasteTwins } from "../ratings/room.js";
import { VoteForwarder, toArena } from "../writes/forward.js";
import { migrate } from "./migrate.js";

/** What each socket remembers across hibernation. */
interface Attachment {
  rater: string;
  seat: number | null;
}

interface RoomRow {
  code: string;
  host: string;
  genre: string | null;
  duels: number;
  timer: number | null;
  phase: RoomPhase;
  round: number;
  deadline: number | null;
  active_at: number;
  results: string | null;
}

/** Messages one connection may send per window before being told to slow down. */
const RATE_LIMIT = { messages: 30, windowMs: 10_000 };
/** Largest message accepted, in characters. */
const MAX_MESSAGE = 4096;
/** How long a broadcast waits to gather a burst of changes. */
const BROADCAST_DELAY_MS = 15;
/** How often the corpus version is re-checked for passage texts. */
const TEXT_RECHECK_MS = 5000;
/** A room with no activity for this long expires (its results are kept). */
const DEFAULT_IDLE_MS = 2 * 60 * 60 * 1000;

export class Room extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Per-socket message counts; losing them on eviction only resets the limiter. */
  private readonly buckets = new WeakMap<WebSocket, { start: number; count: number }>();
  /** Hands the room's votes to the Arena a burst at a time (see worker/writes/forward.ts). */
  private readonly forwarder = new VoteForwarder();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(this.sql, roomMigrations));
    // Pings are answered by the runtime itself, without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Creates the room; false when this code is already taken. */
  async init(code: string, host: string, config: CreateRoom): Promise<boolean> {
    if (this.room()) return false;
    const now = Date.now();
    this.sql.exec(
      "INSERT INTO room (id, code, host, genre, duels, timer, phase, round, deadline, created_at, active_at) VALUES (1, ?, ?, ?, ?, ?, 'lobby', -1, NULL, ?, ?)",
      code,
      host,
      config.genre ?? null,
      config.duels,
      config.timerSeconds,
      now,
      now,
    );
    await this.schedule();
    return true;
  }

  /** A summary for the join page: phase and how many have seats; null when no such room. */
  summary(): { code: string; phase: RoomPhase; players: number } | null {
    const room = this.room();
    if (!room) return null;
    return { code: room.code, phase: room.phase, players: this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM players").one().n };
  }

  /** WebSocket upgrade, forwarded by the Worker with the caller's rater id. */
  async fetch(request: Request): Promise<Response> {
    const rater = request.headers.get("X-Palate-Rater");
    if (!rater || request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("expected a websocket", { status: 426 });
    if (!this.room()) return new Response("no such room", { status: 404 });
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const seat = this.seatOf(rater);
    server.serializeAttachment({ rater, seat } satisfies Attachment);
    await this.ensureTexts();
    if (seat !== null) this.send(server, { type: "state", state: this.stateFor(server) });
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Every message is validated; a bad one is answered with an error, never a dropped socket. */
  async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    if (!this.allow(ws)) return this.fail(ws, "rate_limited", `more than ${RATE_LIMIT.messages} messages in ${RATE_LIMIT.windowMs / 1000} s; slow down`);
    if (typeof raw !== "string") return this.fail(ws, "bad_message", "send JSON text");
    if (raw.length > MAX_MESSAGE) return this.fail(ws, "too_large", `messages are at most ${MAX_MESSAGE} characters`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return this.fail(ws, "bad_json", "the message is not valid JSON");
    }
    const parsed = ClientMessageSchema.safeParse(value);
    if (!parsed.success) return this.fail(ws, "invalid", describeIssues(parsed.error));
    const room = this.room();
    if (!room) return this.fail(ws, "no_room", "this room does not exist");
    if (room.phase === "expired") return this.fail(ws, "expired", "this room has expired; its results are kept");
    try {
      await this.handle(ws, parsed.data, room);
    } catch (err) {
      console.error("room message failed", err);
      this.fail(ws, "internal", "that did not work; try again");
    }
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // Others see the seat go grey; the seat and its votes stay for a reconnect.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
    } catch {
      // already closed
    }
    this.broadcast(ws);
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    this.broadcast(ws);
  }

  /** Alarm: the duel's timer ran out, or the room sat idle long enough to expire. */
  async alarm(): Promise<void> {
    const room = this.room();
    if (!room) return;
    const now = Date.now();
    if (room.phase === "voting" && room.deadline !== null && room.deadline <= now) {
      this.revealRound(room);
      this.broadcast();
    }
    const idle = Number(this.env.ROOM_IDLE_MS ?? DEFAULT_IDLE_MS);
    const current = this.room()!;
    if (current.phase !== "expired" && now - current.active_at >= idle) {
      this.sql.exec("UPDATE room SET phase = 'expired', deadline = NULL");
      // Tell everyone first (not coalesced), then close: the results stay readable on reconnect.
      await this.ensureTexts();
      this.sendAll();
      for (const ws of this.ctx.getWebSockets()) ws.close(1001, "room expired");
      return;
    }
    await this.schedule();
  }

  // ---- messages ------------------------------------------------------------------------------

  private async handle(ws: WebSocket, message: ClientMessage, room: RoomRow): Promise<void> {
    const me = ws.deserializeAttachment() as Attachment;
    this.sql.exec("UPDATE room SET active_at = ?", Date.now());
    if (message.type === "hello") {
      const seat = this.takeSeat(me.rater, message.name);
      ws.serializeAttachment({ ...me, seat } satisfies Attachment);
      this.broadcast();
      return;
    }
    if (me.seat === null) return this.fail(ws, "no_seat", 'say {"type":"hello"} first to take a seat');
    const isHost = me.rater === room.host;
    switch (message.type) {
      case "vote":
        return this.vote(ws, me, room, message.choice, message.readMs);
      case "start":
        if (!isHost) return this.fail(ws, "not_host", "only the host can start");
        if (room.phase !== "lobby") return this.fail(ws, "wrong_phase", "the room has already started");
        return this.openRound(ws, room, 0);
      case "reveal":
        if (!isHost) return this.fail(ws, "not_host", "only the host can reveal");
        if (room.phase !== "voting") return this.fail(ws, "wrong_phase", "there is no duel to reveal");
        this.revealRound(room);
        return this.broadcast();
      case "next":
        if (!isHost) return this.fail(ws, "not_host", "only the host can move on");
        if (room.phase !== "revealed") return this.fail(ws, "wrong_phase", "reveal this duel first");
        if (room.round + 1 >= room.duels) return this.finish();
        return this.openRound(ws, room, room.round + 1);
      case "end":
        if (!isHost) return this.fail(ws, "not_host", "only the host can end the room");
        if (room.phase === "ended") return this.fail(ws, "wrong_phase", "the room has already ended");
        if (room.phase === "voting") this.revealRound(room);
        return this.finish();
    }
  }

  /** Takes (or returns to) the rater's seat; the name, when given, replaces the old one. */
  private takeSeat(rater: string, name: string | undefined): number {
    const existing = this.seatOf(rater);
    if (existing !== null) {
      if (name) this.sql.exec("UPDATE players SET name = ? WHERE seat = ?", name, existing);
      return existing;
    }
    const seat = this.sql.exec<{ n: number | null }>("SELECT max(seat) AS n FROM players").one().n ?? -1;
    this.sql.exec("INSERT INTO players (seat, rater, name, joined_at) VALUES (?, ?, ?, ?)", seat + 1, rater, name ?? `Reader ${seat + 2}`, Date.now());
    return seat + 1;
  }

  private async openRound(ws: WebSocket, room: RoomRow, round: number): Promise<void> {
    const [index, corpus] = await Promise.all([this.env.CORPUS.getByName("main").duelIndex(), this.env.CORPUS.getByName("main").snapshot()]);
    // Passages this room has already read count as seen, so its duels do not repeat.
    const seen = new Map<string, number>();
    for (const r of this.sql.exec<{ passage_a: string; passage_b: string; round: number }>("SELECT passage_a, passage_b, round FROM rounds")) {
      seen.set(r.passage_a, r.round);
      seen.set(r.passage_b, r.round);
    }
    const pick = pickDuel(index, seen, Math.random, room.genre ?? undefined);
    if (!pick) return this.fail(ws, "no_duel", "the corpus has no duel for this room's genre");
    if (!corpus.passages.some((p) => p.id === pick.a.id)) return this.fail(ws, "corpus_changing", "the corpus changed; try again");
    const deadline = room.timer ? Date.now() + room.timer * 1000 : null;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT OR REPLACE INTO rounds (round, prompt, passage_a, passage_b, contender_a, contender_b) VALUES (?, ?, ?, ?, ?, ?)",
        round,
        pick.prompt,
        pick.a.id,
        pick.b.id,
        pick.a.contender,
        pick.b.contender,
      );
      this.sql.exec("UPDATE room SET phase = 'voting', round = ?, deadline = ?", round, deadline);
    });
    await this.schedule();
    this.broadcast();
  }

  private async vote(ws: WebSocket, me: Attachment, room: RoomRow, choice: Choice, readMs: number | undefined): Promise<void> {
    if (room.phase !== "voting") return this.fail(ws, "voting_closed", "voting on this duel is closed");
    const existing = this.sql.exec<{ choice: Choice }>("SELECT choice FROM picks WHERE round = ? AND seat = ?", room.round, me.seat).toArray()[0];
    if (existing) {
      // A resent vote (say, after a reconnect) is the same vote, not a second one.
      if (existing.choice !== choice) return this.fail(ws, "already_voted", "your vote on this duel is in; it cannot change");
      await this.ensureTexts();
      return this.send(ws, { type: "state", state: this.stateFor(ws) });
    }
    const round = this.sql.exec<{ prompt: string; passage_a: string; passage_b: string; contender_a: string; contender_b: string }>(
      "SELECT prompt, passage_a, passage_b, contender_a, contender_b FROM rounds WHERE round = ?",
      room.round,
    ).one();
    // The rater's own object stores it first (durably, idempotently); only then is it the room's.
    const result = await this.env.RATER.getByName(me.rater).roomVote({
      rater: me.rater,
      room: room.code,
      round: room.round,
      prompt: round.prompt,
      a: { id: round.passage_a, contender: round.contender_a },
      b: { id: round.passage_b, contender: round.contender_b },
      choice,
      readMs,
    });
    if (!result.ok) return this.fail(ws, result.code, result.message);
    // On to the Arena with the room's other votes of the moment; the rater's outbox backs it up.
    if (result.logged) this.forwarder.add(result.logged, toArena(this.env), (sending) => this.ctx.waitUntil(sending));
    const now = this.room()!;
    if (now.phase !== "voting" || now.round !== room.round) return this.fail(ws, "voting_closed", "the duel was revealed before your vote arrived");
    this.sql.exec("INSERT OR IGNORE INTO picks (round, seat, choice, vote_id) VALUES (?, ?, ?, ?)", room.round, me.seat, result.choice, result.voteId);
    if (this.everyoneVoted(now.round)) this.revealRound(now);
    this.broadcast();
  }

  /** True when every seat with a live connection has voted on the round. */
  private everyoneVoted(round: number): boolean {
    const live = this.liveSeats();
    if (live.size === 0) return false;
    const voted = new Set(this.sql.exec<{ seat: number }>("SELECT seat FROM picks WHERE round = ?", round).toArray().map((r) => r.seat));
    return [...live].every((s) => voted.has(s));
  }

  private revealRound(room: RoomRow): void {
    this.sql.exec("UPDATE room SET phase = 'revealed', deadline = NULL WHERE round = ?", room.round);
  }

  private async finish(): Promise<void> {
    const results = await this.results();
    this.sql.exec("UPDATE room SET phase = 'ended', deadline = NULL, results = ?", JSON.stringify(results));
    this.broadcast();
  }

  // ---- results ---------------------------------------------------------------------------

  /** The room's own board, who agreed with whom, taste twins, and each member's global cluster. */
  private async results(): Promise<RoomResults> {
    const corpus = await this.env.CORPUS.getByName("main").snapshot();
    const names = new Map(corpus.contenders.map((c) => [c.id, c]));
    const picks = this.sql
      .exec<{ round: number; seat: number; choice: Choice; contender_a: string; contender_b: string }>(
        "SELECT p.round, p.seat, p.choice, r.contender_a, r.contender_b FROM picks p JOIN rounds r ON r.round = p.round ORDER BY p.round, p.seat",
      )
      .toArray();
    const ids = [...new Set(picks.flatMap((p) => [p.contender_a, p.contender_b]))].sort();
    const index = new Map(ids.map((id, i) => [id, i]));
    const outcome = { a: A_WINS, b: B_WINS, tie: TIE, both_bad: BOTH_BAD } as const;
    const fit = fitDavidson(
      ids.length,
      countPairs(ids.length, {
        a: Int32Array.from(picks, (p) => index.get(p.contender_a)!),
        b: Int32Array.from(picks, (p) => index.get(p.contender_b)!),
        y: Uint8Array.from(picks, (p) => outcome[p.choice]),
      }),
      { intervals: false },
    );
    const votes = new Map<string, number>();
    for (const p of picks) for (const c of [p.contender_a, p.contender_b]) votes.set(c, (votes.get(c) ?? 0) + 1);
    const board = ids
      .map((id, i) => ({
        contender: id,
        model: names.get(id)?.model ?? id,
        persona: names.get(id)?.persona ?? "",
        rating: Math.round(toPoints(fit.theta[i]!)),
        votes: votes.get(id) ?? 0,
      }))
      .sort((x, y) => y.rating - x.rating || x.contender.localeCompare(y.contender));
    const seats = this.sql.exec<{ seat: number }>("SELECT seat FROM players ORDER BY seat").toArray().map((r) => r.seat);
    const agreement = agreementMatrix(seats, picks);
    return {
      board,
      seats,
      agreement,
      twins: tasteTwins(seats, agreement),
      clusters: await this.memberClusters(seats),
    };
  }

  /** Each member's most likely cluster in the arena's last fit (from their own Rater object). */
  private async memberClusters(seats: number[]): Promise<RoomResults["clusters"]> {
    const text = await this.env.ARENA.getByName("global").latestModel();
    const out: RoomResults["clusters"] = Object.fromEntries(seats.map((seat) => [String(seat), { id: null, certainty: 0 }]));
    if (!text) return out;
    const model = JSON.parse(text) as TasteModel;
    const raters = new Map(this.sql.exec<{ seat: number; rater: string }>("SELECT seat, rater FROM players").toArray().map((r) => [r.seat, r.rater]));
    await Promise.all(
      seats.map(async (seat) => {
        const stub = this.env.RATER.getByName(raters.get(seat)!);
        const profile = await stub.profile(model.fitId);
        const state = profile.membership ?? (profile.votes > 0 && model.clusters.length > 1 ? await stub.syncTaste(model) : null);
        if (!state || state.membership.length === 0) {
          out[String(seat)] = { id: model.clusters.length === 1 ? model.clusters[0]!.id : null, certainty: model.clusters.length === 1 ? 1 : 0 };
          return;
        }
        let best = 0;
        state.membership.forEach((p, k) => {
          if (p > state.membership[best]!) best = k;
        });
        out[String(seat)] = { id: state.clusters[best] ?? null, certainty: Math.round(state.membership[best]! * 1000) / 1000 };
      }),
    );
    return out;
  }

  // ---- state -------------------------------------------------------------------------------

  private room(): RoomRow | null {
    return this.sql.exec<RoomRow & Record<string, SqlStorageValue>>("SELECT code, host, genre, duels, timer, phase, round, deadline, active_at, results FROM room").toArray()[0] ?? null;
  }

  private seatOf(rater: string): number | null {
    return this.sql.exec<{ seat: number }>("SELECT seat FROM players WHERE rater = ?", rater).toArray()[0]?.seat ?? null;
  }

  private liveSeats(except?: WebSocket): Set<number> {
    const seats = new Set<number>();
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a?.seat !== null && a?.seat !== undefined) seats.add(a.seat);
    }
    return seats;
  }

  /** The room as one connection sees it. */
  private stateFor(ws: WebSocket, closing?: WebSocket): RoomState {
    const shared = this.snapshot(closing);
    return { ...shared.state, you: this.you(ws, shared) };
  }

  /** Everything in the state that is the same for every connection, computed once per broadcast. */
  private snapshot(closing?: WebSocket): { state: Omit<RoomState, "you">; host: string; picks: Map<number, Choice> } {
    const room = this.room()!;
    const live = this.liveSeats(closing);
    const picks = new Map(
      this.sql.exec<{ seat: number; choice: Choice }>("SELECT seat, choice FROM picks WHERE round = ?", room.round).toArray().map((p) => [p.seat, p.choice]),
    );
    const players = this.sql
      .exec<{ seat: number; rater: string; name: string }>("SELECT seat, rater, name FROM players ORDER BY seat")
      .toArray()
      .map((p) => ({ seat: p.seat, name: p.name, host: p.rater === room.host, connected: live.has(p.seat), voted: picks.has(p.seat) }));
    const round = room.round >= 0
      ? this.sql.exec<{ prompt: string; passage_a: string; passage_b: string; contender_a: string; contender_b: string }>(
          "SELECT prompt, passage_a, passage_b, contender_a, contender_b FROM rounds WHERE round = ?",
          room.round,
        ).toArray()[0]
      : undefined;
    const showDuel = round && (room.phase === "voting" || room.phase === "revealed");
    const revealed = round && (room.phase === "revealed" || room.phase === "ended");
    const split = { a: 0, b: 0, tie: 0, both_bad: 0 };
    for (const c of picks.values()) split[c]++;
    const state: Omit<RoomState, "you"> = {
      code: room.code,
      phase: room.phase,
      config: { genre: room.genre, duels: room.duels, timerSeconds: room.timer },
      round: room.round,
      players,
      votes: picks.size,
      deadline: room.phase === "voting" ? room.deadline : null,
      now: Date.now(),
      duel: showDuel ? this.texts(round.prompt, round.passage_a, round.passage_b) : null,
      reveal: revealed
        ? {
            a: this.side(round.contender_a),
            b: this.side(round.contender_b),
            split,
            picks: Object.fromEntries([...picks].map(([seat, c]) => [String(seat), c])),
          }
        : null,
      results: room.results ? (JSON.parse(room.results) as RoomResults) : null,
    };
    return { state, host: room.host, picks };
  }

  private you(ws: WebSocket, shared: { host: string; picks: Map<number, Choice> }): RoomState["you"] {
    const me = ws.deserializeAttachment() as Attachment;
    return { seat: me.seat ?? -1, host: me.rater === shared.host, vote: me.seat !== null ? (shared.picks.get(me.seat) ?? null) : null };
  }

  private textCheckedAt = 0;
  private broadcastPending = false;

  private textCache: { version: number; prompts: Map<string, { id: string; text: string; genre: string }>; passages: Map<string, string>; contenders: Map<string, { model: string; persona: string }> } | null = null;

  private texts(prompt: string, a: string, b: string): RoomState["duel"] {
    const c = this.textCache;
    if (!c) return null;
    const p = c.prompts.get(prompt);
    if (!p) return null;
    return { prompt: p, a: { text: c.passages.get(a) ?? "" }, b: { text: c.passages.get(b) ?? "" } };
  }

  private side(contender: string): { contender: string; model: string; persona: string } {
    const c = this.textCache?.contenders.get(contender);
    return { contender, model: c?.model ?? contender, persona: c?.persona ?? "" };
  }

  /** Loads passage texts for the room's duels (kept in memory; reloaded after an eviction). */
  private async ensureTexts(): Promise<void> {
    // The corpus rarely changes: ask for its version at most every few seconds.
    if (this.textCache && Date.now() - this.textCheckedAt < TEXT_RECHECK_MS) return;
    const version = await this.env.CORPUS.getByName("main").getVersion();
    this.textCheckedAt = Date.now();
    if (this.textCache?.version === version) return;
    const snap = await this.env.CORPUS.getByName("main").snapshot();
    this.textCache = {
      version,
      prompts: new Map(snap.prompts.map((p) => [p.id, p])),
      passages: new Map(snap.passages.map((p) => [p.id, p.text])),
      contenders: new Map(snap.contenders.map((c) => [c.id, c])),
    };
  }

  /**
   * Sends every seated connection its view of the room, a moment later: a burst of votes becomes
   * one broadcast instead of one per vote (O(players) messages, not O(players²)). The shared part
   * is serialised once and only `you` is spliced in per socket.
   */
  private broadcast(_closing?: WebSocket): void {
    if (this.broadcastPending) return;
    this.broadcastPending = true;
    this.ctx.waitUntil(
      new Promise((resolve) => setTimeout(resolve, BROADCAST_DELAY_MS)).then(() => this.ensureTexts()).then(() => {
        this.broadcastPending = false;
        this.sendAll();
      }),
    );
  }

  /** Sends every seated, open connection its state now. */
  private sendAll(): void {
    if (!this.room()) return;
    // Sockets that are closing are no longer OPEN, so they drop out of the live seats here.
    const shared = this.snapshot();
    const head = JSON.stringify({ type: "state", state: shared.state }).slice(0, -2);
    for (const ws of this.ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a?.seat === null || a?.seat === undefined) continue;
      try {
        ws.send(`${head},"you":${JSON.stringify(this.you(ws, shared))}}}`);
      } catch {
        // gone; its close handler tells the others
      }
    }
  }

  private send(ws: WebSocket, message: ServerMessage): void {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      // the socket went away; its close handler tells the others
    }
  }

  private fail(ws: WebSocket, code: string, message: string): void {
    this.send(ws, { type: "error", code, message });
  }

  /** A fixed-window limiter per connection. */
  private allow(ws: WebSocket): boolean {
    const now = Date.now();
    const bucket = this.buckets.get(ws);
    if (!bucket || now - bucket.start >= RATE_LIMIT.windowMs) {
      this.buckets.set(ws, { start: now, count: 1 });
      return true;
    }
    bucket.count++;
    return bucket.count <= RATE_LIMIT.messages;
  }

  /** One alarm for whichever comes first: the duel's deadline or the idle expiry. */
  private async schedule(): Promise<void> {
    const room = this.room();
    if (!room || room.phase === "expired") return;
    const idle = Number(this.env.ROOM_IDLE_MS ?? DEFAULT_IDLE_MS);
    const at = Math.min(room.deadline ?? Infinity, room.active_at + idle);
    await this.ctx.storage.setAlarm(at);
  }
}
