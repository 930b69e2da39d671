// Number and time formatting shared by the pages.

/** Formats a 0..1 share as a whole percentage ("42%"), or an em dash for null. */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${Math.round(x * 100)}%`;
}

/** Formats an integer with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** Formats a rating in whole points. */
export function points(x: number): string {
  return Math.round(x).toString();
}

/** Formats a rating difference in whole points with its sign ("+84", "−62", "±0"). */
export function signedPoints(x: number): string {
  const r = Math.round(x);
  if (!Number.isFinite(r)) return "—";
  return r > 0 ? `+${r}` : r < 0 ? `−${-r}` : "±0";
}

/** Formats a rank range: "3" when certain, "2–4" when the intervals overlap. */
export function rankRange(rank: number, rankHi: number): string {
  return rank === rankHi ? String(rank) : `${rank}–${rankHi}`;
}

/** Formats how long ago an ISO time was ("12 s ago", "5 min ago", "3 h ago", "2 d ago"). */
export function ago(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return "at an unknown time";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const hrs = Math.floor(m / 60);
  if (hrs < 48) return `${hrs} h ago`;
  return `${Math.floor(hrs / 24)} d ago`;
}

/** Turns a reason tag id into its label ("too_long" → "too long", "cliche" → "cliché"). */
export function reasonLabel(tag: string): string {
  return tag === "cliche" ? "cliché" : tag.replace(/_/g, " ");
}
