/**
 * Live rooms: the HTTP bodies to create one and the WebSocket messages both ways, shared by the
 * Room object, the pages and any client. Every incoming message is validated against
 * `ClientMessage`; a bad one gets an `error` message back, never a dropped connection.
 */
import { z } from "zod";
import { Choice, Genre, Id } from "./api.js";

/** Join codes: 6 letters and digits without look-alikes (no 0/O, 1/I/L). */
export const RoomCode = z.string().regex(/^[A-HJKMNP-Z2-9]{6}$/, "a room code is 6 letters or digits, e.g. K7MPQ2");
export type RoomCode = z.infer<typeof RoomCode>;

export const CreateRoom = z.strictObject({
  genre: Genre.optional().meta({ description: "draw prompts from this genre (any when absent)" }),
  duels: z.number().int().min(1).max(20).default(5),
  timerSeconds: z.number().int().min(10).max(600).nullable().default(null).meta({ description: "reveal automatically after this long" }),
});
export type CreateRoom = z.infer<typeof CreateRoom>;

export const RoomCreated = z.object({
  code: RoomCode,
  joinUrl: z.string(),
  hostUrl: z.string(),
  qrSvg: z.string().meta({ description: "an SVG QR code of joinUrl, for a projector" }),
});
export type RoomCreated = z.infer<typeof RoomCreated>;

/** A display name: 1–32 characters, no markup or control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[^<>&"`\p{Cc}]+$/u, "names cannot contain < > & \" ` or control characters");

export const ClientMessage = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("hello"), name: DisplayName.optional() }),
  z.strictObject({ type: z.literal("vote"), choice: Choice, readMs: z.number().int().min(0).max(86_400_000).optional() }),
  z.strictObject({ type: z.literal("start") }),
  z.strictObject({ type: z.literal("reveal") }),
  z.strictObject({ type: z.literal("next") }),
  z.strictObject({ type: z.literal("end") }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const RoomPhase = z.enum(["lobby", "voting", "revealed", "ended", "expired"]);
export type RoomPhase = z.infer<typeof RoomPhase>;

export const Player = z.object({
  seat: z.number().int(),
  name: z.string(),
  host: z.boolean(),
  connected: z.boolean(),
  /** whether they have voted on the current duel (never how, until the reveal) */
  voted: z.boolean(),
});

const Side = z.object({ contender: Id, model: z.string(), persona: z.string() });

export const Reveal = z.object({
  a: Side,
  b: Side,
  split: z.object({ a: z.number().int(), b: z.number().int(), tie: z.number().int(), both_bad: z.number().int() }),
  /** each seat's pick */
  picks: z.record(z.string(), Choice),
});

export const RoomResults = z.object({
  /** the room's own Davidson-BT board over the contenders it saw, best first */
  board: z.array(z.object({ contender: Id, model: z.string(), persona: z.string(), rating: z.number(), votes: z.number().int() })),
  /** agreement[i][j]: share of duels both seats voted on where they chose the same; null when none */
  seats: z.array(z.number().int()),
  agreement: z.array(z.array(z.number().nullable())),
  /** each seat's taste twin: the other seat that agreed with them most */
  twins: z.record(z.string(), z.object({ seat: z.number().int(), agreement: z.number() }).nullable()),
  /** each seat's most likely global taste cluster, when the arena has clusters */
  clusters: z.record(z.string(), z.object({ id: z.string().nullable(), certainty: z.number() })),
});
export type RoomResults = z.infer<typeof RoomResults>;

export const RoomState = z.object({
  code: RoomCode,
  phase: RoomPhase,
  config: z.object({ genre: z.string().nullable(), duels: z.number().int(), timerSeconds: z.number().int().nullable() }),
  /** 0-based index of the current duel; -1 in the lobby */
  round: z.number().int(),
  players: z.array(Player),
  you: z.object({ seat: z.number().int(), host: z.boolean(), vote: Choice.nullable() }),
  votes: z.number().int().meta({ description: "how many have voted on the current duel" }),
  deadline: z.number().nullable().meta({ description: "epoch ms when the current duel reveals itself" }),
  now: z.number().meta({ description: "the server's clock (epoch ms) when this state was sent, to count down without trusting the device's clock" }),
  duel: z
    .object({ prompt: z.object({ id: Id, text: z.string(), genre: z.string() }), a: z.object({ text: z.string() }), b: z.object({ text: z.string() }) })
    .nullable(),
  reveal: Reveal.nullable(),
  results: RoomResults.nullable(),
});
export type RoomState = z.infer<typeof RoomState>;

export const ServerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("state"), state: RoomState }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
