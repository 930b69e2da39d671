// `npm start`: builds the pages, makes sure local secrets exist, and runs `wrangler dev` on
// http://localhost:8787 with state persisted under .wrangler/. The arena seeds the demo corpus
// itself the first time it starts empty. Extra arguments go to wrangler (e.g. --port 8788).
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
process.chdir(root);
if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("created .dev.vars from .dev.vars.example (local secrets for development)");
}
const build = spawnSync(process.execPath, ["web/build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const args = ["dev", "--port", "8787", "--show-interactive-dev-session=false", ...process.argv.slice(2)];
const wrangler = spawn(process.execPath, ["node_modules/wrangler/bin/wrangler.js", ...args], {
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_LOG: process.env.WRANGLER_LOG ?? "info" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code) => process.exit(code ?? 0));
