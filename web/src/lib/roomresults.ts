// The end of a room: its own board, who agreed with whom (a heat table), taste twins and each player's global cluster.
import type { RoomResults, RoomState } from "../../../schema/room.js";
import { clusterColours, clusterLabel, colourClass, swatch } from "./cluster.js";
import { h, svg } from "./dom.js";
import { count, pct, points } from "./format.js";

type Player = RoomState["players"][number];

/** Heat bucket 0–4 of an agreement share (0–20%, …, 80–100%), or "none" when the pair shared no duel. */
export function heat(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "heat-none";
  return `heat-${Math.min(4, Math.max(0, Math.floor(share * 5)))}`;
}

function nameOf(players: readonly Player[], seat: number): string {
  const p = players.find((x) => x.seat === seat);
  return p && p.name.trim() ? p.name : `Seat ${seat + 1}`;
}

function ratingBar(rating: number, min: number, max: number): SVGSVGElement {
  const span = max - min;
  const w = span > 0 ? 8 + ((rating - min) / span) * 92 : 100;
  return svg(
    "svg",
    { class: "room-rating-bar", viewBox: "0 0 100 8", preserveAspectRatio: "none", "aria-hidden": "true" },
    svg("rect", { class: "room-rating-fill", x: 0, y: 0, width: Math.round(w * 10) / 10, height: 8, rx: 1 }),
  );
}

function boardSection(res: RoomResults): HTMLElement {
  const rows = [...res.board].sort((a, b) => b.rating - a.rating);
  const ratings = rows.map((r) => r.rating).filter(Number.isFinite);
  const min = Math.min(...ratings);
  const max = Math.max(...ratings);
  const body =
    rows.length === 0
      ? h("p", { class: "board-empty" }, "No votes were cast, so the room has no board.")
      : h(
          "div",
          { class: "board-wrap" },
          h(
            "table",
            { class: "room-board", "data-testid": "room-board" },
            h("caption", { class: "visually-hidden" }, "The room's board: contenders by rating from this room's votes"),
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                h("th", { scope: "col", class: "num" }, "#"),
                h("th", { scope: "col" }, "Model · persona"),
                h("th", { scope: "col", class: "num" }, "Rating"),
                h("th", { scope: "col", class: "bar-col" }, h("span", { class: "visually-hidden" }, "Rating bar")),
                h("th", { scope: "col", class: "num" }, "Votes"),
              ),
            ),
            h(
              "tbody",
              null,
              ...rows.map((r, i) =>
                h(
                  "tr",
                  { "data-testid": "room-board-row", "data-contender": r.contender },
                  h("td", { class: "num rank" }, String(i + 1)),
                  h("td", { class: "col-contender" }, h("span", { class: "model" }, r.model), " ", h("span", { class: "persona" }, r.persona)),
                  h("td", { class: "num rating" }, points(r.rating)),
                  h("td", { class: "bar-col" }, ratingBar(r.rating, min, max)),
                  h("td", { class: "num" }, count(r.votes)),
                ),
              ),
            ),
          ),
        );
  return h("section", { class: "room-result room-result-board" }, h("h2", { class: "section-h" }, "The room's board"), body);
}

function agreementSection(res: RoomResults, players: readonly Player[], you: number): HTMLElement {
  const seats = res.seats;
  const names = seats.map((s) => nameOf(players, s));
  const table = h(
    "table",
    { class: ["room-agreement", seats.length > 6 ? "many" : null].filter(Boolean).join(" "), "data-testid": "room-agreement" },
    h("caption", { class: "visually-hidden" }, "Agreement: the share of duels both players voted on where they chose the same"),
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("td", { class: "corner" }),
        ...seats.map((s, j) => h("th", { scope: "col", class: s === you ? "you" : null, title: names[j] ?? "" }, h("span", null, names[j] ?? ""))),
      ),
    ),
    h(
      "tbody",
      null,
      ...seats.map((si, i) =>
        h(
          "tr",
          { "data-seat": si },
          h("th", { scope: "row", class: si === you ? "you" : null }, names[i] ?? ""),
          ...seats.map((sj, j) => {
            if (i === j) return h("td", { class: "self", "aria-label": "same player" }, "·");
            const v = res.agreement[i]?.[j] ?? null;
            const title = v === null ? `${names[i]} and ${names[j]} voted on no duel in common` : `${names[i]} and ${names[j]} chose the same on ${pct(v)} of their shared duels`;
            return h("td", { class: `cell ${heat(v)}`, title, "data-seat": sj }, v === null ? "—" : pct(v));
          }),
        ),
      ),
    ),
  );
  return h(
    "section",
    { class: "room-result room-result-agreement" },
    h("h2", { class: "section-h" }, "Who agreed with whom"),
    seats.length < 2 ? h("p", { class: "muted" }, "It takes two players to agree.") : h("div", { class: "agreement-wrap" }, table),
    seats.length >= 2 &&
      h(
        "p",
        { class: "heat-legend muted", "aria-hidden": "true" },
        "agreed ",
        ...[0, 1, 2, 3, 4].map((n) => h("span", { class: `heat-key heat-${n}` }, `${n * 20}–${n * 20 + 20}%`)),
      ),
  );
}

