// The "my taste" page (/me): the rater's own board beside the global one, their quirk and their taste clusters.
import type { Leaderboard, Me } from "../../schema/api.js";
import { errorMessage, getLeaderboard, getMe, isAbort } from "./lib/api.js";
import { boardScale, renderBoard } from "./lib/board.js";
import { byId, byTestId, h, replace, showError, svg } from "./lib/dom.js";
import { pct, points } from "./lib/format.js";

const el = {
  votes: byTestId("me-votes"),
  rater: byId("rater-id"),
  quirk: byId("quirk"),
  clusters: byId("clusters"),
  mine: byId("my-board"),
  global: byId("global-board"),
  error: byTestId("error"),
  status: byId("status"),
};

let ctl: AbortController | null = null;

function renderQuirk(me: Me): void {
  if (me.votes === 0 || me.rows.length === 0) {
    replace(el.quirk, h("p", null, "Vote on a few duels and this will show how far your taste is from the crowd's."));
    return;
  }
  replace(
    el.quirk,
    h("p", { class: "figure" }, points(me.quirk), h("span", { class: "unit" }, " rating points")),
    h(
      "p",
      { class: "muted" },
      "How far your board sits from the global one (root-mean-square over contenders). Zero would mean you agree with everyone.",
    ),
  );
}

function membershipBar(p: number): SVGSVGElement {
  const w = Math.max(0, Math.min(1, p)) * 100;
  return svg(
    "svg",
    { class: "member-bar", viewBox: "0 0 100 8", preserveAspectRatio: "none", "aria-hidden": "true" },
    svg("rect", { class: "member-track", x: 0, y: 0, width: 100, height: 8, rx: 1 }),
    svg("rect", { class: "member-fill", x: 0, y: 0, width: w, height: 8, rx: 1 }),
  );
}

function renderClusters(me: Me): void {
  const entries = Object.entries(me.cluster.membership)
    .filter(([, p]) => Number.isFinite(p))
    .sort((x, y) => y[1] - x[1]);
  if (entries.length === 0) {
    replace(el.clusters, h("p", null, "Taste clusters will show here once the arena has fitted them."));
    return;
  }
  const [topId, topP] = entries[0]!;
  const main = me.cluster.id ?? topId;
  const sure = me.cluster.id ? (me.cluster.membership[me.cluster.id] ?? topP) : topP;
  const list = h(
    "ul",
    { class: "membership" },
    ...entries.map(([id, p]) =>
      h(
        "li",
        { class: id === main ? "current" : null },
        h("a", { href: `/leaderboard?cluster=${encodeURIComponent(id)}` }, `Cluster ${id}`),
        membershipBar(p),
        h("span", { class: "num" }, pct(p)),
      ),
    ),
  );
  replace(
    el.clusters,
    h("p", null, "You most likely belong to ", h("strong", null, `cluster ${main}`), ` (${pct(sure)} sure).`),
    list,
    sure < 0.9 ? h("p", { class: "muted" }, "More votes will make this clearer.") : null,
  );
}

function render(me: Me, global: Leaderboard): void {
  el.votes.textContent = String(me.votes);
  el.rater.textContent = me.rater;
  renderQuirk(me);
  renderClusters(me);
  const scale = boardScale(me.rows, global.rows);
  replace(
    el.mine,
    renderBoard(me.rows, {
      scale,
      compact: true,
      caption: "Your board",
      empty: "Vote on a few duels to grow your own board.",
    }),
  );
  replace(
    el.global,
    renderBoard(global.rows, {
      scale,
      compact: true,
      caption: "Everyone's board",
      empty: global.fitAt ? "No contenders on the global board yet." : "The global board fills in after the first fit.",
    }),
  );
}

/** Fetches the rater's profile and the global board together and renders both. */
async function load(): Promise<void> {
  ctl?.abort();
  const mine = new AbortController();
  ctl = mine;
  el.status.textContent = "Loading…";
  try {
    const [me, global] = await Promise.all([getMe(mine.signal), getLeaderboard({}, mine.signal)]);
    if (mine.signal.aborted) return;
    showError(el.error, null);
    render(me, global);
  } catch (e) {
    if (isAbort(e) || mine.signal.aborted) return;
    showError(el.error, errorMessage(e));
  } finally {
    if (ctl === mine) {
      ctl = null;
      el.status.textContent = "";
    }
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") void load();
});
void load();
