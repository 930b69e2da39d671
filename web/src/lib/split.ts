// Renders the reveal after a vote: who wrote each side, and how the crowd and the rater's cluster split on the pair.
import type { Choice, Split, VoteResult } from "../../../schema/api.js";
import { h, svg } from "./dom.js";
import { count, pct } from "./format.js";

type Side = "a" | "b";

const CHOICE_TEXT: Record<Choice, string> = {
  a: "You picked A",
  b: "You picked B",
  tie: "You called it a tie",
  both_bad: "You marked both bad",
};

/** The reveal under one passage: its model and persona, and whether the rater picked it. */
export function revealSide(result: VoteResult, side: Side): HTMLElement[] {
  const who = result.reveal[side];
  const mine = result.choice === side;
  const note =
    result.choice === side ? "Your pick" : result.choice === "tie" ? "Tie" : result.choice === "both_bad" ? "Both bad" : null;
  return [
    h("p", { class: "who" }, h("span", { class: "model" }, who.model), " ", h("span", { class: "persona" }, who.persona)),
    note ? h("p", { class: mine ? "pick mine" : "pick" }, note) : null,
  ].filter((x): x is HTMLParagraphElement => x !== null);
}

/** Normalised shares of a split (robust to counts or rounding); all zero when there are no votes. */
function shares(s: Split): { a: number; b: number; tie: number; bothBad: number } {
  const total = s.a + s.b + s.tie + s.bothBad;
  if (!(total > 0)) return { a: 0, b: 0, tie: 0, bothBad: 0 };
  return { a: s.a / total, b: s.b / total, tie: s.tie / total, bothBad: s.bothBad / total };
}

function splitBar(sh: ReturnType<typeof shares>): SVGSVGElement {
  const parts: Array<[string, number]> = [
    ["seg-a", sh.a],
    ["seg-tie", sh.tie],
    ["seg-bad", sh.bothBad],
    ["seg-b", sh.b],
  ];
  let x = 0;
  const rects = parts.map(([cls, v]) => {
    const r = svg("rect", { class: cls, x: x * 100, y: 0, width: v * 100, height: 10 });
    x += v;
    return r;
  });
  return svg(
    "svg",
    { class: "split-bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true" },
    ...rects,
  );
}

/** One labelled split: a stacked bar (A · tie · both bad · B) with its figures, or a "first votes" note. */
export function renderSplit(title: string, s: Split | null, choice: Choice): HTMLElement {
  if (!s || s.votes <= 0) {
    return h("div", { class: "split empty" }, h("h3", null, title), h("p", null, "First votes on this pair."));
  }
  const sh = shares(s);
  const agree = choice === "both_bad" ? sh.bothBad : sh[choice];
  return h(
    "div",
    { class: "split" },
    h("h3", null, title, " ", h("span", { class: "muted" }, `· ${count(s.votes)} ${s.votes === 1 ? "vote" : "votes"}`)),
    splitBar(sh),
    h(
      "p",
      { class: "legend" },
      h("span", { class: "key key-a" }, `A ${pct(sh.a)}`),
      h("span", { class: "key key-tie" }, `tie ${pct(sh.tie)}`),
      h("span", { class: "key key-bad" }, `both bad ${pct(sh.bothBad)}`),
      h("span", { class: "key key-b" }, `B ${pct(sh.b)}`),
    ),
    h(
      "p",
      { class: "muted" },
      `${pct(agree)} voted as you did. The ratings predicted A ${pct(s.predicted.a)}, tie ${pct(s.predicted.tie)}, B ${pct(s.predicted.b)}.`,
    ),
  );
}

/** The crowd panel: the global split, and the rater's cluster split when there is one. */
export function renderCrowd(result: VoteResult): HTMLElement[] {
  const out: HTMLElement[] = [
    h("h2", null, "How others split on this pair"),
    renderSplit("Everyone", result.crowd, result.choice),
  ];
  if (result.cluster) {
    const id = result.cluster.id;
    const split = renderSplit(`Your cluster (${id})`, result.cluster.split, result.choice);
    split.classList.add("split-cluster");
    split.dataset.testid = "cluster-split";
    out.push(split);
  }
  if (result.duplicate) out.push(h("p", { class: "muted" }, "You had already voted on this duel; it was counted once."));
  return out;
}

/** A one-sentence summary of the reveal for the screen-reader live region. */
export function revealSummary(result: VoteResult): string {
  const { a, b } = result.reveal;
  const crowd = result.crowd && result.crowd.votes > 0 ? shares(result.crowd) : null;
  const crowdText = crowd
    ? ` Everyone: A ${pct(crowd.a)}, B ${pct(crowd.b)}, tie ${pct(crowd.tie)}, both bad ${pct(crowd.bothBad)}.`
    : " First votes on this pair.";
  const cl = result.cluster;
  const mine = cl && cl.split.votes > 0 ? shares(cl.split) : null;
  const clusterText =
    cl && mine ? ` Your cluster (${cl.id}): A ${pct(mine.a)}, B ${pct(mine.b)}, tie ${pct(mine.tie)}, both bad ${pct(mine.bothBad)}.` : "";
  return `${CHOICE_TEXT[result.choice]}. A was ${a.model}, ${a.persona}. B was ${b.model}, ${b.persona}.${crowdText}${clusterText}`;
}
