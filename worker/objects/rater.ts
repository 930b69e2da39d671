/**
 * Rater: one Durable Object per rater. It is the whole per-vote hot path: it serves the rater's
 * duels, stores their votes durably before anyone is told, keeps their personal board, and hands
 * votes to the Arena through an outbox that an alarm flushes (at-least-once; the Arena dedupes).
 * Whoever asked for the vote also hands it to the Arena at once (`logged` in the answer), many
 * votes per call; the outbox is the guarantee behind that fast path, so its alarm can wait.
 *
 * A vote is the hot path, and each statement and each row written has a cost (rows written are
 * billed on Cloudflare), so a vote is one insert: the vote row and its key, two rows in all. It is
 * also the outbox entry (a mark holds the last rowid the Arena has) and the personal board's input:
 * the board is a checkpoint the alarm writes, replayed forward from the votes when it is read. The
 * cluster totals are kept in memory only, since they follow from the votes (`syncTaste`). Storage
 * changes only through this object, so what it reads again and again (its name, recent duels and
 * the votes on them, the board, the passages seen, whether a flush alarm is armed) stays in memory.
 */
import { DurableObject } from "cloudflare:workers";
import type { Choice, ReasonTag } from "../../schema/api.js";
import { raterMigrations } from "../../schema/migrations/rater.js";
import { type DuelIndex, type SelectionModel, pickDuel } from "../corpus/duels.js";
import type { Env } from "../env.js";
import { outcomeLogProb } from "../ratings/deviation.js";
import { PERSONAL_TAU, type PersonalRow, applyVote } from "../ratings/personal.js";
import { type TasteModel, type TastePlace, type TasteSpaceModel, placeInSpace } from "../ratings/posterior.js";
import type { LoggedVote } from "./arena.js";
import { OnceAlarm, durationVar } from "./alarm.js";
import { migrate } from "./migrate.js";

/** A duel as served: which passages, by whom, on which prompt. */
export interface ServedDuel {
  duelId: string;
  prompt: string;
  a: { id: string; contender: string };
  b: { id: string; contender: string };
  issuedAt: number;
  repeat: boolean;
}

/**
 * What the Worker knows from the published fit about the two contenders of a vote: enough to
 * start their personal ratings at the rater's prediction and to add the vote to the rater's
 * running cluster log-likelihoods, without this object reading the whole fit.
 */
export interface TasteHint {
  fitId: number;
  clusters: string[];
  shares: number[];
  eta: number[];
  /** strength of the duel's contender A (and B) in each cluster, logits */
  thetaA: number[];
  thetaB: number[];
  globalA: number;
  globalB: number;
  /** σ a new personal rating starts with */
  tau: number;
}

/** The published fit's view of what makes a duel informative (see worker/corpus/duels.ts). */
export interface SelectionHint {
  fitId: number;
  contenders: string[];
  clusters: { id: string; share: number; theta: number[]; eta: number }[];
  /** variance of each contender's global strength */
  variance: number[];
}

export interface CastVote {
  duelId: string;
  passageA: string;
  passageB: string;
  choice: Choice;
  readMs?: number;
  reasons?: ReasonTag[];
  taste: TasteHint | null;
  /** the live room the vote was cast in, if any */
  room?: string;
  /** the least time (ms) the two passages take to read; a vote sooner after the duel was served is flagged */
  minReadMs?: number;
}

/** A vote cast in a live room: the room chose the duel for everyone, this rater chose a side. */
export interface RoomVote {
  rater: string;
  room: string;
  round: number;
  prompt: string;
  a: { id: string; contender: string };
  b: { id: string; contender: string };
  choice: Choice;
  readMs?: number;
}

/** Cluster membership under one published fit; null while it must be re-synced. */
export interface MembershipState {
  fitId: number;
  clusters: string[];
  membership: number[];
}

