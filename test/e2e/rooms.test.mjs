// Browser test: a host and two players in one Chromium play a three-duel live room to the end screen.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useArenaAndBrowser } from "./browser.mjs";

const live = await useArenaAndBrowser();

/** A page in its own browser context, so every player has their own rater cookie. */
async function personPage(errors) {
  const context = await live.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return page;
}

const phase = (page) => page.getByTestId("room-phase").textContent();
async function waitPhase(page, wanted) {
  await page.waitForFunction((w) => document.querySelector('[data-testid="room-phase"]')?.textContent?.trim().toLowerCase().includes(w), wanted, { timeout: 15_000 });
}

test("host and two players play three duels to the end screen", async () => {
  const errors = [];
  const host = await personPage(errors);
  await host.goto(`${live.arena.url}/rooms/new`);
  await host.locator("select, input").first().waitFor();
  await host.fill('input[name="duels"], #duels', "3").catch(() => {});
  await host.getByTestId("room-create").click();
  await host.waitForURL(/\/rooms\/host\?code=/);
  const code = new URL(host.url()).searchParams.get("code");
  assert.match(code, /^[A-HJKMNP-Z2-9]{6}$/);
  await host.getByTestId("room-qr").waitFor();
  assert.match((await host.getByTestId("room-code").textContent()).replace(/\s/g, ""), new RegExp(code));

  const players = [];
  for (const name of ["Ada", "Basho"]) {
    const page = await personPage(errors);
    await page.goto(`${live.arena.url}/rooms/join?code=${code}`);
    await page.getByTestId("room-name").fill(name);
    await page.getByTestId("room-join").click();
    await waitPhase(page, "lobby");
    players.push(page);
  }
  await host.waitForFunction(() => document.querySelectorAll('[data-testid="room-player"]').length === 3);

  await host.getByTestId("room-start").click();
  const picks = [["1", "1", "2"], ["x", "2", "2"], ["3", "1", "1"]];
  for (let round = 0; round < 3; round++) {
    for (const page of [host, ...players]) await waitPhase(page, "voting");
    // Everyone reads the same prompt and passages.
    const prompts = await Promise.all([host, ...players].map((p) => p.getByTestId("room-prompt").textContent()));
    assert.equal(new Set(prompts).size, 1);
    const passages = await Promise.all([host, ...players].map((p) => p.getByTestId("room-passage-a").textContent()));
    assert.equal(new Set(passages).size, 1);
    for (const [i, page] of [host, ...players].entries()) await page.keyboard.press(picks[round][i]);
    // The last vote reveals the duel for the whole room.
    for (const page of [host, ...players]) await waitPhase(page, "reveal");
    await players[0].getByTestId("room-reveal-panel").waitFor({ state: "visible" });
    const panel = await players[0].getByTestId("room-reveal-panel").textContent();
    assert.match(panel, /aurora-chat|quill-base|marble-large|ember-opinion/);
    if (round === 0) await host.screenshot({ path: `${live.shots}room-reveal.png` });
    await host.getByTestId("room-next").click();
  }
  for (const page of [host, ...players]) await waitPhase(page, "end");
  const results = host.getByTestId("room-results");
  await results.waitFor({ state: "visible" });
  await host.getByTestId("room-agreement").waitFor();
  const twins = await host.getByTestId("room-twins").textContent();
  assert.match(twins, /Ada|Basho|Host|Reader/);
  await host.screenshot({ path: `${live.shots}room-end.png`, fullPage: true });

  // The room's votes are ordinary votes: nine of them reach the vote log.
  const deadline = Date.now() + 20_000;
  let logged = 0;
  while (Date.now() < deadline) {
    logged = (await (await fetch(`${live.arena.url}/api/votes?limit=100`)).json()).votes.filter((v) => v.room === code).length;
    if (logged === 9) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.equal(logged, 9);
  assert.deepEqual(errors, []);
});
