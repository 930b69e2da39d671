// Browser test: a planted data set with two clearly separated taste groups is imported and
// refitted, then /clusters shows two clusters (map, cards, boards, signatures) and /leaderboard
// gains a tab per cluster whose board differs from everyone's. Real wrangler dev, real Chromium.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { launchBrowser } from "./browser.mjs";
import { startArena } from "./server.mjs";

let arena;
let browser;
const shots = new URL("../../test-results/", import.meta.url).pathname;

// ---- planted data ---------------------------------------------------------------------------

const CONTENDERS = 10;
const RATERS = 200;
const VOTES_PER_RATER = 20;
/** Every tenth rater: 0–6 are the majority (70%), 7–9 the minority (30%). */
const isMinority = (u) => u % 10 >= 7;

const contenderId = (i) => `ct-${i}`;
const raterId = (u) => `r-${String(u).padStart(3, "0")}`;

/** The majority's strengths in logits: ct-0 best, ct-9 worst, half a logit apart. */
const MAJORITY = Array.from({ length: CONTENDERS }, (_, i) => 2.25 - 0.5 * i);
/**
 * The minority reverses the order of the top half and sinks it below the rest: its ranking is
 * ct-5 > ct-6 > ct-7 > ct-8 > ct-9 > ct-4 > ct-3 > ct-2 > ct-1 > ct-0.
 */
const MINORITY_ORDER = [5, 6, 7, 8, 9, 4, 3, 2, 1, 0];
const MINORITY = Array.from({ length: CONTENDERS }, (_, i) => MAJORITY[MINORITY_ORDER.indexOf(i)]);
const MAJORITY_ORDER = Array.from({ length: CONTENDERS }, (_, i) => i);

