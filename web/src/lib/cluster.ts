// Taste-cluster helpers shared by the pages: labels and stable colours from a fixed palette of 8 (classes cl-0…cl-7 in style.css).
import { h } from "./dom.js";

/** How many colours the cluster palette has; style.css defines classes cl-0 … cl-7 (and cl-none). */
export const PALETTE_SIZE = 8;

/** A cluster's display name ("Cluster c1"). */
export function clusterLabel(id: string): string {
  return `Cluster ${id}`;
}

function numericSuffix(id: string): number | null {
  const m = /(\d+)$/.exec(id);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/**
 * Gives each cluster id a palette slot that is the same on every page: an id ending in a number n ("c3")
 * takes slot n mod 8, so it does not depend on which other clusters a page knows of; other ids (or a
 * clash) take the first free slot in natural order.
 */
export function clusterColours(ids: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  const used = new Set<number>();
  const rest: string[] = [];
  for (const id of [...new Set(ids)].sort(naturalCompare)) {
    const n = numericSuffix(id);
    const slot = n === null ? null : n % PALETTE_SIZE;
    if (slot !== null && !used.has(slot)) {
      out.set(id, slot);
      used.add(slot);
    } else {
      rest.push(id);
    }
  }
  rest.forEach((id, i) => {
    let slot = 0;
    while (slot < PALETTE_SIZE && used.has(slot)) slot++;
    if (slot === PALETTE_SIZE) slot = i % PALETTE_SIZE;
    out.set(id, slot);
    used.add(slot);
  });
  return out;
}

/** The CSS class that sets --cl to a cluster's colour ("cl-2"), or "cl-none" for no cluster. */
export function colourClass(colours: Map<string, number>, id: string | null | undefined): string {
  const slot = id === null || id === undefined ? undefined : colours.get(id);
  return slot === undefined ? "cl-none" : `cl-${slot}`;
}

/** A small colour square for a cluster (decorative: the label next to it names the cluster). */
export function swatch(colours: Map<string, number>, id: string | null): HTMLSpanElement {
  return h("span", { class: `swatch ${colourClass(colours, id)}`, "aria-hidden": "true" });
}
