/** Word counting and identity-leak checks for passages: small pure text helpers. */

/** Number of words in a passage (runs of letters, digits and apostrophes). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}'’]+/gu)?.length ?? 0;
}

/**
 * Names a passage must not contain, lest it reveal who wrote it: the model and persona as written
 * and with hyphens read as spaces. Matching is whole-word and case-insensitive.
 */
export function identityLeak(text: string, model: string, persona: string): string | null {
  const hay = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `;
  for (const name of [model, persona]) {
    const needle = name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    if (needle.length >= 3 && hay.includes(` ${needle} `)) return `passage names its ${name === model ? "model" : "persona"} "${name}"`;
  }
  return null;
}
