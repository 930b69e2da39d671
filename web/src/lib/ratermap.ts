// The 2-D map of raters on /clusters: an SVG scatter coloured by cluster, fainter where membership is less sure.
import type { Clusters } from "../../../schema/api.js";
import { clusterLabel, colourClass } from "./cluster.js";
import { svg } from "./dom.js";
import { count, pct } from "./format.js";

type Point = Clusters["map"]["points"][number];

const W = 720;
const H = 440;
const PAD = 22;
const R = 4.6;

/** Opacity of a dot: 0.22 for a coin-flip membership, 0.95 for a settled one. */
function opacity(certainty: number): number {
  const c = Number.isFinite(certainty) ? Math.min(1, Math.max(0, certainty)) : 0;
  return Math.round((0.22 + 0.73 * c) * 100) / 100;
}

/** The range of one coordinate; with many points, a stray outlier or two may fall outside it rather than squash the rest. */
function extent(values: number[]): [number, number] {
  const v = [...values].sort((a, b) => a - b);
  const lo = v[0] ?? 0;
  const hi = v[v.length - 1] ?? 0;
  if (v.length < 50) return [lo, hi];
  const q = (p: number) => v[Math.floor(p * (v.length - 1))] ?? 0;
  const a = q(0.01);
  const b = q(0.99);
  const margin = (b - a) * 0.15;
  return [Math.max(lo, a - margin), Math.min(hi, b + margin)];
}

/**
 * Maps data coordinates into the drawing, each axis scaled to fill its side: the second principal
 * direction is often much narrower than the first, and a shared scale would flatten it to a line.
 */
function projector(points: Point[]): (p: Point) => [number, number] {
  const [x0, x1] = extent(points.map((p) => p.x));
  const [y0, y1] = extent(points.map((p) => p.y));
  const iw = W - 2 * PAD;
  const ih = H - 2 * PAD;
  const sx = x1 - x0;
  const sy = y1 - y0;
  const kx = sx > 0 ? iw / sx : 0;
  const ky = sy > 0 ? ih / sy : 0;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const fit = (v: number, max: number) => Math.round(Math.min(max - R - 2, Math.max(R + 2, v)) * 10) / 10;
  // y grows upwards in the data, downwards in SVG; outliers beyond the range sit on the frame's edge.
  return (p) => [fit(W / 2 + (p.x - cx) * kx, W), fit(H / 2 - (p.y - cy) * ky, H)];
}

function pointTitle(p: Point): string {
  const who = p.cluster === null ? "No cluster yet" : `${clusterLabel(p.cluster)} · ${pct(p.certainty)} sure`;
  return `${who} · ${count(p.votes)} ${p.votes === 1 ? "vote" : "votes"}`;
}

/** Draws the map of raters (data-testid="clusters-map", each dot data-testid="map-point"), with cluster labels at their centres. */
export function renderRaterMap(map: Clusters["map"], colours: Map<string, number>, k: number): SVGSVGElement {
  const points = map.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const at = projector(points);
  // Least sure first, so settled raters are drawn on top.
  const order = [...points].sort((a, b) => a.certainty - b.certainty);
  const centres = new Map<string, { x: number; y: number; w: number }>();
  const dots = order.map((p) => {
    const [x, y] = at(p);
    if (p.cluster !== null) {
      const c = centres.get(p.cluster) ?? { x: 0, y: 0, w: 0 };
      const w = Math.max(0.05, p.certainty);
      centres.set(p.cluster, { x: c.x + x * w, y: c.y + y * w, w: c.w + w });
    }
    return svg(
      "circle",
      {
        class: `map-point ${colourClass(colours, p.cluster)}`,
        "data-testid": "map-point",
        "data-cluster": p.cluster ?? "",
        cx: x,
        cy: y,
        r: R,
        "fill-opacity": opacity(p.certainty),
      },
      svg("title", null, pointTitle(p)),
    );
  });
  const labels =
    k > 1
      ? [...centres].map(([id, c]) =>
          svg(
            "text",
            { class: `map-label ${colourClass(colours, id)}`, x: Math.round(c.x / c.w), y: Math.round(c.y / c.w), "aria-hidden": "true" },
            id,
          ),
        )
      : [];
  const clusters = new Set(points.map((p) => p.cluster).filter((c) => c !== null)).size;
  return svg(
    "svg",
    {
      class: "rater-map",
      "data-testid": "clusters-map",
      viewBox: `0 0 ${W} ${H}`,
      role: "img",
      "aria-label": `Map of ${count(points.length)} raters in ${clusters} ${clusters === 1 ? "cluster" : "clusters"}; nearby raters vote alike.`,
    },
    svg("rect", { class: "map-frame", x: 0.5, y: 0.5, width: W - 1, height: H - 1, rx: 6 }),
    ...dots,
    ...labels,
  );
}
