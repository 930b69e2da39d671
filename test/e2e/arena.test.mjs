// Browser test: a newcomer votes on five duels with the keyboard, sees each reveal, and finds
// the votes counted on the leaderboard. Real wrangler dev, real Chromium.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useArenaAndBrowser } from "./browser.mjs";

const live = await useArenaAndBrowser();

test("vote on five duels with the keyboard, see each reveal, then the leaderboard counts them", async () => {
  const page = await live.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${live.arena.url}/`);
  const keys = ["1", "b", "3", "x", "a"];
  const revealed = [];
  for (const [i, key] of keys.entries()) {
    await page.waitForSelector('body[data-state="ready"]');
    const prompt = await page.getByTestId("duel-prompt").textContent();
    assert.ok(prompt.trim().length > 0, "the prompt is shown");
    // Nothing on the page names a contender before the vote.
    assert.equal(await page.getByTestId("reveal-a").isVisible(), false);
    if (i === 0) await page.screenshot({ path: `${live.shots}vote-page.png` });
    await page.keyboard.press(key);
    await page.waitForSelector('body[data-state="voted"], body[data-state="failed"]');
    assert.equal(await page.getAttribute("body", "data-state"), "voted", await page.getByTestId("error").textContent());
    await page.getByTestId("reveal-a").waitFor({ state: "visible" });
    const revealA = (await page.getByTestId("reveal-a").textContent()).trim();
    const revealB = (await page.getByTestId("reveal-b").textContent()).trim();
    assert.match(revealA, /aurora-chat|quill-base|marble-large|ember-opinion/);
    assert.match(revealB, /aurora-chat|quill-base|marble-large|ember-opinion/);
    revealed.push(revealA);
    if (i === 0) await page.screenshot({ path: `${live.shots}reveal.png` });
    await page.keyboard.press("n");
    await page.getByTestId("reveal-a").waitFor({ state: "hidden" });
  }
  assert.equal(revealed.length, 5);

  // The outbox flushes within a second and the fit follows after its debounce: poll the page.
  await page.goto(`${live.arena.url}/leaderboard`);
  const deadline = Date.now() + 30_000;
  let votes = 0;
  while (Date.now() < deadline) {
    const text = await page.getByTestId("board-votes").textContent().catch(() => "0");
    votes = Number(text.replace(/\D/g, ""));
    if (votes === 5) break;
    await page.waitForTimeout(500);
    await page.reload();
  }
  assert.equal(votes, 5, "the leaderboard counts the five votes");
  assert.ok((await page.getByTestId("board-row").count()) >= 10, "every contender has a row");
  await page.screenshot({ path: `${live.shots}leaderboard.png`, fullPage: true });

  await page.goto(`${live.arena.url}/me`);
  await page.waitForFunction(() => document.querySelector('[data-testid="me-votes"]')?.textContent?.includes("5"));
  assert.deepEqual(errors, [], "no script errors on any page");
});

test("every page carries a content security policy", async () => {
  for (const path of ["/", "/leaderboard", "/me"]) {
    const response = await fetch(`${live.arena.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'self'/, path);
  }
});
