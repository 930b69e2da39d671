import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ImportLine } from "../../schema/corpus.js";
import corpus from "../../schema/demo/corpus.json";
import { countWords, identityLeak } from "../../worker/corpus/words.js";

const lines = (corpus as unknown[]).map((l) => ImportLine.parse(l));
const prompts = lines.filter((l) => l.kind === "prompt");
const contenders = lines.filter((l) => l.kind === "contender");
const passages = lines.filter((l) => l.kind === "passage");

describe("the demo corpus", () => {
  it("is built from the passage files (npm run demo:build)", () => {
    expect(() => execFileSync(process.execPath, ["scripts/build-demo.mjs", "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("has at least 16 prompts in 5 genres and 10 contenders, one passage each", () => {
    expect(prompts.length).toBeGreaterThanOrEqual(16);
    expect(new Set(prompts.map((p) => p.genre)).size).toBeGreaterThanOrEqual(5);
    expect(contenders.length).toBeGreaterThanOrEqual(10);
    expect(new Set(contenders.map((c) => c.model)).size).toBeGreaterThanOrEqual(4);
    expect(passages.length).toBe(prompts.length * contenders.length);
    const pairs = new Set(passages.map((p) => `${p.prompt}|${p.contender}`));
    expect(pairs.size).toBe(passages.length);
  });

  it("never names a passage's model or persona, in its text or its id", () => {
    const byId = new Map(contenders.map((c) => [c.id, c]));
    for (const p of passages) {
      const c = byId.get(p.contender)!;
      expect(identityLeak(p.text, c.model, c.persona), p.id).toBeNull();
      expect(identityLeak(p.id.replace(/-/g, " "), c.model, c.persona), p.id).toBeNull();
    }
  });

  it("varies in length like real model output", () => {
    const words = passages.map((p) => countWords(p.text));
    expect(Math.min(...words)).toBeLessThan(80);
    expect(Math.max(...words)).toBeGreaterThan(200);
  });
});
