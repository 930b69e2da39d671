// The leaderboard page: the published global board or one taste cluster's (tabs), by genre or length-controlled, refreshed every 10 s.
import type { Clusters, Leaderboard } from "../../schema/api.js";
import { errorMessage, getClusters, getLeaderboard, isAbort } from "./lib/api.js";
import { ensureGenreOption, loadGenres } from "./lib/genres.js";
import { renderBoard } from "./lib/board.js";
import { clusterColours, clusterLabel, colourClass, swatch } from "./lib/cluster.js";
import { byId, byTestId, h, replace, showError } from "./lib/dom.js";
import { ago, count, pct } from "./lib/format.js";
import { renderTabs, type Tab } from "./lib/tabs.js";

const REFRESH_MS = 10_000;

const el = {
  title: byId("board-title"),
  votes: byTestId("board-votes"),
  fit: byId("fit-time"),
  tie: byId("tie-rate"),
  noFit: byId("no-fit"),
  board: byId("board"),
  error: byTestId("error"),
  status: byId("status"),
  refresh: byId<HTMLButtonElement>("refresh"),
  genre: byId<HTMLSelectElement>("genre"),
  length: byId<HTMLInputElement>("control-length"),
  lengthNote: byId("length-note"),
  effect: byTestId("length-effect"),
  clusterNote: byId("cluster-note"),
  tabs: byId("cluster-tabs"),
};

const params = new URLSearchParams(location.search);
let cluster = params.get("cluster") || null;
let clusters: Clusters | null = null;
let clustersJson = "";
let colours = new Map<string, number>();
let ctl: AbortController | null = null;
let last: Leaderboard | null = null;
let lastJson = "";
/** The genre chosen before length control cleared it, restored when length control is turned off. */
let genreBeforeLength = "";

function query() {
  return { cluster, genre: el.genre.value || null, control: el.length.checked ? ("length" as const) : null };
}

function describe(): string {
  const q = query();
  const parts = [q.cluster ? clusterLabel(q.cluster) : "Everyone"];
  if (q.genre) parts.push(q.genre);
  if (q.control) parts.push("length-controlled");
  return parts.join(" · ");
}

/** Length control and a genre cannot be combined (the API answers 400): length control clears and locks the genre. */
function applyLengthLock(): void {
  const on = el.length.checked;
  if (on && el.genre.value) {
    genreBeforeLength = el.genre.value;
    el.genre.value = "";
  } else if (!on && genreBeforeLength) {
    if (!el.genre.value) el.genre.value = genreBeforeLength;
    genreBeforeLength = "";
  }
  el.genre.disabled = on;
  el.lengthNote.hidden = !on;
  for (const input of [el.genre, el.length]) {
    if (on) input.setAttribute("aria-describedby", "length-note");
    else input.removeAttribute("aria-describedby");
  }
}

/** 1.96 standard errors of the doubling effect, in rating points. */
function doublingInterval(e: NonNullable<Leaderboard["lengthEffect"]>): number {
  const perLogit = e.coefficient !== 0 && Number.isFinite(e.doublingPoints / e.coefficient) ? Math.abs(e.doublingPoints / e.coefficient) : 400 / Math.LN10 / 3;
  return 1.96 * e.se * perLogit;
}

/** The length effect in words, above a length-controlled board (hidden on a plain one). */
function renderLengthEffect(board: Leaderboard): void {
  const on = query().control === "length";
  el.effect.hidden = !on;
  if (!on) return;
  const e = board.lengthEffect;
  if (board.control !== "length") {
    replace(el.effect, "This server does not control for length yet: the board below is the plain one.");
  } else if (!board.fitAt) {
    replace(el.effect, "Length effect: estimated with the first fit.");
  } else if (!e || e.votes === 0) {
    replace(el.effect, "Length effect: not estimated, since no vote has passages of known length yet; the ratings below equal the plain ones.");
  } else {
    const points = Math.round(e.doublingPoints);
    const ci = Math.round(doublingInterval(e));
    const clear = Math.abs(e.doublingPoints) > doublingInterval(e);
    replace(
      el.effect,
      "Length effect: a passage twice as long as its rival ",
      points >= 0 ? "gains " : "loses ",
      h("strong", null, `${Math.abs(points)} ± ${ci}`),
      " rating points; ratings below remove it. ",
      h(
        "span",
        { class: "muted" },
        `(95% interval, from ${count(e.votes)} ${e.votes === 1 ? "vote" : "votes"} with known lengths${clear ? "" : "; not clearly different from no effect"}.)`,
      ),
    );
  }
}

function renderFitTime(): void {
  if (!last) return;
  el.fit.textContent = last.fitAt ? `fitted ${ago(last.fitAt)}` : "not fitted yet";
  if (last.fitAt) el.fit.setAttribute("title", new Date(last.fitAt).toLocaleString());
}

