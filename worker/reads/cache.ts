/**
 * Per-isolate caches of what reads need: the corpus snapshot (by version) and the last published
 * fit. Both are re-checked at most every `TTL_MS`, so a busy isolate asks the singleton objects a
 * few times a second at most, never once per request.
 */
import type { CorpusSnapshot } from "../../schema/corpus.js";
import type { PublishedFit } from "../../schema/fit.js";
import type { Env } from "../env.js";
import type { SelectionHint } from "../objects/rater.js";
import { POINTS_PER_LOGIT, Z95 } from "../ratings/board.js";
import type { TasteModel } from "../ratings/posterior.js";
import { tasteModel } from "../ratings/publish.js";

const TTL_MS = 1000;

let corpus: { snapshot: CorpusSnapshot; checkedAt: number; byId: CorpusMaps } | null = null;
/** The published fit with lookups: contender id → index, and pair key lo·n + hi → row of `pairs`. */
export interface FitView {
  value: PublishedFit | null;
  /** the fit as JSON text, as stored */
  text: string | null;
  etag: string;
  index: Map<string, number>;
  pairs: Map<number, number>;
  /** the compact taste model (null before the first fit) */
  model: TasteModel | null;
  /** what duel selection needs from the fit (null before the first fit) */
  selection: SelectionHint | null;
  /** per cluster id: its position in the fit and its pair key → row of its `pairs` */
  clusters: Map<string, { index: number; pairs: Map<number, number> }>;
}

let fit: (FitView & { checkedAt: number }) | null = null;

/** Lookups by id over the cached corpus snapshot. */
export interface CorpusMaps {
  prompts: Map<string, CorpusSnapshot["prompts"][number]>;
  contenders: Map<string, CorpusSnapshot["contenders"][number]>;
  passages: Map<string, CorpusSnapshot["passages"][number]>;
}

/** The corpus snapshot and id maps, refreshed when the Corpus object's version moved. */
export async function getCorpus(env: Env, now = Date.now()): Promise<{ snapshot: CorpusSnapshot; byId: CorpusMaps }> {
  if (corpus && now - corpus.checkedAt < TTL_MS) return corpus;
  const stub = env.CORPUS.getByName("main");
  const version = await stub.getVersion();
  if (corpus?.snapshot.version === version) {
    corpus.checkedAt = now;
    return corpus;
  }
  const snapshot = await stub.snapshot();
  corpus = {
    snapshot,
    checkedAt: now,
    byId: {
      prompts: new Map(snapshot.prompts.map((p) => [p.id, p])),
      contenders: new Map(snapshot.contenders.map((c) => [c.id, c])),
      passages: new Map(snapshot.passages.map((p) => [p.id, p])),
    },
  };
  return corpus;
}

/** The last published fit (null before the first), with its ETag and lookups. */
export async function getFit(env: Env, now = Date.now()): Promise<FitView> {
  if (fit && now - fit.checkedAt < TTL_MS) return fit;
  const arena = env.ARENA.getByName("global");
  // Ask which fit is current (a number) and fetch and parse the fit itself only when it changed.
  const id = await arena.latestFitId();
  if (fit && (fit.value?.id ?? null) === id) {
    fit.checkedAt = now;
    return fit;
  }
  const text = await arena.latestFit();
  const value = text ? (JSON.parse(text) as PublishedFit) : null;
  fit = {
    value,
    text,
    etag: value ? `"fit-${value.id}"` : `"fit-none"`,
    checkedAt: now,
    index: new Map((value?.contenders ?? []).map((id, i) => [id, i])),
    pairs: new Map((value?.pairs ?? []).map((p, row) => [p[0] * value!.contenders.length + p[1], row])),
    model: value ? tasteModel(value) : null,
    selection: value ? selectionHint(value) : null,
    clusters: new Map(
      (value?.taste.clusters ?? []).map((c, index) => [
        c.id,
        { index, pairs: new Map((c.pairs ?? []).map((p, row) => [p[0] * value!.contenders.length + p[1], row])) },
      ]),
    ),
  };
  return fit;
}

/** Forgets both caches (after an import or a refit in this isolate). */
export function invalidateCaches(): void {
  corpus = null;
  fit = null;
}

/** Duel-selection data of a fit: clusters, and the variance of each global strength (from its interval). */
function selectionHint(fit: PublishedFit): SelectionHint {
  const half = new Map(fit.global.rows.map((r) => [r.contender, (r.hi - r.lo) / 2 / Z95 / POINTS_PER_LOGIT]));
  return {
    fitId: fit.id,
    contenders: fit.contenders,
    clusters: fit.taste.clusters.map((c) => ({ id: c.id, share: c.share, theta: c.theta, eta: c.eta })),
    variance: fit.contenders.map((id) => (half.get(id) ?? 1) ** 2),
  };
}
