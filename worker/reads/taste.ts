/** Bridges the published taste model and one rater: vote hints for their object, and membership as the API shows it. */
import type { Membership } from "../../schema/api.js";
import type { AxisEnds } from "../../schema/fit.js";
import type { TastePlace, TasteSpaceModel } from "../ratings/posterior.js";
import type { MembershipState, TasteHint } from "../objects/rater.js";
import { votesToSettle } from "../ratings/posterior.js";
import type { FitView } from "./cache.js";

/** What the rater's object needs from the fit to take a vote on contenders a and b. */
export function tasteHint(view: FitView, a: string, b: string): TasteHint | null {
  const model = view.model;
  if (!model) return null;
  const ia = view.index.get(a);
  const ib = view.index.get(b);
  if (ia === undefined || ib === undefined) return null;
  return {
    fitId: model.fitId,
    clusters: model.clusters.map((c) => c.id),
    shares: model.clusters.map((c) => c.share),
    eta: model.clusters.map((c) => c.eta),
    thetaA: model.clusters.map((c) => c.theta[ia]!),
    thetaB: model.clusters.map((c) => c.theta[ib]!),
    globalA: model.global.theta[ia]!,
    globalB: model.global.theta[ib]!,
    tau: model.predictor.tau,
  };
}

/** Membership as the API shows it: most likely cluster, probabilities, certainty, votes to settle. */
export function describeMembership(view: FitView, state: MembershipState | null): Membership {
  const model = view.model;
  if (!model || !state || state.clusters.length === 0) return { id: null, membership: {}, certainty: 0, votesToSettle: null };
  let best = 0;
  for (let k = 1; k < state.membership.length; k++) if (state.membership[k]! > state.membership[best]!) best = k;
  return {
    id: state.clusters[best]!,
    membership: Object.fromEntries(state.clusters.map((id, k) => [id, Math.round(state.membership[k]! * 1000) / 1000])),
    certainty: Math.round(state.membership[best]! * 1000) / 1000,
    votesToSettle: votesToSettle(model, state.membership),
  };
}

/** A map axis as the API shows it: the contenders at its two ends. */
export function axisEnds(axis: Pick<AxisEnds, "positive" | "negative">): { positive: string[]; negative: string[] } {
  return { positive: axis.positive, negative: axis.negative };
}

/** A rater's place in the taste space as the API shows it (null without a space or a place). */
export function describePlace(space: TasteSpaceModel | null | undefined, place: TastePlace | null): { position: TastePlace; axes: { positive: string[]; negative: string[] }[] } | null {
  if (!space || !place) return null;
  return { position: place, axes: space.axes.map(axisEnds) };
}