export type CastResult =
  | {
      ok: true;
      voteId: string;
      duplicate: boolean;
      flagged: boolean;
      choice: Choice;
      contenderA: string;
      contenderB: string;
      prompt: string;
      membership: MembershipState | null;
      /** a new vote as the Arena logs it, for the caller to hand on at once (the outbox follows) */
      logged?: LoggedVote;
    }
  | { ok: false; status: 404 | 409; code: string; message: string };

/** Running totals behind the membership: log-likelihood of all votes under each cluster. */
interface TasteTotals {
  fitId: number;
  clusters: string[];
  shares: number[];
  totals: number[];
}

/** How many outbox votes one alarm hands to the Arena at a time. */
const OUTBOX_BATCH = 500;
/**
 * How long a vote waits in the outbox before the alarm checks it reached the Arena (the
 * `OUTBOX_DELAY_MS` var). The caller's fast path normally got it there already; the alarm is the
 * guarantee, and waiting lets one alarm cover a rater's whole session (an alarm per vote costs
 * about as much as the vote itself). Only when the fast path failed does a vote wait this long.
 */
const DEFAULT_OUTBOX_DELAY_MS = 5 * 60_000;

/**
 * How many votes past the board's checkpoint make the alarm store it again. Reading the board
 * replays the votes since; a hundred take well under a millisecond, and storing less often keeps
 * the rows written per vote near the vote's own two.
 */
const BOARD_CHECKPOINT_VOTES = 100;

/** Recent duels kept in memory per rater object. */
const RECENT_DUELS = 64;

/** A served duel and the vote on it (null columns before the vote). */
type DuelRow = {
  prompt: string;
  passage_a: string;
  passage_b: string;
  contender_a: string;
  contender_b: string;
  issued_at: number;
  vote_id: string | null;
  prior_choice: Choice | null;
  prior_flagged: number | null;
};

/**
 * The corpus's duel index, shared by every Rater in this isolate: it is the same for all raters,
 * and a copy per object would grow the isolate's memory (and its garbage collector's work) with
 * the number of raters it holds. Plain data, replaced whole when the corpus version moves.
 */
let sharedIndex: DuelIndex | null = null;

/** The personal board as far as vote `through` (a rowid), and what changed since the last checkpoint. */
interface Board {
  through: number;
  rows: Map<string, PersonalRow>;
  dirty: Set<string>;
}

/** A vote row as the outbox reads it. */
type VoteRow = {
  id: string;
  prompt: string;
  contender_a: string;
  contender_b: string;
  choice: Choice;
  read_ms: number | null;
  reasons: string;
  at: number;
  passage_a: string | null;
  passage_b: string | null;
  room: string | null;
  flagged: number;
};

/** A vote row as the Arena logs it. */
function toLogged(rater: string, v: VoteRow): LoggedVote {
  return {
    id: v.id,
    rater,
    prompt: v.prompt,
    a: v.contender_a,
    b: v.contender_b,
    winner: v.choice,
    readMs: v.read_ms,
    reasons: v.reasons,
    at: v.at,
    passageA: v.passage_a,
    passageB: v.passage_b,
    room: v.room,
    flagged: v.flagged === 1,
  };
}

