/**
 * Vote lines from other systems (contender-level votes by their own rater ids): validated against
 * the corpus and given deterministic ids, so importing the same file twice counts each vote once.
 */
import type { VoteLine } from "../../schema/corpus.js";
import type { LoggedVote } from "../objects/arena.js";

/** FNV-1a over a string with a seed, as an unsigned 32-bit number. */
function fnv(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Turns validated vote lines into log entries, numbering repeats of identical lines. */
export class VoteImporter {
  private readonly seen = new Map<string, number>();
  private contenders: ReadonlySet<string> = new Set();
  private prompts: ReadonlySet<string> = new Set();

  constructor(private readonly now: number) {}

  /** Sets the contenders and prompts votes may name (after the corpus changed). */
  useCorpus(contenders: ReadonlySet<string>, prompts: ReadonlySet<string>): void {
    this.contenders = contenders;
    this.prompts = prompts;
  }

  /** A log entry for the line, or the reason it is refused. */
  accept(line: VoteLine): LoggedVote | string {
    if (line.a === line.b) return "a and b must be different contenders";
    if (!this.contenders.has(line.a)) return `unknown contender "${line.a}"`;
    if (!this.contenders.has(line.b)) return `unknown contender "${line.b}"`;
    if (line.prompt !== undefined && !this.prompts.has(line.prompt)) return `unknown prompt "${line.prompt}"`;
    const at = line.at === undefined ? null : typeof line.at === "number" ? line.at : Date.parse(line.at);
    let id = line.id;
    if (!id) {
      const key = [line.rater, line.a, line.b, line.winner, line.prompt ?? "", at ?? ""].join("\u0000");
      const hash = fnv(key, 0).toString(16).padStart(8, "0") + fnv(key, 0x5bd1e995).toString(16).padStart(8, "0");
      const n = (this.seen.get(hash) ?? 0) + 1;
      this.seen.set(hash, n);
      id = `i-${hash}-${n}`;
    }
    return {
      id,
      rater: line.rater,
      prompt: line.prompt ?? null,
      a: line.a,
      b: line.b,
      winner: line.winner,
      readMs: null,
      reasons: "[]",
      at: at ?? this.now,
      source: "import",
    };
  }
}
