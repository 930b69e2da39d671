/** How the crowd split on a pair of contenders, read from the published fit. */
import type { Split } from "../../schema/api.js";
import { davidsonProbabilities } from "../ratings/davidson.js";
import type { FitView } from "./cache.js";

/** The crowd's split on (a, b) as a sees it, with the fitted prediction; null before any fit. */
export function crowdSplit(view: FitView, a: string, b: string): Split | null {
  const { value: fit, index } = view;
  if (!fit) return null;
  const ia = index.get(a);
  const ib = index.get(b);
  if (ia === undefined || ib === undefined) return null;
  const lo = Math.min(ia, ib);
  const hi = Math.max(ia, ib);
  const row = view.pairs.get(lo * fit.contenders.length + hi);
  const pair = row === undefined ? undefined : fit.pairs[row];
  const [winsLo, winsHi, ties, bothBad] = pair ? [pair[2], pair[3], pair[4], pair[5]] : [0, 0, 0, 0];
  const winsA = ia === lo ? winsLo : winsHi;
  const winsB = ia === lo ? winsHi : winsLo;
  const votes = winsA + winsB + ties;
  const share = (x: number) => (votes > 0 ? Math.round((x / votes) * 1000) / 1000 : 0);
  const p = davidsonProbabilities(fit.theta[ia]! - fit.theta[ib]!, fit.eta);
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