export class Rater extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private selectionIndex: { fitId: number; index: Map<string, number> } | null = null;
  /**
   * The running cluster totals under one published fit. Memory only: a new instance starts
   * without them, and the Worker's `syncTaste` recomputes them from the votes.
   */
  private taste: TasteTotals | null = null;
  /** The rater's name as stored under "rater" (undefined: not read yet). */
  private name: string | undefined;
  /** The outbox alarm, set by the first vote after each run. */
  private readonly outboxAlarm: OnceAlarm;
  /**
   * Duels this instance served or read lately, with the vote on each once cast. Storage changes
   * only through this instance, so memory cannot go stale; a restart simply starts it empty.
   */
  private readonly recentDuels = new Map<string, DuelRow>();
  /** The personal board, caught up with the votes when read (null: not read yet). */
  private board: Board | null = null;
  /** When each passage was last shown to this rater, as stored in `seen` (null: not read yet). */
  private seen: Map<string, number> | null = null;
  /** True once this instance has checked, on first contact, that waiting votes have an alarm. */
  private outboxChecked = false;
  /** Fault injection for tests: a point named here throws once there, as a crash would. */
  readonly faults = new Set<string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.outboxAlarm = new OnceAlarm(ctx.storage);
    ctx.blockConcurrencyWhile(async () => migrate(this.sql, raterMigrations));
  }

  /**
   * Alarm: hand outbox votes to the Arena, then checkpoint the personal board once enough votes
   * lie past it. A throw makes the runtime retry with backoff.
   */
  async alarm(): Promise<void> {
    // Votes cast while this runs arm a new alarm, which the runtime keeps after this one ends.
    this.outboxAlarm.running();
    await this.flushOutbox();
    this.checkpointBoard(BOARD_CHECKPOINT_VOTES);
  }

  /**
   * Re-arms the outbox alarm when votes wait and no alarm is set (say, after a crash lost it), so
   * the first contact with the rater after a restart gets their votes moving again.
   */
  private async keepOutboxMoving(): Promise<void> {
    if (this.outboxChecked) return;
    this.outboxChecked = true;
    if (this.pendingVotes() > 0) await this.scheduleFlush();
  }

  /** This rater's name (stored by the first duel or room vote; the object's id before that). */
  private raterName(): string {
    return this.storedName() ?? this.ctx.id.name ?? this.ctx.id.toString();
  }

  /** Stores the rater's name once: it travels with the votes, and alarms do not always know it. */
  private remember(rater: string): void {
    if (this.storedName() !== undefined) return;
    this.ctx.storage.kv.put("rater", rater);
    this.name = rater;
  }

  /** The name as stored under "rater", read once per instance. */
  private storedName(): string | undefined {
    if (this.name === undefined) this.name = this.ctx.storage.kv.get<string>("rater");
    return this.name;
  }

  /** Serves rater `rater` (this object's own name) a duel within `genre`; null when the genre has none. */
  async serveDuel(rater: string, genre: string | undefined, corpusVersion: number, selection: SelectionHint | null = null): Promise<ServedDuel | null> {
    this.remember(rater);
    const index = await this.duelIndex(corpusVersion);
    await this.keepOutboxMoving();
    const pick = pickDuel(index, this.seenPassages(), Math.random, genre, this.selectionModel(selection));
    if (!pick) return null;
    const duelId = `d-${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
    const now = Date.now();
    this.sql.exec(
      "INSERT INTO duels (id, prompt, passage_a, passage_b, contender_a, contender_b, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      duelId,
      pick.prompt,
      pick.a.id,
      pick.b.id,
      pick.a.contender,
      pick.b.contender,
      now,
    );
    this.markSeen(pick.a.id, pick.b.id, now);
    this.rememberDuel(duelId, {
      prompt: pick.prompt,
      passage_a: pick.a.id,
      passage_b: pick.b.id,
      contender_a: pick.a.contender,
      contender_b: pick.b.contender,
      issued_at: now,
      vote_id: null,
      prior_choice: null,
      prior_flagged: null,
    });
    return { duelId, prompt: pick.prompt, a: pick.a, b: pick.b, issuedAt: now, repeat: pick.repeat };
  }

  /**
   * Records a vote on a served duel. The same duel again answers the first vote unchanged, so a
   * retried request never counts twice. Durable before it returns: the output gate holds the
   * answer until the write is stored.
   */
  async castVote(v: CastVote): Promise<CastResult> {
    // The duel and any vote already cast on it, in one read (votes.duel is unique).
    const duel = this.duel(v.duelId);
    if (!duel || duel.passage_a !== v.passageA || duel.passage_b !== v.passageB) {
      return { ok: false, status: 404, code: "unknown_duel", message: "this duel was not served to you" };
    }
    const base = { contenderA: duel.contender_a, contenderB: duel.contender_b, prompt: duel.prompt };
    const totals = this.totalsFor(v.taste?.fitId);
    if (duel.vote_id) {
      return { ok: true, voteId: duel.vote_id, duplicate: true, flagged: duel.prior_flagged === 1, choice: duel.prior_choice!, ...base, membership: membershipOf(totals) };
    }
    const now = Date.now();
    // Timed by the server, from serving the duel to the vote: the client's readMs cannot lie here.
    const flagged = v.minReadMs !== undefined && now - duel.issued_at < v.minReadMs;
    const row: VoteRow = {
      id: voteIdOf(v.duelId),
      prompt: duel.prompt,
      contender_a: duel.contender_a,
      contender_b: duel.contender_b,
      choice: v.choice,
      read_ms: v.readMs ?? null,
      reasons: JSON.stringify(v.reasons ?? []),
      at: now,
      passage_a: duel.passage_a,
      passage_b: duel.passage_b,
      room: v.room ?? null,
      flagged: flagged ? 1 : 0,
    };
    const priors = startingPoints(v.taste, totals);
    // The one write: the vote row is also its outbox entry and the board's input.
    this.sql.exec(
      `INSERT INTO votes (id, duel, prompt, contender_a, contender_b, choice, read_ms, reasons, at, room, flagged, passage_a, passage_b, prior_a, prior_b, prior_sigma)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      v.duelId,
      row.prompt,
      row.contender_a,
      row.contender_b,
      row.choice,
      row.read_ms,
      row.reasons,
      row.at,
      row.room,
      row.flagged,
      row.passage_a,
      row.passage_b,
      priors.a,
      priors.b,
      priors.sigma,
    );
    // A flagged vote is kept, but like the fits, the rater's own board and cluster ignore it.
    let next = totals;
    if (!flagged && totals && v.taste) {
      // The online layer: this vote's log-likelihood under each published cluster.
      const y = v.choice === "a" ? 0 : v.choice === "b" ? 1 : 2;
      const taste = v.taste;
      next = { ...totals, totals: totals.totals.map((t, k) => t + outcomeLogProb(taste.thetaA[k]! - taste.thetaB[k]!, taste.eta[k]!, y)) };
      this.taste = next;
    }
    duel.vote_id = row.id;
    duel.prior_choice = row.choice;
    duel.prior_flagged = row.flagged;
    await this.scheduleFlush();
    return {
      ok: true,
      voteId: row.id,
      duplicate: false,
      flagged,
      choice: v.choice,
      ...base,
      membership: membershipOf(next),
      logged: toLogged(this.raterName(), row),
    };
  }

  /**
   * Takes a vote cast in a live room as an ordinary vote of this rater: the room's duel is served
   * here once per room and round (so a resent vote is the same vote), then
   * it goes through castVote: stored, counted once, queued in the outbox, tagged with the room.
   */
  async roomVote(v: RoomVote): Promise<CastResult> {
    this.remember(v.rater);
    // One duel per room round for this rater, with a random id like any duel (vote ids are
    // global and public, so they must not repeat across raters nor say who voted).
    const key = `room:${v.room}:${v.round}`;
    let duelId = this.ctx.storage.kv.get<string>(key);
    const now = Date.now();
    if (!duelId) {
      duelId = `d-${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
      this.ctx.storage.kv.put(key, duelId);
      this.sql.exec(
        "INSERT INTO duels (id, prompt, passage_a, passage_b, contender_a, contender_b, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        duelId,
        v.prompt,
        v.a.id,
        v.b.id,
        v.a.contender,
        v.b.contender,
        now,
      );
    }
    this.markSeen(v.a.id, v.b.id, now);
    return this.castVote({ duelId, passageA: v.a.id, passageB: v.b.id, choice: v.choice, readMs: v.readMs, taste: null, room: v.room });
  }

  /**
   * Recomputes the running cluster totals from all of this rater's votes under a newly published
   * model (once per fit, when the Worker finds this object's totals stale).
   */
  syncTaste(model: TasteModel): MembershipState {
    const index = new Map(model.contenders.map((id, i) => [id, i]));
    const totals = model.clusters.map(() => 0);
    for (const row of this.sql.exec<{ contender_a: string; contender_b: string; choice: Choice }>("SELECT contender_a, contender_b, choice FROM votes WHERE flagged = 0")) {
      const a = index.get(row.contender_a);
      const b = index.get(row.contender_b);
      if (a === undefined || b === undefined) continue;
      const y = row.choice === "a" ? 0 : row.choice === "b" ? 1 : 2;
      model.clusters.forEach((c, k) => (totals[k]! += outcomeLogProb(c.theta[a]! - c.theta[b]!, c.eta, y)));
    }
    const state: TasteTotals = { fitId: model.fitId, clusters: model.clusters.map((c) => c.id), shares: model.clusters.map((c) => c.share), totals };
    this.taste = state;
    return membershipOf(state)!;
  }

  /**
   * The rater's vote count, personal board (judged contenders only), membership under `fitId`,
   * and, given the fit's taste space, their place in it from all their counted votes.
   */
  async profile(fitId?: number, space?: { model: TasteSpaceModel; contenders: string[] } | null): Promise<{ votes: number; rows: PersonalRow[]; membership: MembershipState | null; place: TastePlace | null }> {
    await this.keepOutboxMoving();
    const votes = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM votes").one().n;
    const rows = [...this.personalBoard().rows.values()];
    return { votes, rows, membership: membershipOf(this.totalsFor(fitId)), place: space ? this.placeIn(space.model, space.contenders) : null };
  }

  /** This rater's place in a taste space, from their counted votes (null without any). */
  private placeIn(space: TasteSpaceModel, contenders: string[]): TastePlace | null {
    const index = new Map(contenders.map((id, i) => [id, i]));
    const a: number[] = [];
    const b: number[] = [];
    const y: number[] = [];
    for (const row of this.sql.exec<{ contender_a: string; contender_b: string; choice: Choice }>("SELECT contender_a, contender_b, choice FROM votes WHERE flagged = 0")) {
      const ia = index.get(row.contender_a);
      const ib = index.get(row.contender_b);
      if (ia === undefined || ib === undefined || ia === ib) continue;
      a.push(ia);
      b.push(ib);
      y.push(row.choice === "a" ? 0 : row.choice === "b" ? 1 : 2);
    }
    if (a.length === 0) return null;
    const place = placeInSpace(space, contenders.length, a, b, y);
    return { vector: place.vector, sd: place.vectorSd, x: place.x, y: place.y };
  }

  /** Votes still waiting in the outbox (for tests and health checks). */
  pendingVotes(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM votes WHERE rowid > ?", this.mark("sent")).one().n;
  }

  /** Sends outbox votes to the Arena until the outbox is empty. Safe to run twice. */
  async flushOutbox(): Promise<number> {
    const rater = this.raterName();
    let sent = 0;
    for (;;) {
      const batch = this.sql
        .exec<VoteRow & { seq: number }>(
          `SELECT rowid AS seq, id, prompt, contender_a, contender_b, choice, read_ms, reasons, at, passage_a, passage_b, room, flagged
           FROM votes WHERE rowid > ? ORDER BY rowid LIMIT ?`,
          this.mark("sent"),
          OUTBOX_BATCH,
        )
        .toArray();
      if (batch.length === 0) return sent;
      await this.env.ARENA.getByName("global").ingest(batch.map((v) => toLogged(rater, v)));
      this.injectedFault("rater-after-send");
      // Only after the Arena has them: if we die in between, the next alarm resends, and the
      // Arena ignores ids it already holds. Votes cast meanwhile have larger rowids and stay.
      this.setMark("sent", batch[batch.length - 1]!.seq);
      sent += batch.length;
      if (batch.length < OUTBOX_BATCH) return sent;
    }
  }

  /** The last vote rowid the outbox sent ("sent") or the board checkpoint holds ("board"). */
  private mark(name: "sent" | "board"): number {
    return this.sql.exec<{ through: number }>("SELECT through FROM marks WHERE name = ?", name).one().through;
  }

  /** Moves a mark forward (never back: two flushes may overlap). */
  private setMark(name: "sent" | "board", through: number): void {
    this.sql.exec("UPDATE marks SET through = max(through, ?) WHERE name = ?", through, name);
  }

  /** Fault injection for tests: a point armed in `faults` throws once, as a crash there would. */
  private injectedFault(point: string): void {
    if (this.faults.delete(point)) throw new Error(`injected fault at ${point}`);
  }

  /** A served duel with the vote on it, if any: from memory for recent duels, else from storage. */
  private duel(id: string): DuelRow | undefined {
    const known = this.recentDuels.get(id);
    if (known) return known;
    const row = this.sql
      .exec<DuelRow>(
        `SELECT d.prompt, d.passage_a, d.passage_b, d.contender_a, d.contender_b, d.issued_at,
                v.id AS vote_id, v.choice AS prior_choice, v.flagged AS prior_flagged
         FROM duels d LEFT JOIN votes v ON v.id = ? WHERE d.id = ?`,
        voteIdOf(id),
        id,
      )
      .toArray()[0];
    if (row) this.rememberDuel(id, row);
    return row;
  }

  /** Keeps a duel in memory (the most recent RECENT_DUELS), so the vote on it skips a read. */
  private rememberDuel(id: string, row: DuelRow): void {
    this.recentDuels.set(id, row);
    if (this.recentDuels.size > RECENT_DUELS) this.recentDuels.delete(this.recentDuels.keys().next().value!);
  }

  /** When each passage was last shown to this rater (read from storage once per instance). */
  private seenPassages(): Map<string, number> {
    if (!this.seen) {
      this.seen = new Map();
      for (const row of this.sql.exec<{ passage: string; at: number }>("SELECT passage, at FROM seen")) this.seen.set(row.passage, row.at);
    }
    return this.seen;
  }

  /** Records that passages `a` and `b` were shown at `at`, in storage and in memory. */
  private markSeen(a: string, b: string, at: number): void {
    const seen = this.seenPassages();
    this.sql.exec("INSERT INTO seen (passage, at) VALUES (?, ?), (?, ?) ON CONFLICT(passage) DO UPDATE SET at = excluded.at", a, at, b, at);
    seen.set(a, at);
    seen.set(b, at);
  }

  /** Arms the outbox alarm unless it is armed already. */
  private scheduleFlush(): Promise<void> {
    return this.outboxAlarm.arm(durationVar(this.env.OUTBOX_DELAY_MS, DEFAULT_OUTBOX_DELAY_MS));
  }

  /** The running totals if they belong to fit `fitId`, else null. */
  private totalsFor(fitId: number | undefined): TasteTotals | null {
    const state = this.taste;
    return state && fitId !== undefined && state.fitId === fitId ? state : null;
  }

  /** The personal board caught up with every vote: the checkpoint, then the votes after it. */
  private personalBoard(): Board {
    if (!this.board) {
      const rows = new Map<string, PersonalRow>();
      for (const r of this.sql.exec<{ contender: string; mu: number; sigma: number; votes: number; wins: number; ties: number; both_bad: number }>(
        "SELECT contender, mu, sigma, votes, wins, ties, both_bad FROM ratings",
      )) {
        rows.set(r.contender, { contender: r.contender, mu: r.mu, sigma: r.sigma, votes: r.votes, wins: r.wins, ties: r.ties, bothBad: r.both_bad });
      }
      this.board = { through: this.mark("board"), rows, dirty: new Set() };
    }
    const board = this.board;
    type Row = { seq: number; contender_a: string; contender_b: string; choice: Choice; flagged: number; prior_a: number | null; prior_b: number | null; prior_sigma: number | null };
    for (const v of this.sql.exec<Row>(
      "SELECT rowid AS seq, contender_a, contender_b, choice, flagged, prior_a, prior_b, prior_sigma FROM votes WHERE rowid > ? ORDER BY rowid",
      board.through,
    )) {
      board.through = v.seq;
      if (v.flagged === 1) continue;
      const moved = applyVote(board.rows, {
        a: v.contender_a,
        b: v.contender_b,
        choice: v.choice,
        priorA: v.prior_a ?? 0,
        priorB: v.prior_b ?? 0,
        priorSigma: v.prior_sigma ?? PERSONAL_TAU,
      });
      for (const contender of moved) board.dirty.add(contender);
    }
    return board;
  }

  /**
   * Stores the board as far as it is caught up, so later reads replay only newer votes; only when
   * at least `minVotes` votes lie past the stored checkpoint (rowids have no gaps: votes are never
   * deleted).
   */
  checkpointBoard(minVotes = 0): void {
    const last = this.sql.exec<{ n: number | null }>("SELECT max(rowid) AS n FROM votes").one().n ?? 0;
    if (last - this.mark("board") < Math.max(minVotes, 1)) return;
    const board = this.personalBoard();
    this.ctx.storage.transactionSync(() => {
      for (const contender of board.dirty) {
        const r = board.rows.get(contender)!;
        this.sql.exec(
          `INSERT INTO ratings (contender, mu, sigma, votes, wins, ties, both_bad) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(contender) DO UPDATE SET mu = excluded.mu, sigma = excluded.sigma, votes = excluded.votes,
             wins = excluded.wins, ties = excluded.ties, both_bad = excluded.both_bad`,
          contender,
          r.mu,
          r.sigma,
          r.votes,
          r.wins,
          r.ties,
          r.bothBad,
        );
      }
      this.setMark("board", board.through);
    });
    board.dirty.clear();
  }

  /** The selection model for this rater: the fit's clusters with this rater's current membership. */
  private selectionModel(hint: SelectionHint | null): SelectionModel | null {
    if (!hint) return null;
    if (this.selectionIndex?.fitId !== hint.fitId) {
      this.selectionIndex = { fitId: hint.fitId, index: new Map(hint.contenders.map((c, i) => [c, i])) };
    }
    const membership = membershipOf(this.totalsFor(hint.fitId))?.membership ?? hint.clusters.map((c) => c.share);
    return { index: this.selectionIndex.index, clusters: hint.clusters, membership, variance: hint.variance };
  }

  /** The corpus's duel index, re-read from the Corpus object only when its version moved. */
  private async duelIndex(version: number): Promise<DuelIndex> {
    // Each object fetches for itself (a promise is never shared across objects' I/O contexts).
    if (sharedIndex?.version !== version) sharedIndex = await this.env.CORPUS.getByName("main").duelIndex();
    return sharedIndex;
  }
}

/** Membership probabilities from running totals: softmax of log share + log-likelihood. */
function membershipOf(t: TasteTotals | null): MembershipState | null {
  if (!t) return null;
  const logs = t.totals.map((x, k) => Math.log(Math.max(t.shares[k]!, 1e-300)) + x);
  const max = Math.max(...logs);
  const w = logs.map((l) => Math.exp(l - max));
  const z = w.reduce((s, x) => s + x, 0);
  return { fitId: t.fitId, clusters: t.clusters, membership: w.map((x) => x / z) };
}

/** A vote's id, from its duel's: so the votes table's key is also the one-vote-per-duel rule. */
function voteIdOf(duelId: string): string {
  return `v-${duelId.slice(2)}`;
}

/**
 * Where the vote's two contenders start on the rater's board if new to it: the rater's predicted
 * strength (their membership over the clusters, else the global fit) with σ = τ; 0 without a fit.
 */
function startingPoints(taste: TasteHint | null, totals: TasteTotals | null): { a: number; b: number; sigma: number } {
  const sigma = taste?.tau && taste.tau > 0 ? taste.tau : PERSONAL_TAU;
  if (!taste) return { a: 0, b: 0, sigma };
  const membership = membershipOf(totals)?.membership;
  if (!membership) return { a: taste.globalA, b: taste.globalB, sigma };
  const predict = (thetas: number[]) => membership.reduce((s, p, k) => s + p * thetas[k]!, 0);
  return { a: predict(taste.thetaA), b: predict(taste.thetaB), sigma };
}
