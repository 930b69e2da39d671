// Debian's Chromium driven by playwright-core, with the flags this sandboxed machine needs.
import { chromium } from "playwright-core";

/** Launches headless Chromium from /usr/bin/chromium (override with CHROMIUM_PATH). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