/** mulberry32: a small seeded PRNG, so every run imports the same votes. */
function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** NDJSON: the contenders, then each rater's votes drawn from a Davidson model (ν = 0.3) around the group's strengths. */
function plantedNdjson(seed = 20240607) {
  const random = seeded(seed);
  const nu = 0.3;
  const lines = [];
  for (let i = 0; i < CONTENDERS; i++) {
    lines.push({ kind: "contender", id: contenderId(i), model: `model-${Math.floor(i / 2)}`, persona: i % 2 ? "ornate" : "plain" });
  }
  for (let u = 0; u < RATERS; u++) {
    const group = isMinority(u) ? MINORITY : MAJORITY;
    const theta = group.map((t) => t + 0.25 * normal(random));
    for (let v = 0; v < VOTES_PER_RATER; v++) {
      const i = Math.floor(random() * CONTENDERS);
      let j = Math.floor(random() * (CONTENDERS - 1));
      if (j >= i) j++;
      const d = theta[i] - theta[j];
      const pa = Math.exp(d / 2);
      const pb = Math.exp(-d / 2);
      const r = random() * (pa + pb + nu);
      const winner = r < pa ? "a" : r < pa + pb ? "b" : random() < 1 / 3 ? "both_bad" : "tie";
      lines.push({ kind: "vote", rater: raterId(u), a: contenderId(i), b: contenderId(j), winner });
    }
  }
  return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

/** Spearman's rank correlation between a board's order (contender ids) and a planted order (indices). */
function spearman(boardIds, plantedOrder) {
  const n = boardIds.length;
  const plantedRank = new Map(plantedOrder.map((c, r) => [contenderId(c), r]));
  let sum = 0;
  boardIds.forEach((id, r) => {
    const d = r - plantedRank.get(id);
    sum += d * d;
  });
  return 1 - (6 * sum) / (n * (n * n - 1));
}

// ---- setup ----------------------------------------------------------------------------------

async function admin(path, init = {}) {
  const response = await fetch(`${arena.url}${path}`, {
    method: "POST",
    ...init,
    headers: { authorization: `Bearer ${arena.adminToken}`, ...init.headers },
  });
  const body = await response.json();
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(body)}`);
  return body;
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  // No demo corpus: the boards hold exactly the ten planted contenders.
  arena = await startArena({ vars: { DEMO_CORPUS: "off" } });
  browser = await launchBrowser();

  const imported = await admin("/api/admin/import", { headers: { "content-type": "application/x-ndjson" }, body: plantedNdjson() });
  assert.deepEqual(imported.rejected, [], "no line is refused");
  assert.equal(imported.rejectedCount, 0);
  assert.equal(imported.accepted.contender, CONTENDERS);
  assert.equal(imported.accepted.vote, RATERS * VOTES_PER_RATER);

  const refit = await admin("/api/admin/refit");
  assert.equal(refit.votes, RATERS * VOTES_PER_RATER);
  assert.equal(refit.contenders, CONTENDERS);
  assert.equal(refit.k, 2, "the fit finds the two planted taste groups");
});

after(async () => {
  await browser?.close();
  await arena?.stop();
});

/** A page that records script errors and console errors. */
async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { page, errors };
}

const boardIds = (locator) => locator.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-contender")));

// ---- tests ----------------------------------------------------------------------------------

test("/clusters shows the two planted taste groups: map, count, cards with boards and signatures", async () => {
  const { page, errors } = await openPage();
  await page.goto(`${arena.url}/clusters`);
  await page.waitForFunction(() => document.querySelector('[data-testid="cluster-k"]')?.textContent?.trim() === "2", null, { timeout: 10_000 });
  assert.equal(await page.locator("#k-label").textContent(), "clusters");
  assert.equal((await page.locator("#fact-raters").textContent()).trim(), String(RATERS));
  assert.equal((await page.locator("#fact-votes").textContent()).replace(/\D/g, ""), String(RATERS * VOTES_PER_RATER));
  assert.equal(await page.getByTestId("error").isVisible(), false, "no error shown");

  // The map: one dot per rater, two clusters, one colour each.
  const map = page.getByTestId("clusters-map");
  await map.waitFor({ state: "visible" });
  await map.screenshot({ path: `${shots}clusters-map.png` });
  const points = await page.getByTestId("map-point").evaluateAll((els) =>
    els.map((e) => ({ cluster: e.getAttribute("data-cluster"), fill: getComputedStyle(e).fill, cx: Number(e.getAttribute("cx")), cy: Number(e.getAttribute("cy")) })),
  );
  assert.equal(points.length, RATERS, "one map point per rater");
  assert.ok(points.every((p) => Number.isFinite(p.cx) && Number.isFinite(p.cy)), "every point is placed");
  const byCluster = new Map();
  for (const p of points) {
    const c = byCluster.get(p.cluster) ?? { n: 0, fills: new Set() };
    c.n++;
    c.fills.add(p.fill);
    byCluster.set(p.cluster, c);
  }
  assert.equal(byCluster.size, 2, `points fall in two clusters: ${[...byCluster.keys()]}`);
  assert.ok(!byCluster.has(""), "every point has a cluster");
  const [big, small] = [...byCluster.values()].sort((a, b) => b.n - a.n);
  // 140 / 60 planted; allow a few raters to be assigned the other way.
  assert.ok(big.n >= 125 && big.n <= 155, `majority cluster has ${big.n} points`);
  assert.ok(small.n >= 45 && small.n <= 75, `minority cluster has ${small.n} points`);
  for (const c of byCluster.values()) assert.equal(c.fills.size, 1, "one colour per cluster");
  assert.notEqual([...big.fills][0], [...small.fills][0], "the two clusters have different colours");

  // Two cards, each with a board and a signature; their boards follow the two planted orders.
  const cards = page.getByTestId("cluster-card");
  assert.equal(await cards.count(), 2);
  const cardIds = await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-cluster")));
  assert.deepEqual(new Set(cardIds), new Set(byCluster.keys()), "the cards are the map's clusters");
  const correlations = [];
  for (let i = 0; i < 2; i++) {
    const card = cards.nth(i);
    const rows = card.getByTestId("board-row");
    assert.ok((await rows.count()) >= 5, "each card shows a board (top 5)");
    await card.locator("button.toggle").click(); // show all ten
    await page.waitForFunction((el) => el.querySelectorAll('[data-testid="board-row"]').length === 10, await card.elementHandle());
    const ids = await boardIds(rows);
    correlations.push({ majority: spearman(ids, MAJORITY_ORDER), minority: spearman(ids, MINORITY_ORDER), ids });
    const signature = await card.locator(".signature li").count();
    assert.ok(signature >= 1, "each card has a signature with at least one contender");
    assert.match(await card.locator(".signature").textContent(), /model-\d/);
  }
  const matches = correlations.map((c) => (c.majority > c.minority ? "majority" : "minority"));
  assert.deepEqual(new Set(matches), new Set(["majority", "minority"]), `one card per planted group: ${JSON.stringify(correlations)}`);
  for (const c of correlations) assert.ok(Math.max(c.majority, c.minority) >= 0.9, `a card's board follows its planted order: ${JSON.stringify(c)}`);

  // The minority's signature: it likes the bottom half more (ct-5 in particular) and the old top less.
  const minorityCard = cards.nth(matches.indexOf("minority"));
  const likes = await minorityCard.locator(".signature-col.likes li").allTextContents();
  const dislikes = await minorityCard.locator(".signature-col.dislikes li").allTextContents();
  assert.ok(likes.some((t) => /model-2\s+ornate/.test(t)), `the minority likes ct-5 (model-2 ornate) more: ${likes}`);
  assert.ok(dislikes.some((t) => /model-0\s+plain/.test(t)), `the minority likes ct-0 (model-0 plain) less: ${dislikes}`);

  await page.mouse.move(0, 0); // no hover highlight in the screenshot
  await page.screenshot({ path: `${shots}clusters.png`, fullPage: true });
  assert.deepEqual(errors, [], "no script or console errors on /clusters");
});

