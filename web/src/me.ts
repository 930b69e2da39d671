// The "my taste" page (/me): the rater's own board beside the global one, their quirk, taste cluster and what the board rests on.
import type { Leaderboard, Me } from "../../schema/api.js";
import { errorMessage, getLeaderboard, getMe, isAbort } from "./lib/api.js";
import { boardScale, renderBoard } from "./lib/board.js";
import { byId, byTestId, h, replace, showError, svg } from "./lib/dom.js";
import { clusterColours, clusterLabel, colourClass, swatch } from "./lib/cluster.js";
import { count, pct, points } from "./lib/format.js";

const el = {
  votes: byTestId("me-votes"),
  rater: byId("rater-id"),
  quirk: byId("quirk"),
  clusters: byTestId("me-cluster"),
  basis: byId("basis"),
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
  const w = Math.round(Math.max(0, Math.min(1, p)) * 1000) / 10;
  return svg(
    "svg",
    { class: "member-bar", viewBox: "0 0 100 8", preserveAspectRatio: "none", "aria-hidden": "true" },
    svg("rect", { class: "member-track", x: 0, y: 0, width: 100, height: 8, rx: 1 }),
    svg("rect", { class: "member-fill", x: 0, y: 0, width: w, height: 8, rx: 1 }),
  );
}

function settleText(m: Me["cluster"]): string {
  if (m.votesToSettle == null) return "Clusters are not fitted yet, so there is nothing to settle.";
  if (m.votesToSettle <= 0) return "Settled: more votes are unlikely to move you to another cluster.";
  const n = m.votesToSettle;
  return `About ${count(n)} more ${n === 1 ? "vote" : "votes"} would settle it.`;
}

const BASIS: Record<Me["basis"], string> = {
  rater: "Built from your own votes.",
  cluster: "Leans on your taste cluster's board until your own votes say more.",
  factors: "Built from where your votes place you in the taste space.",
  global: "Leans on everyone's board until you have voted more.",
};

function renderClusters(me: Me): void {
  const m = me.cluster;
  const entries = Object.entries(m.membership)
    .filter(([, p]) => Number.isFinite(p))
    .sort((x, y) => y[1] - x[1]);
  if (entries.length === 0 || m.votesToSettle == null) {
    replace(
      el.clusters,
      h("p", null, "Your taste cluster will show here once the arena has fitted clusters."),
      h("p", { class: "muted" }, settleText(m)),
    );
    return;
  }
  const colours = clusterColours(entries.map(([id]) => id));
  const [topId, topP] = entries[0]!;
  const main = m.id ?? topId;
  const sure = Number.isFinite(m.certainty) ? m.certainty : (m.membership[main] ?? topP);
  const list = h(
    "ul",
    { class: "membership", "aria-label": "How likely you belong to each cluster" },
    ...entries.map(([id, p]) =>
      h(
        "li",
        { class: `${colourClass(colours, id)}${id === main ? " current" : ""}`, "data-cluster": id },
        h("a", { href: `/leaderboard?cluster=${encodeURIComponent(id)}` }, swatch(colours, id), clusterLabel(id)),
        membershipBar(p),
        h("span", { class: "num" }, pct(p)),
      ),
    ),
  );
  replace(
    el.clusters,
    h(
      "p",
      { class: "cluster-line" },
      "Your taste cluster: ",
      swatch(colours, main),
      h("strong", null, main),
      ` (${pct(sure)} sure)`,
    ),
    entries.length === 1 ? h("p", { class: "muted" }, "No distinct taste groups have been found yet: everyone is one cluster.") : list,
    h("p", { class: m.votesToSettle === 0 ? "settle settled" : "settle" }, settleText(m)),
    me.votes === 0 ? h("p", { class: "muted" }, "You have not voted yet, so this is only each cluster's share of raters.") : null,
    h("p", { class: "muted" }, h("a", { href: "/clusters" }, "What each cluster likes")),
  );
}

function render(me: Me, global: Leaderboard): void {
  el.votes.textContent = String(me.votes);
  el.rater.textContent = me.rater;
  renderQuirk(me);
  renderClusters(me);
  el.basis.textContent = BASIS[me.basis] ?? "";
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
