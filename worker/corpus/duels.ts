/**
 * Duel selection: which two passages a rater reads next. Pure and seeded, so the rules are unit
 * tested: same prompt, two different contenders, passages the rater has not seen, random sides.
 * With a published taste model (DESIGN.md §5), the pair is drawn by how much it would tell: early
 * in a rater's life, about which cluster they belong to (expected information gain); once that is
 * settled, about the global board (pairs whose strength difference is least certain, LMArena's
 * rule to first order).
 */
import { davidsonProbabilities } from "../ratings/davidson.js";
import { randomInt } from "../ratings/random.js";

/** The part of the corpus that duel selection needs: per prompt, its duel-able passages. */
export interface DuelIndex {
  version: number;
  prompts: { id: string; genre: string; passages: { id: string; contender: string }[] }[];
}

export interface DuelPick {
  prompt: string;
  a: { id: string; contender: string };
  b: { id: string; contender: string };
  /** true when the rater had seen every eligible passage, so one was shown again */
  repeat: boolean;
}

/** What the published fit says that helps choose informative duels. */
export interface SelectionModel {
  /** contender id → index into the arrays below */
  index: ReadonlyMap<string, number>;
  clusters: { theta: ArrayLike<number>; eta: number }[];
  /** the rater's current membership probabilities (the shares for a new rater) */
  membership: number[];
  /** variance of each contender's global strength */
  variance: ArrayLike<number>;
}

/** Candidate pairs scored per duel at most (a random subset beyond this). */
export const MAX_CANDIDATES = 400;
/** How sharply the draw prefers the best-scoring pairs. */
const SHARPNESS = 6;

/**
 * Picks a duel for a rater who has seen `seen`, optionally within one genre. Prefers a prompt
 * with two unseen passages by different contenders; when none is left, falls back to the pair
 * of passages the rater saw longest ago. Returns null when the genre has no duel at all.
 * With a selection model, unseen pairs are drawn by their informativeness (see the header).
 */
export function pickDuel(
  index: DuelIndex,
  seen: ReadonlyMap<string, number>,
  random: () => number,
  genre?: string,
  model?: SelectionModel | null,
): DuelPick | null {
  const prompts = index.prompts.filter((p) => (!genre || p.genre === genre) && distinctContenders(p.passages) >= 2);
  if (prompts.length === 0) return null;

  const fresh = prompts
    .map((p) => ({ prompt: p, unseen: p.passages.filter((x) => !seen.has(x.id)) }))
    .filter((p) => distinctContenders(p.unseen) >= 2);
  if (fresh.length > 0 && model && model.clusters.length > 0) {
    const informed = informativePair(fresh, model, random);
    if (informed) return informed;
  }
  if (fresh.length > 0) {
    const choice = fresh[randomInt(random, fresh.length)]!;
    const [a, b] = twoByDifferentContenders(choice.unseen, random);
    return { prompt: choice.prompt.id, a, b, repeat: false };
  }

  // Everything has been read: show the two passages seen longest ago on a random prompt.
  const prompt = prompts[randomInt(random, prompts.length)]!;
  const byAge = [...prompt.passages].sort((x, y) => (seen.get(x.id) ?? 0) - (seen.get(y.id) ?? 0));
  const first = byAge[0]!;
  const second = byAge.find((x) => x.contender !== first.contender)!;
  return random() < 0.5
    ? { prompt: prompt.id, a: first, b: second, repeat: true }
    : { prompt: prompt.id, a: second, b: first, repeat: true };
}

function distinctContenders(passages: { contender: string }[]): number {
  return new Set(passages.map((p) => p.contender)).size;
}

/** Two passages drawn uniformly, by different contenders, in random order. */
function twoByDifferentContenders<T extends { contender: string }>(passages: T[], random: () => number): [T, T] {
  const first = passages[randomInt(random, passages.length)]!;
  const others = passages.filter((p) => p.contender !== first.contender);
  const second = others[randomInt(random, others.length)]!;
  return [first, second];
}

type Fresh = { prompt: { id: string }; unseen: { id: string; contender: string }[] };

/** Draws an unseen pair with probability rising with how much its vote would tell. */
function informativePair(fresh: Fresh[], model: SelectionModel, random: () => number): DuelPick | null {
  const candidates: { prompt: string; a: Fresh["unseen"][number]; b: Fresh["unseen"][number] }[] = [];
  for (const f of fresh) {
    for (let i = 0; i < f.unseen.length; i++) {
      for (let j = i + 1; j < f.unseen.length; j++) {
        if (f.unseen[i]!.contender !== f.unseen[j]!.contender) candidates.push({ prompt: f.prompt.id, a: f.unseen[i]!, b: f.unseen[j]! });
      }
    }
  }
  // A random subset of MAX_CANDIDATES (partial Fisher-Yates), in linear time.
  if (candidates.length > MAX_CANDIDATES) {
    for (let i = 0; i < MAX_CANDIDATES; i++) {
      const j = i + randomInt(random, candidates.length - i);
      [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    }
    candidates.length = MAX_CANDIDATES;
  }
  const certainty = Math.max(...model.membership);
  const info: number[] = [];
  const spread: number[] = [];
  for (const c of candidates) {
    const a = model.index.get(c.a.contender);
    const b = model.index.get(c.b.contender);
    if (a === undefined || b === undefined) {
      info.push(0);
      spread.push(Number.MAX_VALUE);
      continue;
    }
    info.push(model.clusters.length > 1 ? clusterInformation(model, a, b) : 0);
    spread.push((model.variance[a]! + model.variance[b]!) ** 1.5);
  }
  const maxInfo = Math.max(...info, 1e-12);
  const maxSpread = Math.max(...spread.filter((x) => x < Number.MAX_VALUE), 1e-12);
  // Uncertain about the cluster: mostly information about it; settled: mostly about the board.
  const weights = candidates.map((_, i) => {
    const u = spread[i] === Number.MAX_VALUE ? 1 : spread[i]! / maxSpread;
    const score = model.clusters.length > 1 ? (1 - certainty) * (info[i]! / maxInfo) + certainty * u : u;
    return Math.exp(SHARPNESS * score);
  });
  const total = weights.reduce((s, w) => s + w, 0);
  let x = random() * total;
  let pick = candidates.length - 1;
  for (let i = 0; i < candidates.length; i++) {
    x -= weights[i]!;
    if (x <= 0) {
      pick = i;
      break;
    }
  }
  const c = candidates[pick];
  if (!c) return null;
  return random() < 0.5 ? { prompt: c.prompt, a: c.a, b: c.b, repeat: false } : { prompt: c.prompt, a: c.b, b: c.a, repeat: false };
}

/**
 * Mutual information between the rater's cluster and the outcome of a vs b:
 * H(Σ_k r_k P_k) − Σ_k r_k H(P_k), with P_k the Davidson outcome distribution under cluster k.
 */
export function clusterInformation(model: SelectionModel, a: number, b: number): number {
  let mixA = 0;
  let mixB = 0;
  let mixT = 0;
  let conditional = 0;
  model.clusters.forEach((c, k) => {
    const r = model.membership[k] ?? 0;
    if (r === 0) return;
    const p = davidsonProbabilities(c.theta[a]! - c.theta[b]!, c.eta);
    mixA += r * p.a;
    mixB += r * p.b;
    mixT += r * p.tie;
    conditional += r * entropy(p.a, p.b, p.tie);
  });
  return entropy(mixA, mixB, mixT) - conditional;
}

function entropy(...ps: number[]): number {
  let h = 0;
  for (const p of ps) if (p > 0) h -= p * Math.log(p);
  return h;
}
