// Shared board rendering: a ranked table of contenders with 95% intervals drawn on a common scale.
import type { BoardRow } from "../../../schema/api.js";
import { h, svg } from "./dom.js";
import { count, pct, points, rankRange } from "./format.js";

/** The rating range that every interval bar on a page is drawn against. */
export interface Scale {
  min: number;
  max: number;
}

/** Options of renderBoard. */
export interface BoardOptions {
  /** Shared scale, so several boards on one page can be compared; defaults to this board's own. */
  scale?: Scale;
  /** Table caption (read by screen readers; shown when visibleCaption). */
  caption: string;
  visibleCaption?: boolean;
  /** Hide the win-rate and both-bad columns (for narrow side-by-side boards). */
  compact?: boolean;
  /** Text shown instead of the table when there are no rows. */
  empty?: string;
  /** Add a column with each row's rank change against the plain board (length-controlled boards carry plainRank). */
  rankChange?: boolean;
}

const BAR_W = 200;
const BAR_H = 14;

/** Computes a rounded scale covering every row's interval of the given boards. */
export function boardScale(...boards: BoardRow[][]): Scale {
  let min = Infinity;
  let max = -Infinity;
  for (const rows of boards) {
    for (const r of rows) {
      for (const v of [r.lo, r.hi, r.rating]) {
        if (!Number.isFinite(v)) continue;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 900, max: 1100 };
  const pad = Math.max(10, (max - min) * 0.04);
  min = Math.floor((min - pad) / 50) * 50;
  max = Math.ceil((max + pad) / 50) * 50;
  if (max - min < 100) {
    const mid = (max + min) / 2;
    min = Math.floor((mid - 50) / 50) * 50;
    max = min + 100;
  }
  return { min, max };
}

function x(scale: Scale, v: number): number {
  const t = (v - scale.min) / (scale.max - scale.min);
  return Math.round(Math.min(1, Math.max(0, t)) * BAR_W * 10) / 10;
}

/** Draws one row's rating and 95% interval as an inline SVG on the shared scale. */
export function intervalBar(row: Pick<BoardRow, "rating" | "lo" | "hi">, scale: Scale): SVGSVGElement {
  const lo = Number.isFinite(row.lo) ? Math.min(row.lo, row.hi) : row.rating;
  const hi = Number.isFinite(row.hi) ? Math.max(row.lo, row.hi) : row.rating;
  const x0 = x(scale, lo);
  const x1 = x(scale, hi);
  const baseline = scale.min < 1000 && scale.max > 1000 ? x(scale, 1000) : null;
  return svg(
    "svg",
    {
      class: "interval",
      viewBox: `0 0 ${BAR_W} ${BAR_H}`,
      preserveAspectRatio: "none",
      role: "img",
      "aria-label": `${points(row.rating)}, 95% interval ${points(lo)} to ${points(hi)}`,
    },
    svg("line", { class: "interval-track", x1: 0, x2: BAR_W, y1: BAR_H / 2, y2: BAR_H / 2, "vector-effect": "non-scaling-stroke" }),
    baseline !== null &&
      svg("line", { class: "interval-base", x1: baseline, x2: baseline, y1: 0, y2: BAR_H, "vector-effect": "non-scaling-stroke" }),
    svg("rect", { class: "interval-range", x: x0, y: 3.5, width: Math.max(0.8, x1 - x0), height: BAR_H - 7, rx: 1 }),
    svg("line", {
      class: "interval-point",
      x1: x(scale, row.rating),
      x2: x(scale, row.rating),
      y1: 0.5,
      y2: BAR_H - 0.5,
      "vector-effect": "non-scaling-stroke",
    }),
  );
}

/** Renders the contender cell: model, persona and the provisional badge. */
export function contenderCell(row: Pick<BoardRow, "model" | "persona" | "provisional">): HTMLElement {
  return h(
    "td",
    { class: "col-contender" },
    h("span", { class: "model" }, row.model),
    " ",
    h("span", { class: "persona" }, row.persona),
    row.provisional && " ",
    row.provisional &&
      h("span", { class: "badge", title: "Too few votes yet: this rating may still move a lot" }, "provisional"),
  );
}

/** How a rank moved against the plain board: the symbol shown ("▲2", "▼1", "–") and the words for screen readers. */
export function rankChange(rank: number, plainRank: number | undefined): { text: string; label: string; dir: "up" | "down" | "same" | "new" } {
  if (plainRank === undefined || !Number.isFinite(plainRank)) return { text: "—", label: "no rank on the plain board to compare with", dir: "new" };
  const d = plainRank - rank;
  const places = (n: number) => `${n} ${n === 1 ? "place" : "places"}`;
  if (d > 0) return { text: `▲${d}`, label: `up ${places(d)} from the plain board`, dir: "up" };
  if (d < 0) return { text: `▼${-d}`, label: `down ${places(-d)} from the plain board`, dir: "down" };
  return { text: "–", label: "same place as on the plain board", dir: "same" };
}

function changeCell(r: BoardRow): HTMLElement {
  const c = rankChange(r.rank, r.plainRank);
  return h(
    "td",
    { class: `col-change num change-${c.dir}`, "data-testid": "rank-change", "aria-label": c.label, title: c.label },
    c.text,
  );
}

function rowElement(r: BoardRow, scale: Scale, withChange: boolean): HTMLTableRowElement {
  return h(
    "tr",
    { "data-testid": "board-row", "data-contender": r.contender, class: r.provisional ? "provisional" : null },
    h("td", { class: "col-rank num" }, rankRange(r.rank, r.rankHi)),
    withChange && changeCell(r),
    contenderCell(r),
    h(
      "td",
      { class: "col-rating num" },
      h("span", { class: "rating" }, points(r.rating)),
      h("span", { class: "ci" }, `${points(r.lo)}–${points(r.hi)}`),
    ),
    h("td", { class: "col-bar" }, intervalBar(r, scale)),
    h("td", { class: "col-votes num", "data-label": "votes" }, count(r.votes)),
    h("td", { class: "col-win num extra", "data-label": "win" }, pct(r.winRate)),
    h("td", { class: "col-bad num extra", "data-label": "both bad" }, pct(r.bothBadRate)),
  );
}

/** Renders a board as a scrollable table (or an empty note), with rows marked data-testid="board-row". */
export function renderBoard(rows: BoardRow[], opts: BoardOptions): HTMLElement {
  const scale = opts.scale ?? boardScale(rows);
  if (rows.length === 0) return h("p", { class: "board-empty" }, opts.empty ?? "No contenders rated yet.");
  const sorted = [...rows].sort((a, b) => a.rank - b.rank || b.rating - a.rating);
  const table = h(
    "table",
    { class: ["board", opts.compact && "compact", opts.rankChange && "with-change"].filter(Boolean).join(" ") },
    h("caption", { class: opts.visibleCaption ? null : "visually-hidden" }, opts.caption),
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", { scope: "col", class: "col-rank num" }, "Rank"),
        opts.rankChange && h("th", { scope: "col", class: "col-change num", title: "Rank change against the plain board, without length control" }, "vs plain"),
        h("th", { scope: "col", class: "col-contender" }, "Model · persona"),
        h("th", { scope: "col", class: "col-rating num" }, "Rating"),
        h(
          "th",
          { scope: "col", class: "col-bar" },
          h("span", { class: "visually-hidden" }, "95% interval"),
          h(
            "span",
            { class: "axis", "aria-hidden": "true" },
            h("span", null, points(scale.min)),
            h("span", null, "95% interval"),
            h("span", null, points(scale.max)),
          ),
        ),
        h("th", { scope: "col", class: "col-votes num" }, "Votes"),
        h("th", { scope: "col", class: "col-win num extra" }, "Win rate"),
        h("th", { scope: "col", class: "col-bad num extra", title: "Share of this contender's duels voted 'both bad'" }, "Both bad"),
      ),
    ),
    h("tbody", null, ...sorted.map((r) => rowElement(r, scale, opts.rankChange === true))),
  );
  return h("div", { class: "board-wrap" }, table);
}