function render(board: Leaderboard): void {
  last = board;
  el.votes.textContent = String(board.votes);
  renderFitTime();
  el.tie.textContent = board.fitAt && Number.isFinite(board.tieRate) ? `The fitted tie parameter is ν = ${board.tieRate.toFixed(2)}.` : "";
  el.noFit.hidden = board.fitAt !== null;
  renderLengthEffect(board);
  const json = JSON.stringify([board.control, board.rows]);
  if (json === lastJson) return;
  lastJson = json;
  replace(
    el.board,
    renderBoard(board.rows, {
      caption: `Leaderboard: ${describe()}`,
      empty: board.fitAt ? "No contenders on this board yet." : "The board fills in after the first fit.",
      rankChange: board.control === "length",
    }),
  );
}

/** Fetches the board for the current filters and renders it; errors are shown, not thrown. */
async function load(): Promise<void> {
  ctl?.abort();
  const mine = new AbortController();
  ctl = mine;
  el.refresh.disabled = true;
  el.status.textContent = "Refreshing…";
  try {
    const board = await getLeaderboard(query(), mine.signal);
    if (mine.signal.aborted) return;
    showError(el.error, null);
    render(board);
  } catch (e) {
    if (isAbort(e) || mine.signal.aborted) return;
    showError(el.error, errorMessage(e));
  } finally {
    if (ctl === mine) {
      ctl = null;
      el.refresh.disabled = false;
      el.status.textContent = "";
    }
  }
}

function syncUrl(): void {
  const url = new URL(location.href);
  const q = query();
  for (const [k, v] of Object.entries(q)) {
    if (v) url.searchParams.set(k, v);
    else url.searchParams.delete(k);
  }
  history.replaceState(null, "", url);
}

function onFilter(): void {
  syncUrl();
  lastJson = "";
  el.title.textContent = describe();
  el.clusterNote.hidden = cluster === null;
  paintBoard();
  void load();
}

/** Draws a cluster's board in the cluster's colour, as on /clusters. */
function paintBoard(): void {
  el.board.className = cluster ? `board-host clustered ${colourClass(colours, cluster)}` : "board-host";
}

/** Draws the tabs: Everyone, then one per published cluster (and the URL's cluster, should it no longer exist). */
function renderClusterTabs(): void {
  const list = clusters?.fitAt ? clusters.clusters : [];
  colours = clusterColours([...list.map((c) => c.id), ...(cluster ? [cluster] : [])]);
  paintBoard();
  const tabs: Tab[] = [{ value: "", label: ["Everyone"], attrs: { "data-testid": "cluster-tab", "data-cluster": "" } }];
  for (const c of list) {
    tabs.push({
      value: c.id,
      label: [swatch(colours, c.id), clusterLabel(c.id), h("span", { class: "tab-share" }, ` · ${pct(c.share)}`)],
      attrs: { "data-testid": "cluster-tab", "data-cluster": c.id },
    });
  }
  if (cluster && !list.some((c) => c.id === cluster)) {
    tabs.push({ value: cluster, label: [swatch(colours, cluster), clusterLabel(cluster)], attrs: { "data-testid": "cluster-tab", "data-cluster": cluster } });
  }
  if (tabs.length < 2) {
    el.tabs.hidden = true;
    el.board.removeAttribute("role");
    el.board.removeAttribute("aria-labelledby");
    el.board.removeAttribute("tabindex");
    return;
  }
  el.tabs.hidden = false;
  renderTabs(el.tabs, tabs, cluster ?? "", {
    panel: el.board,
    idPrefix: "cluster-tab",
    onSelect: (value) => {
      cluster = value || null;
      onFilter();
    },
  });
}

/** Fetches the published clusters for the tabs; without them (not fitted, or an older server) only "Everyone" remains. */
async function loadClusters(): Promise<void> {
  try {
    clusters = await getClusters();
  } catch {
    clusters = null;
  }
  const json = JSON.stringify(clusters?.fitAt ? clusters.clusters.map((c) => [c.id, pct(c.share)]) : null);
  if (json === clustersJson && el.tabs.childElementCount > 0) return;
  clustersJson = json;
  const focused = el.tabs.contains(document.activeElement);
  renderClusterTabs();
  if (focused) el.tabs.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
}

const g = params.get("genre");
if (g && /^[a-z][a-z0-9-]{0,39}$/.test(g)) {
  ensureGenreOption(el.genre, g);
  el.genre.value = g;
}
void loadGenres(el.genre);
el.length.checked = params.get("control") === "length";
applyLengthLock();
if (params.has("genre") || params.has("control")) syncUrl();
el.title.textContent = describe();
el.clusterNote.hidden = cluster === null;
renderClusterTabs();
el.genre.addEventListener("change", onFilter);
el.length.addEventListener("change", () => {
  applyLengthLock();
  onFilter();
});
el.refresh.addEventListener("click", () => {
  void load();
  void loadClusters();
});
setInterval(() => {
  if (document.visibilityState === "visible" && !ctl) void load();
}, REFRESH_MS);
setInterval(renderFitTime, 1000);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !ctl) {
    void load();
    void loadClusters();
  }
});
void load();
void loadClusters();
