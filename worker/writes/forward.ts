/**
 * Hands the votes this isolate has just seen stored to the Arena, many raters' votes per call.
 * The first vote opens a batch and its request, after a short window, sends everything that
 * joined meanwhile; later votes only join. So under load the Arena takes one call and one commit
 * for many votes, and no request waits on another's I/O. It is the fast path only: the Rater's
 * outbox delivers whatever this misses (a crash, a failed call), and the Arena ignores ids it
 * already holds.
 */
import type { Env } from "../env.js";
import type { LoggedVote } from "../objects/arena.js";

/** Sends one batch to the Arena. */
export type SendVotes = (votes: LoggedVote[]) => Promise<unknown>;

/** How long a batch stays open (ms): longer means fewer, larger calls, and votes later in the fit. */
const WINDOW_MS = 50;

/** Sends a batch to the global Arena's log. */
export function toArena(env: Pick<Env, "ARENA">): SendVotes {
  return (votes) => env.ARENA.getByName("global").ingest(votes);
}

/** Most votes in one call; a full batch closes and the next vote opens another. */
const MAX_BATCH = 200;

/** Batches votes for the Arena within a time window. */
export class VoteForwarder {
  private open: LoggedVote[] | null = null;

  constructor(private readonly windowMs = WINDOW_MS) {}

  /**
   * Adds a vote to the open batch. The vote that opens a batch has its request send it: that
   * request is kept alive on the sending (`keepAlive`, the caller's waitUntil).
   */
  add(vote: LoggedVote, send: SendVotes, keepAlive: (sending: Promise<void>) => void): void {
    if (this.open) {
      this.open.push(vote);
      if (this.open.length >= MAX_BATCH) this.open = null;
      return;
    }
    const batch = [vote];
    this.open = batch;
    keepAlive(this.sendAfterWindow(batch, send));
  }

  /** Waits out the window, closes the batch if it is still open, and sends it. */
  private async sendAfterWindow(batch: LoggedVote[], send: SendVotes): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.windowMs));
    if (this.open === batch) this.open = null;
    try {
      await send(batch);
    } catch {
      // the outbox resends what this missed
    }
  }
}
