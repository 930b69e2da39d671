// Builds the browser front end: bundles web/src/*.ts (one entry per page) and copies web/public into web/dist.
// Usage: node web/build.mjs [--watch] [--sourcemap]
import * as esbuild from "esbuild";
import { cp, writeFile, mkdir, readdir, readFile, rm, watch } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const srcDir = join(root, "src");
const publicDir = join(root, "public");
const outDir = join(root, "dist");
const args = new Set(process.argv.slice(2));
const watchMode = args.has("--watch");

/** Page entry points: every .ts file directly in web/src (shared code lives in web/src/lib). */
async function entryPoints() {
  const names = (await readdir(srcDir)).filter((n) => n.endsWith(".ts") && !n.endsWith(".d.ts")).sort();
  return names.map((n) => join(srcDir, n));
}

/** Copies web/public/* into web/dist, preserving sub-folders, and fills each page's shared parts. */
async function copyPublic() {
  await cp(publicDir, outDir, { recursive: true, force: true });
  await fillPartials();
}

/**
 * Every page carries `<!-- site:head -->`, `<!-- site:header /path -->` and `<!-- site:footer -->`
 * markers, and a genre picker `<!-- site:genres -->`; the shared head, nav, footer and genre
 * options live once in web/partials/, and the nav link for `/path` is marked as the current page.
 */
async function fillPartials() {
  const partial = async (name) => (await readFile(join(root, "partials", name), "utf8")).trimEnd();
  const [head, header, footer, genres] = await Promise.all([partial("head.html"), partial("header.html"), partial("footer.html"), partial("genres.html")]);
  const pages = (await readdir(outDir, { recursive: true })).map((n) => n.split("\\").join("/")).filter((n) => n.endsWith(".html"));
  for (const name of pages) {
    const html = await readFile(join(outDir, name), "utf8");
    const filled = html
      .replace("<!-- site:head -->", head)
      .replace(/<!-- site:header (\S*) ?-->/, (_, current) =>
        current ? header.replace(`<a href="${current}">`, `<a href="${current}" aria-current="page">`) : header,
      )
      .replace("<!-- site:footer -->", footer)
      .replace("<!-- site:genres -->", genres.trimStart());
    if (/<!-- site:/.test(filled)) throw new Error(`${name}: unknown site: marker`);
    await writeFile(join(outDir, name), filled);
  }
}

/** Fails the build when an HTML page (in any sub-folder) references a script that was not produced. */
async function checkScripts(outputs) {
  const produced = new Set(Object.keys(outputs).map((p) => "/" + relative(outDir, p).split("\\").join("/")));
  const problems = [];
  const pages = (await readdir(publicDir, { recursive: true })).map((n) => n.split("\\").join("/"));
  for (const name of pages.filter((n) => n.endsWith(".html"))) {
    const html = await readFile(join(publicDir, name), "utf8");
    for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) {
      if (!produced.has(m[1])) problems.push(`${name}: script ${m[1]} is not built`);
    }
    if (/<script(?![^>]*\ssrc=)[^>]*>/.test(html)) problems.push(`${name}: inline <script> breaks the CSP`);
    if (/\sstyle="/.test(html) || /<style[\s>]/.test(html)) problems.push(`${name}: inline style breaks the CSP`);
  }
  if (problems.length) throw new Error(problems.join("\n"));
}

const options = {
  entryPoints: await entryPoints(),
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  outdir: outDir,
  sourcemap: args.has("--sourcemap") ? "linked" : false,
  legalComments: "none",
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
};

const started = performance.now();
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

if (watchMode) {
  const report = {
    name: "report",
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length) return;
        await copyPublic();
        try {
          await checkScripts(result.metafile.outputs);
        } catch (e) {
          console.error(String(e.message ?? e));
        }
        console.log(`[web] rebuilt ${new Date().toLocaleTimeString()}`);
      });
    },
  };
  const ctx = await esbuild.context({ ...options, plugins: [report] });
  await ctx.watch();
  console.log("[web] watching web/src and web/public");
  for await (const _ of watch(publicDir, { recursive: true })) {
    await copyPublic();
    console.log(`[web] copied public ${new Date().toLocaleTimeString()}`);
  }
} else {
  const result = await esbuild.build(options);
  await copyPublic();
  await checkScripts(result.metafile.outputs);
  const sizes = Object.entries(result.metafile.outputs)
    .filter(([p]) => p.endsWith(".js"))
    .map(([p, o]) => `${relative(outDir, p)} ${(o.bytes / 1024).toFixed(1)} kB`);
  console.log(`[web] built ${sizes.join(", ")} in ${Math.round(performance.now() - started)} ms`);
}
