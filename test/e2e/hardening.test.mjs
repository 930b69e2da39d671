// Browser test: passages and prompts that carry markup show as text, never run; every page has a CSP.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useArenaAndBrowser } from "./browser.mjs";

const live = await useArenaAndBrowser();

const evil = {
  prompt: `Write <img src=x onerror="window.__pwned='prompt'"> a line.`,
  a: `<script>window.__pwned = "script"</script>Plain words after a script tag.`,
  b: `<img src=x onerror="window.__pwned='img'"><b>bold?</b> & an ampersand.`,
};

test("markup in passages and prompts is shown as text and never runs", async () => {
  const lines = [
    { kind: "prompt", id: "xss-prompt", text: evil.prompt, genre: "xss" },
    { kind: "passage", id: "xss-a", prompt: "xss-prompt", contender: "marble-large/terse-stylist", text: evil.a },
    { kind: "passage", id: "xss-b", prompt: "xss-prompt", contender: "ember-opinion/plain-teacher", text: evil.b },
  ];
  const res = await fetch(`${live.arena.url}/api/admin/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${live.arena.adminToken}`, "content-type": "application/x-ndjson" },
    body: lines.map((l) => JSON.stringify(l)).join("\n"),
  });
  assert.equal((await res.json()).rejectedCount, 0);
  const page = await live.browser.newPage();
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto(`${live.arena.url}/?genre=xss`);
  await page.waitForSelector('body[data-state="ready"]');
  const prompt = await page.getByTestId("duel-prompt").textContent();
  const shown = [await page.getByTestId("passage-a").textContent(), await page.getByTestId("passage-b").textContent()].join("\n");
  assert.ok(prompt.includes("<img src=x onerror="), "the prompt's markup is visible as text");
  assert.ok(shown.includes("<script>window.__pwned"), "the script tag is visible as text");
  assert.ok(shown.includes('<img src=x onerror="window.__pwned'), "the img tag is visible as text");
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null, "nothing ran");
  assert.equal(await page.locator("main img, main script, [data-testid^=passage] b").count(), 0, "no element was created from the text");
  assert.deepEqual(dialogs, []);
});

test("every page carries a strict content security policy; admin is closed to other origins", async () => {
  for (const path of ["/", "/leaderboard", "/clusters", "/me", "/docs", "/rooms/new", "/rooms/join", "/rooms/host"]) {
    const response = await fetch(`${live.arena.url}${path}`);
    assert.equal(response.status, 200, path);
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'self'/, path);
    assert.match(csp, /script-src 'self'/, path);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
  }
  const preflight = await fetch(`${live.arena.url}/api/admin/import`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
  assert.equal(preflight.headers.get("access-control-allow-origin"), null);
  assert.equal((await fetch(`${live.arena.url}/api/admin/refit`, { method: "POST" })).status, 401);
});
