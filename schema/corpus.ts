/**
 * Import lines (NDJSON, one object a line) for `POST /api/admin/import`, and the corpus records
 * they become. The demo corpus in `schema/demo/` is written in the same lines.
 */
import { z } from "zod";
import { Genre, Id } from "./api.js";

export const PromptLine = z.strictObject({
  kind: z.literal("prompt"),
  id: Id,
  text: z.string().min(1).max(2000),
  genre: Genre,
});

export const ContenderLine = z.strictObject({
  kind: z.literal("contender"),
  id: Id,
  model: z.string().min(1).max(80),
  persona: z.string().min(1).max(80),
  personaPrompt: z.string().max(4000).optional(),
});

export const PassageLine = z.strictObject({
  kind: z.literal("passage"),
  id: Id,
  prompt: Id,
  contender: Id,
  text: z.string().min(1).max(20_000),
  origin: z.enum(["generated", "imported", "demo"]).optional(),
});

export const VoteLine = z.strictObject({
  kind: z.literal("vote"),
  /** optional; without it the vote's id is derived from its content and order, so re-imports do not double count */
  id: Id.optional(),
  rater: Id,
  a: Id,
  b: Id,
  winner: z.enum(["a", "b", "tie", "both_bad"]),
  prompt: Id.optional(),
  at: z.union([z.string().datetime({ offset: true }), z.number().int().min(0)]).optional(),
});

export const ImportLine = z.discriminatedUnion("kind", [PromptLine, ContenderLine, PassageLine, VoteLine]);
export type ImportLine = z.infer<typeof ImportLine>;
export type PromptLine = z.infer<typeof PromptLine>;
export type ContenderLine = z.infer<typeof ContenderLine>;
export type PassageLine = z.infer<typeof PassageLine>;
export type VoteLine = z.infer<typeof VoteLine>;

/** A prompt as the arena keeps it. */
export interface Prompt {
  id: string;
  text: string;
  genre: string;
}

/** A contender (model x persona) as the arena keeps it. */
export interface Contender {
  id: string;
  model: string;
  persona: string;
  personaPrompt: string | null;
}

/** A passage as the arena keeps it; `voided` names why it is kept out of duels. */
export interface Passage {
  id: string;
  prompt: string;
  contender: string;
  text: string;
  words: number;
  origin: "generated" | "imported" | "demo";
  voided: string | null;
}

/** Everything the Worker needs to serve duels, cached by `version`. */
export interface CorpusSnapshot {
  version: number;
  prompts: Prompt[];
  contenders: Contender[];
  passages: Passage[];
}
