/**
 * The vote export's formats, as pure functions of a page of rows: JSON objects, JSON lines,
 * RFC 4180 CSV, and the column layout of LMArena's public battle releases.
 */
import type { VoteRow } from "../../schema/api.js";

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = ["id", "rater", "prompt", "genre", "prompt_text", "a", "b", "winner", "read_ms", "reasons", "at", "source", "cluster", "room", "flagged"] as const;

/** One CSV field, quoted when it holds a comma, quote, or line break (RFC 4180). */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line (CRLF-terminated, as RFC 4180 asks). */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

/** One vote as a CSV record. */
export function csvRecord(v: VoteRow): string {
  const fields = [v.id, v.rater, v.prompt, v.genre, v.promptText, v.a, v.b, v.winner, v.readMs, v.reasons.join(";"), v.at, v.source, v.cluster, v.room, v.flagged ? 1 : 0];
  return `${fields.map(csvField).join(",")}\r\n`;
}

const ARENA_WINNER = { a: "model_a", b: "model_b", tie: "tie", both_bad: "tie (bothbad)" } as const;

/** One vote as an LMArena-style battle (model_a/model_b are contender ids). */
export function arenaBattle(v: VoteRow, persona: (contender: string) => string) {
  return {
    question_id: v.id,
    model_a: v.a,
    model_b: v.b,
    winner: ARENA_WINNER[v.winner],
    judge: v.rater,
    tstamp: Date.parse(v.at) / 1000,
    anony: true as const,
    persona_a: persona(v.a),
    persona_b: persona(v.b),
    prompt_id: v.prompt,
    read_ms: v.readMs,
    cluster: v.cluster,
  };
}

/** Encodes a page cursor (the last sequence number served) as an opaque token. */
export function encodeCursor(seq: number): string {
  return btoa(`v1:${seq}`).replace(/=+$/, "");
}

/** Decodes a page cursor; null when it is not one of ours. */
export function decodeCursor(token: string): number | null {
  try {
    const m = /^v1:(\d{1,15})$/.exec(atob(token));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
