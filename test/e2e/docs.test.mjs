// Browser test: /docs renders every route of the generated OpenAPI document with examples, and the
// leaderboard's length toggle shows the estimated length effect and rank changes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useArenaAndBrowser } from "./browser.mjs";

const live = await useArenaAndBrowser();

test("/docs shows every route of the OpenAPI document, each with examples", async () => {
  const doc = await (await fetch(`${live.arena.url}/api/openapi.json`)).json();
  const routes = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  const page = await live.browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${live.arena.url}/docs`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="docs-route"]').length === n, routes);
  const text = await page.textContent("body");
  for (const path of Object.keys(doc.paths)) assert.ok(text.includes(path), path);
  assert.ok((await page.getByTestId("docs-example").count()) >= routes);
  assert.deepEqual(errors, []);
});

test("the length toggle shows the length effect and how ranks moved", async () => {
  // Some votes, then a fit.
  let cookie = "";
  for (let i = 0; i < 30; i++) {
    const duel = await fetch(`${live.arena.url}/api/duel`, { headers: { cookie } });
    cookie = (duel.headers.get("set-cookie") ?? cookie).split(";")[0];
    const { token } = await duel.json();
    await fetch(`${live.arena.url}/api/votes`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ token, choice: i % 3 ? "a" : "b" }) });
  }
  // Votes reach the vote log through each rater's outbox; wait for all 30 before refitting.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await (await fetch(`${live.arena.url}/api/votes?limit=100`)).json()).votes.length < 30) {
    await new Promise((r) => setTimeout(r, 200));
  }
  await fetch(`${live.arena.url}/api/admin/refit`, { method: "POST", headers: { authorization: `Bearer ${live.arena.adminToken}` } });
  const page = await live.browser.newPage();
  await page.goto(`${live.arena.url}/leaderboard`);
  await page.getByTestId("board-row").first().waitFor();
  await page.getByTestId("control-length").check();
  await page.waitForURL(/control=length/);
  await page.getByTestId("length-effect").waitFor();
  assert.match(await page.getByTestId("length-effect").textContent(), /twice as long/);
  assert.equal(await page.getByTestId("rank-change").count(), await page.getByTestId("board-row").count());
});
