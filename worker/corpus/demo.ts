/**
 * The demo corpus: prompts, contenders and hand-written passages kept in `schema/demo/`, as the
 * same import lines an admin would send. `scripts/build-demo.mjs` writes `corpus.json` from the
 * passage files; this module only reads it.
 */
import type { ImportLine } from "../../schema/corpus.js";
import demo from "../../schema/demo/corpus.json";

/** The demo corpus as import lines: prompts, then contenders, then passages. */
export function demoCorpusLines(): ImportLine[] {
  return demo as ImportLine[];
}