test("/leaderboard has a tab per cluster, and a cluster's tab loads its own board", async () => {
  const { page, errors } = await openPage();
  await page.goto(`${arena.url}/leaderboard`);
  const tabs = page.getByTestId("cluster-tab");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="cluster-tab"]').length === 3, null, { timeout: 10_000 });
  assert.equal((await tabs.nth(0).textContent()).trim(), "Everyone");
  assert.equal(await tabs.nth(0).getAttribute("aria-selected"), "true");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="board-row"]').length === 10);
  assert.equal((await page.getByTestId("board-votes").textContent()).replace(/\D/g, ""), String(RATERS * VOTES_PER_RATER));
  const everyone = await boardIds(page.getByTestId("board-row"));

  // The second cluster tab.
  const tab = tabs.nth(2);
  const id = await tab.getAttribute("data-cluster");
  assert.ok(id, "the tab names its cluster");
  assert.match(await tab.textContent(), new RegExp(`Cluster ${id}`));
  await tab.click();
  await page.waitForURL((u) => u.searchParams.get("cluster") === id);
  assert.equal(await tab.getAttribute("aria-selected"), "true");
  assert.equal(await tabs.nth(0).getAttribute("aria-selected"), "false");
  await page.waitForFunction(
    (label) => document.querySelector("#board caption")?.textContent?.includes(label) && document.querySelectorAll('[data-testid="board-row"]').length === 10,
    `Cluster ${id}`,
  );
  assert.match(await page.locator("#board-title").textContent(), new RegExp(`Cluster ${id}`));
  const clusterBoard = await boardIds(page.getByTestId("board-row"));
  assert.deepEqual([...clusterBoard].sort(), [...everyone].sort(), "the same ten contenders");
  assert.notDeepEqual(clusterBoard, everyone, "the cluster's board is in a different order from everyone's");

  // The API agrees with what the page shows.
  const api = await (await fetch(`${arena.url}/api/leaderboard?cluster=${encodeURIComponent(id)}`)).json();
  const apiOrder = [...api.rows].sort((a, b) => a.rank - b.rank || b.rating - a.rating).map((r) => r.contender);
  assert.deepEqual(clusterBoard, apiOrder);
  await page.screenshot({ path: `${shots}leaderboard-cluster.png`, fullPage: true });

  // Back to everyone: the parameter goes and everyone's order comes back.
  await tabs.nth(0).click();
  await page.waitForURL((u) => !u.searchParams.has("cluster"));
  await page.waitForFunction(() => document.querySelector("#board caption")?.textContent?.includes("Everyone"));
  assert.deepEqual(await boardIds(page.getByTestId("board-row")), everyone);

  // A deep link to the cluster opens on its tab.
  await page.goto(`${arena.url}/leaderboard?cluster=${encodeURIComponent(id)}`);
  await page.waitForFunction((label) => document.querySelector("#board caption")?.textContent?.includes(label), `Cluster ${id}`);
  await page.waitForFunction((v) => document.querySelector(`[data-testid="cluster-tab"][data-cluster="${v}"]`)?.getAttribute("aria-selected") === "true", id);
  assert.deepEqual(await boardIds(page.getByTestId("board-row")), clusterBoard);

  assert.deepEqual(errors, [], "no script or console errors on /leaderboard");
});
