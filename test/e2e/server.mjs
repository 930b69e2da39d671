// Starts a real `wrangler dev` for browser tests and benchmarks: a free port, fresh state in a
// temporary folder, test secrets as vars, fast refits. Answers { url, stop }.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Builds the pages and starts wrangler dev; resolves once /api/health answers. */
export async function startArena({ vars = {}, persistTo } = {}) {
  const build = spawnSync(process.execPath, ["web/build.mjs"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("web build failed");
  const port = await freePort();
  const state = persistTo ?? mkdtempSync(join(tmpdir(), "palate-e2e-"));
  // Browser tests vote at machine speed: rate limits and fast-vote flags are tested in workerd instead.
  const allVars = { SIGNING_SECRET: "e2e-signing-secret-0123456789", ADMIN_TOKEN: "e2e-admin-token", FIT_DEBOUNCE_MS: "300", RATE_LIMITS: "off", FAST_VOTE_WPM: "off", ...vars };
  const inspectorPort = await freePort();
  const args = ["node_modules/wrangler/bin/wrangler.js", "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--show-interactive-dev-session=false", "--inspector-port", String(inspectorPort)];
  for (const [k, v] of Object.entries(allVars)) args.push("--var", `${k}:${v}`);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      process.kill(-child.pid, "SIGKILL");
      throw new Error(`wrangler dev did not answer within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    adminToken: allVars.ADMIN_TOKEN,
    inspectorPort,
    log: () => log,
    /** Kills wrangler and workerd at once, as a crash would (the state folder stays). */
    crash() {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    },
    async stop() {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await new Promise((r) => setTimeout(r, 300));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      if (!persistTo) rmSync(state, { recursive: true, force: true });
    },
  };
}
