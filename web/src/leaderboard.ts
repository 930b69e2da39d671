// The leaderboard page: the published global (or cluster / genre / length-controlled) board, refreshed every 10 s.
import type { Leaderboard } from "../../schema/api.js";
import { errorMessage, getLeaderboard, isAbort } from "./lib/api.js";
import { renderBoard } from "./lib/board.js";
import { byId, byTestId, replace, showError } from "./lib/dom.js";
import { ago } from "./lib/format.js";

const REFRESH_MS = 10_000;
const GENRES = ["fiction", "essay", "explanation", "poetry", "persuasion", "humor"];

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
  clusterNote: byId("cluster-note"),
};

const params = new URLSearchParams(location.search);
const cluster = params.get("cluster");
let ctl: AbortController | null = null;
let last: Leaderboard | null = null;
let lastJson = "";

function query() {
  return { cluster, genre: el.genre.value || null, control: el.length.checked ? ("length" as const) : null };
}

function describe(): string {
  const q = query();
  const parts = [q.cluster ? `Cluster ${q.cluster}` : "Everyone"];
  if (q.genre) parts.push(q.genre);
  if (q.control) parts.push("length-controlled");
  return parts.join(" · ");
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
  const json = JSON.stringify(board.rows);
  if (json === lastJson) return;
  lastJson = json;
  replace(
    el.board,
    renderBoard(board.rows, {
      caption: `Leaderboard: ${describe()}`,
      empty: board.fitAt ? "No contenders on this board yet." : "The board fills in after the first fit.",
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
  void load();
}

const g = params.get("genre");
if (g && GENRES.includes(g)) el.genre.value = g;
el.length.checked = params.get("control") === "length";
el.title.textContent = describe();
if (cluster) el.clusterNote.hidden = false;
el.genre.addEventListener("change", onFilter);
el.length.addEventListener("change", onFilter);
el.refresh.addEventListener("click", () => void load());
setInterval(() => {
  if (document.visibilityState === "visible" && !ctl) void load();
}, REFRESH_MS);
setInterval(renderFitTime, 1000);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !ctl) void load();
});
void load();