function twinsSection(res: RoomResults, players: readonly Player[], you: number): HTMLElement {
  const seats = [...res.seats].sort((a, b) => (a === you ? -1 : b === you ? 1 : a - b));
  return h(
    "section",
    { class: "room-result room-result-twins" },
    h("h2", { class: "section-h" }, "Taste twins"),
    h(
      "ul",
      { class: "room-twins", "data-testid": "room-twins" },
      ...seats.map((seat) => {
        const twin = res.twins[String(seat)] ?? null;
        return h(
          "li",
          { "data-seat": seat, class: seat === you ? "you" : null },
          h("span", { class: "pname" }, seat === you ? `You (${nameOf(players, seat)})` : nameOf(players, seat)),
          twin
            ? h("span", { class: "twin" }, " ↔ ", h("strong", null, nameOf(players, twin.seat)), h("span", { class: "muted" }, ` · agreed ${pct(twin.agreement)}`))
            : h("span", { class: "twin muted" }, " · no twin (no duel voted in common)"),
        );
      }),
    ),
  );
}

function clustersSection(res: RoomResults, players: readonly Player[], you: number): HTMLElement {
  const seats = [...res.seats].sort((a, b) => (a === you ? -1 : b === you ? 1 : a - b));
  const ids = Object.values(res.clusters)
    .map((c) => c.id)
    .filter((id): id is string => id !== null);
  const colours = clusterColours(ids);
  const none = ids.length === 0;
  return h(
    "section",
    { class: "room-result room-result-clusters" },
    h("h2", { class: "section-h" }, "Each player's taste cluster"),
    none
      ? h("p", { class: "muted" }, "The arena has no taste clusters yet (or too few votes from this room to place anyone).")
      : h(
          "ul",
          { class: "room-clusters", "data-testid": "room-clusters" },
          ...seats.map((seat) => {
            const c = res.clusters[String(seat)];
            const id = c?.id ?? null;
            return h(
              "li",
              { "data-seat": seat, class: [seat === you ? "you" : null, colourClass(colours, id)].filter(Boolean).join(" ") },
              h("span", { class: "pname" }, nameOf(players, seat)),
              id
                ? h(
                    "span",
                    { class: "cluster" },
                    swatch(colours, id),
                    h("a", { href: `/leaderboard?cluster=${encodeURIComponent(id)}` }, clusterLabel(id)),
                    h("span", { class: "muted" }, ` · ${pct(c?.certainty)} sure`),
                  )
                : h("span", { class: "cluster muted" }, "not placed yet"),
            );
          }),
        ),
    !none && h("p", { class: "note" }, h("a", { href: "/clusters" }, "What each cluster likes"), " · ", h("a", { href: "/me" }, "your own taste")),
  );
}

/** The results panel's sections, from the room's results and its players (names by seat). */
export function renderResults(res: RoomResults, players: readonly Player[], you: number): HTMLElement[] {
  return [
    h("h2", { class: "room-results-h" }, "Results"),
    h(
      "div",
      { class: "room-results-grid" },
      boardSection(res),
      agreementSection(res, players, you),
      twinsSection(res, players, you),
      clustersSection(res, players, you),
    ),
  ];
}
