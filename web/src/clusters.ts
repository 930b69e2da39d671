// The clusters page (/clusters): every taste cluster's size, signature and board, and a 2-D map of raters.
import type { ClusterInfo, Clusters } from "../../schema/api.js";
import { errorMessage, getClusters, isAbort } from "./lib/api.js";
import { boardScale, renderBoard, type Scale } from "./lib/board.js";
import { clusterColours, clusterLabel, colourClass, swatch } from "./lib/cluster.js";
import { byId, byTestId, h, replace, showError } from "./lib/dom.js";
import { ago, count, pct, signedPoints } from "./lib/format.js";
import { renderRaterMap } from "./lib/ratermap.js";

const REFRESH_MS = 30_000;
const TOP = 5;

const FORMS: Record<Clusters["predictor"]["form"], string> = {
  global: "the global board",
  clusters: "each rater's clusters",
  "global+deviation": "the global board plus each rater's own deviation",
  "clusters+deviation": "each rater's clusters plus their own deviation",
  factors: "each rater's place in the taste space",
  "factors+deviation": "each rater's place in the taste space plus their own deviation",
};

type SignatureItem = ClusterInfo["signature"]["likes"][number];

const el = {
  k: byTestId("cluster-k"),
  kLabel: byId("k-label"),
  fit: byId("fit-time"),
  facts: byId("facts"),
  votes: byId("fact-votes"),
  raters: byId("fact-raters"),
  form: byId("fact-form"),
  tau: byId("fact-tau"),
  status: byId("status"),
  error: byTestId("error"),
  noFit: byId("no-fit"),
  oneCluster: byId("one-cluster"),
  mapSection: byId("map-section"),
  map: byId("map"),
  mapNote: byId("map-note"),
  legend: byId("map-legend"),
  cardsSection: byId("cards-section"),
  cards: byId("cards"),
};

let ctl: AbortController | null = null;
let last: Clusters | null = null;
let lastJson = "";
/** Cluster ids whose full board the reader has opened; kept across refreshes. */
const expanded = new Set<string>();

function renderFitTime(): void {
  if (!last) return;
  el.fit.textContent = last.fitAt ? `fitted ${ago(last.fitAt)}` : "not fitted yet";
  if (last.fitAt) el.fit.setAttribute("title", new Date(last.fitAt).toLocaleString());
}

function signatureList(title: string, items: SignatureItem[], kind: "likes" | "dislikes"): HTMLElement {
  const sorted = [...items].sort((a, b) => (kind === "likes" ? b.delta - a.delta : a.delta - b.delta));
  return h(
    "div",
    { class: `signature-col ${kind}` },
    h("h4", null, title),
    sorted.length === 0
      ? h("p", { class: "muted" }, "Nothing stands out.")
      : h(
          "ul",
          null,
          ...sorted.map((s) =>
            h(
              "li",
              null,
              h("span", { class: "who" }, h("span", { class: "model" }, s.model), " ", h("span", { class: "persona" }, s.persona)),
              h(
                "span",
                { class: "delta num", title: `${signedPoints(s.delta)} rating points against everyone's board` },
                signedPoints(s.delta),
              ),
            ),
          ),
        ),
  );
}

function boardBlock(c: ClusterInfo, scale: Scale): HTMLElement {
  const sorted = [...c.rows].sort((a, b) => a.rank - b.rank || b.rating - a.rating);
  const host = h("div", { class: "board-host", id: `board-${c.id}` });
  const collapsible = sorted.length > TOP;
  const toggle = collapsible
    ? h("button", { type: "button", class: "quiet toggle", "aria-controls": host.id, "aria-expanded": "false" })
    : null;
  const draw = () => {
    const all = !collapsible || expanded.has(c.id);
    replace(
      host,
      renderBoard(all ? sorted : sorted.slice(0, TOP), {
        scale,
        compact: true,
        caption: `${clusterLabel(c.id)}'s board${all ? "" : `, top ${TOP}`}`,
        empty: "No contenders on this cluster's board yet.",
      }),
    );
    if (toggle) {
      toggle.setAttribute("aria-expanded", String(all));
      toggle.textContent = all ? `Show top ${TOP} only` : `Show all ${sorted.length}`;
    }
  };
  toggle?.addEventListener("click", () => {
    if (expanded.has(c.id)) expanded.delete(c.id);
    else expanded.add(c.id);
    draw();
  });
  draw();
  return h(
    "div",
    { class: "card-board" },
    h("h4", null, collapsible ? `Board · top ${TOP} of ${sorted.length}` : "Board"),
    host,
    h(
      "p",
      { class: "card-actions" },
      toggle,
      h("a", { href: `/leaderboard?cluster=${encodeURIComponent(c.id)}` }, "Full leaderboard", h("span", { "aria-hidden": "true" }, " →")),
    ),
  );
}

