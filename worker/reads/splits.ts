/** How the crowd split on a pair of contenders, read from the published fit. */
import type { Split } from "../../schema/api.js";
import { davidsonProbabilities } from "../ratings/davidson.js";
import type { FitView } from "./cache.js";

/** The crowd's split on (a, b) as a sees it, with the fitted prediction; null before any fit. */
export function crowdSplit(view: FitView, a: string, b: string): Split | null {
  const fit = view.value;
  if (!fit) return null;
  return split(view, a, b, view.pairs, fit.pairs, fit.theta, fit.eta);
}

/** How one taste cluster split on (a, b), weighted by membership, with its prediction. */
export function clusterSplit(view: FitView, cluster: string, a: string, b: string): Split | null {
  const fit = view.value;
  const found = view.clusters.get(cluster);
  if (!fit || !found) return null;
  const c = fit.taste.clusters[found.index]!;
  return split(view, a, b, found.pairs, c.pairs ?? [], c.theta, c.eta);
}

function split(
  view: FitView,
  a: string,
  b: string,
  lookup: Map<number, number>,
  pairs: [number, number, number, number, number, number][],
  theta: number[],
  eta: number,
): Split | null {
  const ia = view.index.get(a);
  const ib = view.index.get(b);
  if (ia === undefined || ib === undefined) return null;
  const lo = Math.min(ia, ib);
  const hi = Math.max(ia, ib);
  const row = lookup.get(lo * view.value!.contenders.length + hi);
  const pair = row === undefined ? undefined : pairs[row];
  const [winsLo, winsHi, ties, bothBad] = pair ? [pair[2], pair[3], pair[4], pair[5]] : [0, 0, 0, 0];
  const winsA = ia === lo ? winsLo : winsHi;
  const winsB = ia === lo ? winsHi : winsLo;
  const votes = Math.round((winsA + winsB + ties) * 10) / 10;
  const total = winsA + winsB + ties;
  const share = (x: number) => (total > 0 ? Math.round((x / total) * 1000) / 1000 : 0);
  const p = davidsonProbabilities(theta[ia]! - theta[ib]!, eta);
  return {
    votes,
    a: share(winsA),
    b: share(winsB),
    tie: share(ties - bothBad),
    bothBad: share(bothBad),
    predicted: { a: round3(p.a), b: round3(p.b), tie: round3(p.tie) },
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
