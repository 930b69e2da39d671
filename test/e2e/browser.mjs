// Debian's Chromium driven by playwright-core, with the flags this sandboxed machine needs.
import { chromium } from "playwright-core";

/** Launches headless Chromium from /usr/bin/chromium (override with CHROMIUM_PATH). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * Registers before/after hooks that start a real arena (startArena options) and Chromium for a
 * test file, and answers live views of both plus the screenshot folder.
 */
export async function useArenaAndBrowser(options) {
  const { after, before } = await import("node:test");
  const { mkdirSync } = await import("node:fs");
  const { startArena } = await import("./server.mjs");
  const shots = new URL("../../test-results/", import.meta.url).pathname;
  const live = { arena: null, browser: null, shots };
  before(async () => {
    mkdirSync(shots, { recursive: true });
    live.arena = await startArena(options);
    live.browser = await launchBrowser();
  });
  after(async () => {
    await live.browser?.close();
    await live.arena?.stop();
  });
  return live;
}
