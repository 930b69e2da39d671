// Builds schema/demo/corpus.json (import lines) from prompts.json, contenders.json and the
// hand-written passage files in schema/demo/passages/. `--check` fails if corpus.json is stale.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = new URL("../schema/demo/", import.meta.url).pathname;
const prompts = JSON.parse(readFileSync(join(dir, "prompts.json"), "utf8"));
const contenders = JSON.parse(readFileSync(join(dir, "contenders.json"), "utf8"));
const promptIds = new Set(prompts.map((p) => p.id));

/** Parses one passage file: `=== <prompt id>` headers, then the passage text. */
function parsePassages(file) {
  const out = new Map();
  let current = null;
  let lines = [];
  const flush = () => {
    if (current) out.set(current, lines.join("\n").trim());
  };
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^=== (\S+)\s*$/.exec(line);
    if (m) {
      flush();
      current = m[1];
      lines = [];
      if (!promptIds.has(current)) throw new Error(`${file}: unknown prompt id ${current}`);
      if (out.has(current)) throw new Error(`${file}: prompt ${current} twice`);
    } else lines.push(line);
  }
  flush();
  return out;
}

// Passage ids are shown to raters, so they must say nothing about who wrote them.
const opaqueId = (contender, prompt) =>
  "ps-" + createHash("sha256").update(`${contender}\u0000${prompt}`).digest("hex").slice(0, 12);

const lines = [];
for (const p of prompts) lines.push({ kind: "prompt", id: p.id, text: p.text, genre: p.genre });
for (const c of contenders) lines.push({ kind: "contender", ...c });
const files = new Set(readdirSync(join(dir, "passages")).filter((f) => f.endsWith(".txt")));
for (const c of contenders) {
  const file = c.id.replace("/", "--") + ".txt";
  if (!files.has(file)) {
    console.warn(`missing passages for ${c.id} (${file})`);
    continue;
  }
  const passages = parsePassages(join(dir, "passages", file));
  for (const p of prompts) {
    const text = passages.get(p.id);
    if (!text) throw new Error(`${file}: no passage for ${p.id}`);
    lines.push({ kind: "passage", id: opaqueId(c.id, p.id), prompt: p.id, contender: c.id, text, origin: "demo" });
  }
}
const json = JSON.stringify(lines, null, 0).replace(/\},\{/g, "},\n{") + "\n";
const target = join(dir, "corpus.json");
if (process.argv.includes("--check")) {
  if (readFileSync(target, "utf8") !== json) {
    console.error("schema/demo/corpus.json is stale: run npm run demo:build");
    process.exit(1);
  }
} else {
  writeFileSync(target, json);
  const n = lines.filter((l) => l.kind === "passage").length;
  console.log(`schema/demo/corpus.json: ${prompts.length} prompts, ${contenders.length} contenders, ${n} passages`);
}
