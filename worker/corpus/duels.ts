/**
 * Duel selection: which two passages a rater reads next. Pure and seeded, so the rules are unit
 * tested: same prompt, two different contenders, passages the rater has not seen, random sides.
 */
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

/**
 * Picks a duel for a rater who has seen `seen`, optionally within one genre. Prefers a prompt
 * with two unseen passages by different contenders; when none is left, falls back to the pair
 * of passages the rater saw longest ago. Returns null when the genre has no duel at all.
 */
export function pickDuel(
  index: DuelIndex,
  seen: ReadonlyMap<string, number>,
  random: () => number,
  genre?: string,
): DuelPick | null {
  const prompts = index.prompts.filter((p) => (!genre || p.genre === genre) && distinctContenders(p.passages) >= 2);
  if (prompts.length === 0) return null;

  const fresh = prompts
    .map((p) => ({ prompt: p, unseen: p.passages.filter((x) => !seen.has(x.id)) }))
    .filter((p) => distinctContenders(p.unseen) >= 2);
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