function card(c: ClusterInfo, colours: Map<string, number>, scale: Scale): HTMLElement {
  const size = Math.round(c.size);
  const votes = Math.round(c.votes);
  return h(
    "article",
    { class: `cluster-card clustered ${colourClass(colours, c.id)}`, "data-testid": "cluster-card", "data-cluster": c.id, "aria-labelledby": `card-h-${c.id}` },
    h(
      "header",
      { class: "card-head" },
      h("h3", { id: `card-h-${c.id}` }, swatch(colours, c.id), clusterLabel(c.id)),
      h("p", { class: "share" }, h("span", { class: "big" }, pct(c.share)), " of raters"),
    ),
    h(
      "p",
      { class: "card-stats" },
      `≈ ${count(size)} ${size === 1 ? "rater" : "raters"}`,
      h("span", { class: "sep", "aria-hidden": "true" }, "·"),
      `${count(votes)} ${votes === 1 ? "vote" : "votes"}`,
    ),
    h(
      "div",
      { class: "signature" },
      signatureList("Likes more than everyone", c.signature.likes, "likes"),
      signatureList("Likes less than everyone", c.signature.dislikes, "dislikes"),
    ),
    boardBlock(c, scale),
  );
}

function legend(data: Clusters, colours: Map<string, number>): HTMLElement[] {
  const items = data.clusters.map((c) =>
    h("li", null, swatch(colours, c.id), h("a", { href: `#card-h-${c.id}` }, clusterLabel(c.id)), h("span", { class: "num muted" }, pct(c.share))),
  );
  if (data.map.points.some((p) => p.cluster === null)) {
    items.push(h("li", null, swatch(colours, null), h("span", null, "No cluster yet")));
  }
  return items;
}

function render(data: Clusters): void {
  last = data;
  renderFitTime();
  const fitted = data.fitAt !== null;
  el.k.textContent = fitted ? String(data.k) : "–";
  el.kLabel.textContent = fitted && data.k === 1 ? "cluster" : "clusters";
  el.noFit.hidden = fitted;
  el.facts.hidden = !fitted;
  el.oneCluster.hidden = !fitted || data.k !== 1;
  el.votes.textContent = count(data.votes);
  el.raters.textContent = count(data.raters);
  el.form.textContent = FORMS[data.predictor.form] ?? data.predictor.form;
  el.tau.textContent = data.predictor.form.endsWith("deviation") ? `${data.predictor.tau.toFixed(2)} logits` : "not used";

  const json = JSON.stringify([data.clusters, data.map]);
  if (json === lastJson) return;
  lastJson = json;

  const colours = clusterColours(data.clusters.map((c) => c.id));
  const points = data.map.points;
  el.mapSection.hidden = !fitted || points.length === 0;
  if (fitted && points.length > 0) {
    replace(el.map, renderRaterMap(data.map, colours, data.k));
    replace(el.legend, ...legend(data, colours));
    el.mapNote.textContent =
      data.map.raters > points.length
        ? `A sample of ${count(points.length)} of ${count(data.map.raters)} raters.`
        : `All ${count(points.length)} ${points.length === 1 ? "rater" : "raters"}.`;
  }

  el.cardsSection.hidden = !fitted || data.clusters.length === 0;
  const scale = boardScale(...data.clusters.map((c) => c.rows));
  replace(el.cards, ...data.clusters.map((c) => card(c, colours, scale)));
}

/** Fetches the published clusters and renders them; errors are shown, not thrown. */
async function load(): Promise<void> {
  ctl?.abort();
  const mine = new AbortController();
  ctl = mine;
  el.status.textContent = last ? "" : "Loading…";
  try {
    const data = await getClusters(mine.signal);
    if (mine.signal.aborted) return;
    showError(el.error, null);
    render(data);
  } catch (e) {
    if (isAbort(e) || mine.signal.aborted) return;
    showError(el.error, errorMessage(e));
    if (!last) el.fit.textContent = "unavailable";
  } finally {
    if (ctl === mine) {
      ctl = null;
      el.status.textContent = "";
    }
  }
}

setInterval(() => {
  if (document.visibilityState === "visible" && !ctl) void load();
}, REFRESH_MS);
setInterval(renderFitTime, 1000);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !ctl) void load();
});
void load();
