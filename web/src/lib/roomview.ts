// The live view of a room, rendered from each RoomState as text only: phase, players, duel and votes, countdown, reveal, host controls.
import type { Choice } from "../../../schema/api.js";
import type { RoomState } from "../../../schema/room.js";
import { h, replace, svg } from "./dom.js";
import { renderResults } from "./roomresults.js";
import type { Connection } from "./roomsocket.js";
import { paragraphs } from "./text.js";

type Player = RoomState["players"][number];
type Reveal = NonNullable<RoomState["reveal"]>;
type Side = "a" | "b";

/** The host's commands. */
export type Control = "start" | "reveal" | "next" | "end";

/** What the view asks its owner to do. */
export interface ViewHandlers {
  vote(choice: Choice): void;
  control(command: Control): void;
}

/** Short words for a choice ("A", "tie", "both bad"). */
export const CHOICE_WORDS: Record<Choice, string> = { a: "A", b: "B", tie: "tie", both_bad: "both bad" };

const VOTE_BUTTONS: Array<{ choice: Choice; testid: string; label: string; keys: [string, string] }> = [
  { choice: "a", testid: "room-vote-a", label: "A is better", keys: ["1", "A"] },
  { choice: "tie", testid: "room-vote-tie", label: "Tie", keys: ["3", "T"] },
  { choice: "both_bad", testid: "room-vote-both-bad", label: "Both bad", keys: ["4", "X"] },
  { choice: "b", testid: "room-vote-b", label: "B is better", keys: ["2", "B"] },
];

const CONTROL_BUTTONS: Array<{ command: Control; testid: string; label: string; key: string | null }> = [
  { command: "start", testid: "room-start", label: "Start", key: "S" },
  { command: "reveal", testid: "room-reveal", label: "Reveal now", key: "R" },
  { command: "next", testid: "room-next", label: "Next duel", key: "N" },
  { command: "end", testid: "room-end", label: "End room", key: null },
];

function keyHints(...keys: string[]): HTMLElement {
  return h("span", { class: "keys", "aria-hidden": "true" }, ...keys.map((k) => h("kbd", null, k)));
}

/** A player's name as shown, falling back to the seat number. */
export function playerName(players: readonly Player[], seat: number): string {
  const p = players.find((x) => x.seat === seat);
  return p && p.name.trim() ? p.name : `Seat ${seat + 1}`;
}

/** How long is left as "42 s" or "2:05". */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Milliseconds left before the deadline, never negative and never more than the room's timer (guards against a client clock that runs late). */
export function remainingMs(state: Pick<RoomState, "deadline" | "config">, now: number): number | null {
  if (state.deadline === null) return null;
  const left = Math.max(0, state.deadline - now);
  const cap = state.config.timerSeconds !== null ? state.config.timerSeconds * 1000 : Infinity;
  return Math.min(left, cap);
}

/** A stacked bar of a split (A · tie · both bad · B), drawn with the vote page's colours. */
export function splitBar(split: Reveal["split"]): SVGSVGElement {
  const total = split.a + split.b + split.tie + split.both_bad;
  const parts: Array<[string, number]> = [
    ["seg-a", split.a],
    ["seg-tie", split.tie],
    ["seg-bad", split.both_bad],
    ["seg-b", split.b],
  ];
  let x = 0;
  const rects = parts.map(([cls, n]) => {
    const w = total > 0 ? (n / total) * 100 : 0;
    const r = svg("rect", { class: cls, x, y: 0, width: w, height: 10 });
    x += w;
    return r;
  });
  return svg("svg", { class: "split-bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true" }, ...rects);
}

/** The room's settings in a few words ("5 duels · poetry · 30 s each"). */
export function lobbyLine(config: RoomState["config"]): string {
  const parts = [`${config.duels} ${config.duels === 1 ? "duel" : "duels"}`, config.genre ?? "any genre"];
  if (config.timerSeconds !== null) parts.push(`${clock(config.timerSeconds * 1000)} each`);
  return parts.join(" · ");
}

function phaseHint(s: RoomState): string {
  const host = s.you.host;
  const voted = s.you.vote !== null;
  switch (s.phase) {
    case "lobby":
      return host ? "Players join with the code. Start when everyone is in." : "You are in. The host starts the first duel soon.";
    case "voting":
      if (voted) return "Your vote is in. The reveal comes when everyone has voted" + (s.deadline !== null ? " or the time is up." : ".");
      return "Read both passages, then vote: which is better written?";
    case "revealed":
      return host ? "Discuss, then move on to the next duel." : "Here is who wrote what. The host moves on when the room is ready.";
    case "ended":
      return "That was the last duel. Here is how the room voted.";
    case "expired":
      return ""; // the page's error region says so
  }
}

/** The live view's elements and its render functions. */
export class RoomView {
  readonly root: HTMLElement;
  private readonly phase = h("span", { class: "room-phase", "data-testid": "room-phase" }, "lobby");
  private readonly round = h("span", { class: "room-round" });
  private readonly countdownText = h("span", { class: "countdown-text" });
  private readonly countdownFill = svg("rect", { class: "countdown-fill", x: 0, y: 0, width: 100, height: 4 });
  private readonly countdown = h(
    "span",
    { class: "room-countdown", "data-testid": "room-countdown", hidden: true },
    h("span", { class: "visually-hidden" }, "Time left: "),
    this.countdownText,
    svg("svg", { class: "countdown-bar", viewBox: "0 0 100 4", preserveAspectRatio: "none", "aria-hidden": "true" }, this.countdownFill),
  );
  private readonly connection = h("span", { class: "room-connection", "data-testid": "room-connection", role: "status" });
  private readonly hint = h("p", { class: "room-hint", "data-testid": "room-hint" });
  private readonly controls = h("div", { class: "room-controls", role: "group", "aria-label": "Host controls", hidden: true });
  private readonly controlButtons = new Map<Control, HTMLButtonElement>();
  private readonly playerCount = h("span", { class: "muted" });
  private readonly players = h("ul", { class: "room-players", "data-testid": "room-players" });
  private readonly stage = h("div", { class: "room-duel", hidden: true });
  private readonly prompt = h("p", { class: "prompt", "data-testid": "room-prompt", tabindex: -1 });
  private readonly genreTag = h("span", { class: "genre-tag" });
  private readonly passages = {
    a: h("div", { class: "passage-text", "data-testid": "room-passage-a" }),
    b: h("div", { class: "passage-text", "data-testid": "room-passage-b" }),
  };
  private readonly revealUnder = {
    a: h("div", { class: "reveal", "data-testid": "room-reveal-a", hidden: true }),
    b: h("div", { class: "reveal", "data-testid": "room-reveal-b", hidden: true }),
  };
  private readonly articles: Record<Side, HTMLElement>;
  private readonly voteButtons = new Map<Choice, HTMLButtonElement>();
  private readonly votes = h("span", { "data-testid": "room-votes" }, "0");
  private readonly votesOf = h("span");
  private readonly votesLine = h("p", { class: "room-votes-line" }, this.votes, " ", this.votesOf);
  private readonly revealPanel = h("section", { class: "room-reveal-panel", "data-testid": "room-reveal-panel", "aria-label": "The reveal", hidden: true });
  private readonly results = h("section", { class: "room-results", "data-testid": "room-results", "aria-label": "Results", hidden: true });
  private readonly announce = h("p", { class: "visually-hidden", "aria-live": "polite", "aria-atomic": "true" });

  private state: RoomState | null = null;
  private duelKey = "";
  private revealKey = "";
  private resultsKey = "";
  private lastAnnounced = "";
  private pending: Choice | null = null;

  constructor(private readonly handlers: ViewHandlers) {
    for (const c of CONTROL_BUTTONS) {
      const b = h(
        "button",
        { type: "button", class: `room-control control-${c.command}`, "data-testid": c.testid, "aria-keyshortcuts": c.key },
        h("span", { class: "label" }, c.label),
        c.key && keyHints(c.key),
      );
      b.addEventListener("click", () => this.handlers.control(c.command));
      this.controlButtons.set(c.command, b);
      this.controls.appendChild(b);
    }
    const buttons = h("div", { class: "buttons" });
    for (const v of VOTE_BUTTONS) {
      const b = h(
        "button",
        { type: "button", class: "vote", "data-testid": v.testid, "aria-keyshortcuts": v.keys.join(" "), "aria-pressed": "false", disabled: true },
        v.label,
        keyHints(...v.keys),
      );
      b.addEventListener("click", () => this.handlers.vote(v.choice));
      this.voteButtons.set(v.choice, b);
      buttons.appendChild(b);
    }
    const article = (side: Side) =>
      h(
        "article",
        { class: "passage", "aria-labelledby": `room-side-${side}` },
        h("h3", { class: "side", id: `room-side-${side}` }, side.toUpperCase()),
        this.passages[side],
        this.revealUnder[side],
      );
    this.articles = { a: article("a"), b: article("b") };
    replace(
      this.stage,
      h(
        "section",
        { class: "prompt-box", "aria-labelledby": "room-prompt-h" },
        h("h2", { id: "room-prompt-h", class: "eyebrow" }, "The prompt ", this.genreTag),
        this.prompt,
      ),
      h("div", { class: "duel" }, this.articles.a, this.articles.b),
      h("section", { class: "verdict", "aria-label": "Your verdict" }, buttons, this.votesLine),
    );
    this.root = h(
      "section",
      { class: "room-live", "aria-label": "The room" },
      h("div", { class: "room-bar" }, this.phase, this.round, this.countdown, this.connection),
      this.controls,
      this.hint,
      h("section", { class: "room-people", "aria-labelledby": "room-players-h" }, h("h2", { id: "room-players-h", class: "section-h" }, "Players ", this.playerCount), this.players),
      // The split sits above the passages so a shared screen shows it without scrolling; each passage also says who wrote it.
      this.revealPanel,
      this.stage,
      this.results,
      this.announce,
    );
  }

  /** Shows the connection status ("reconnecting…"); empty once the socket is open. */
  setConnection(status: Connection): void {
    this.connection.textContent = status === "connecting" ? "Connecting…" : status === "reconnecting" ? "Connection lost, reconnecting…" : "";
    this.connection.dataset.status = status;
    this.root.classList.toggle("offline", status === "reconnecting");
  }

  /** Marks a vote as sent but not yet confirmed (null clears it). */
  setPending(choice: Choice | null): void {
    this.pending = choice;
    if (this.state) this.renderVoting(this.state);
  }

  /** Votes as the matching button would (ignored while the buttons are disabled). */
  vote(choice: Choice): void {
    const b = this.voteButtons.get(choice);
    if (b && !b.disabled) this.handlers.vote(choice);
  }

  /** True when the host control for a command is on screen and enabled. */
  canCommand(command: Control): boolean {
    const b = this.controlButtons.get(command);
    return !!b && !b.disabled && !b.hidden && !this.controls.hidden;
  }

  /** Sends a host command as its button would (ignored while the button is disabled). */
  command(command: Control): void {
    if (this.canCommand(command)) this.handlers.control(command);
  }

  /** Disables the host controls until the next state arrives (no double sends). */
  busyControls(): void {
    for (const b of this.controlButtons.values()) b.disabled = true;
  }

  /** Renders a full room state; the duel's text is only replaced when the duel changes, so reading is never disturbed. */
  render(s: RoomState): void {
    this.state = s;
    // A sent vote stays marked until the room confirms it (a state about someone else's vote may come first).
    if (this.pending && (s.you.vote === this.pending || s.phase !== "voting")) this.pending = null;
    this.root.dataset.phase = s.phase;
    this.phase.textContent = s.phase;
    this.round.textContent =
      s.round >= 0 && (s.phase === "voting" || s.phase === "revealed") ? `Duel ${s.round + 1} of ${s.config.duels}` : s.phase === "lobby" ? lobbyLine(s.config) : "";
    this.hint.textContent = phaseHint(s);
    this.renderControls(s);
    this.renderPlayers(s);
    this.players.parentElement?.toggleAttribute("hidden", s.phase === "expired");
    const showDuel = (s.phase === "voting" || s.phase === "revealed") && s.duel !== null;
    this.stage.hidden = !showDuel;
    if (showDuel && s.duel) this.renderDuel(s, s.duel);
    this.renderVoting(s);
    this.renderReveal(s);
    this.renderResults(s);
    this.tick(Date.now());
    this.announcePhase(s);
  }

  /** Updates the countdown; call a few times a second while a deadline is set. */
  tick(now: number): void {
    const s = this.state;
    const left = s && s.phase === "voting" ? remainingMs(s, now) : null;
    this.countdown.hidden = left === null;
    if (left === null || !s) return;
    this.countdownText.textContent = left > 0 ? clock(left) : "time is up";
    const total = (s.config.timerSeconds ?? 0) * 1000;
    this.countdownFill.setAttribute("width", String(total > 0 ? Math.round((left / total) * 1000) / 10 : 0));
    this.countdown.classList.toggle("urgent", left <= 5000);
  }

  private renderControls(s: RoomState): void {
    const live = s.phase !== "ended" && s.phase !== "expired";
    this.controls.hidden = !s.you.host || !live;
    const enabled: Record<Control, boolean> = {
      start: s.phase === "lobby",
      reveal: s.phase === "voting",
      next: s.phase === "revealed",
      end: live,
    };
    for (const [cmd, b] of this.controlButtons) {
      b.disabled = !enabled[cmd];
      b.hidden = cmd !== "end" && !enabled[cmd];
    }
    const last = s.round >= s.config.duels - 1;
    const next = this.controlButtons.get("next");
    const label = next?.querySelector(".label");
    if (label) label.textContent = last ? "Finish: show results" : "Next duel";
  }

  private renderPlayers(s: RoomState): void {
    const sorted = [...s.players].sort((a, b) => a.seat - b.seat);
    const here = sorted.filter((p) => p.connected).length;
    this.playerCount.textContent = here === sorted.length ? `· ${here}` : `· ${here} here of ${sorted.length}`;
    const voting = s.phase === "voting";
    replace(
      this.players,
      ...sorted.map((p) => {
        const you = p.seat === s.you.seat;
        const status = !p.connected ? "away" : voting ? (p.voted ? "voted" : "reading") : "";
        return h(
          "li",
          {
            class: ["room-player", p.connected ? "here" : "away", voting && p.voted ? "voted" : null, you ? "you" : null].filter(Boolean).join(" "),
            "data-testid": "room-player",
            "data-seat": p.seat,
            "data-connected": String(p.connected),
            "data-voted": String(voting && p.voted),
          },
          h("span", { class: "presence", "aria-hidden": "true" }),
          h("span", { class: "pname" }, playerName(s.players, p.seat)),
          p.host && h("span", { class: "badge" }, "host"),
          you && h("span", { class: "badge you" }, "you"),
          status && h("span", { class: `pstatus ${status}` }, status === "voted" ? "✓ voted" : status === "reading" ? "reading…" : "away"),
        );
      }),
    );
  }

  private renderDuel(s: RoomState, duel: NonNullable<RoomState["duel"]>): void {
    const key = `${s.round}\u0000${duel.prompt.id}\u0000${duel.a.text.length}\u0000${duel.b.text.length}`;
    if (key === this.duelKey) return;
    const fresh = this.duelKey !== "";
    this.duelKey = key;
    this.prompt.textContent = duel.prompt.text;
    this.genreTag.textContent = duel.prompt.genre;
    replace(this.passages.a, ...paragraphs(duel.a.text));
    replace(this.passages.b, ...paragraphs(duel.b.text));
    if (fresh && this.prompt.getBoundingClientRect().top < 0) this.prompt.scrollIntoView({ block: "start" });
  }

  private renderVoting(s: RoomState): void {
    const voting = s.phase === "voting";
    const mine = this.pending ?? s.you.vote;
    for (const [c, b] of this.voteButtons) {
      // A room vote is final: the buttons lock once it is sent.
      b.disabled = !voting || mine !== null;
      b.setAttribute("aria-pressed", String(mine === c));
      b.classList.toggle("pending", this.pending === c);
    }
    for (const side of ["a", "b"] as const) {
      this.articles[side].classList.toggle("chosen", mine === side);
      this.articles[side].classList.toggle("rejected", (mine === "a" || mine === "b") && mine !== side);
    }
    const here = s.players.filter((p) => p.connected).length;
    this.votesLine.hidden = s.phase !== "voting" && s.phase !== "revealed";
    this.votes.textContent = String(s.votes);
    this.votesOf.textContent = `of ${here} ${here === 1 ? "player" : "players"} ${voting ? "have voted" : "voted"}`;
  }

  private renderReveal(s: RoomState): void {
    const r = s.phase === "revealed" ? s.reveal : null;
    this.revealPanel.hidden = r === null;
    for (const side of ["a", "b"] as const) this.revealUnder[side].hidden = r === null;
    if (!r) {
      this.revealKey = "";
      return;
    }
    const key = JSON.stringify([s.round, r, s.players.map((p) => [p.seat, p.name])]);
    if (key === this.revealKey) return;
    this.revealKey = key;
    for (const side of ["a", "b"] as const) {
      const n = r.split[side];
      replace(
        this.revealUnder[side],
        h("p", { class: "who" }, h("span", { class: "model" }, r[side].model), " ", h("span", { class: "persona" }, r[side].persona)),
        h("p", { class: s.you.vote === side ? "pick mine" : "pick" }, `${n} ${n === 1 ? "pick" : "picks"}${s.you.vote === side ? " · yours" : ""}`),
      );
    }
    const total = r.split.a + r.split.b + r.split.tie + r.split.both_bad;
    const seats = Object.keys(r.picks)
      .map(Number)
      .filter((n) => Number.isInteger(n));
    for (const p of s.players) if (!seats.includes(p.seat)) seats.push(p.seat);
    seats.sort((a, b) => a - b);
    replace(
      this.revealPanel,
      h("h2", { class: "section-h" }, "How the room split ", h("span", { class: "muted" }, `· ${total} ${total === 1 ? "vote" : "votes"}`)),
      splitBar(r.split),
      h(
        "p",
        { class: "legend" },
        h("span", { class: "key key-a" }, `A ${r.split.a}`),
        h("span", { class: "key key-tie" }, `tie ${r.split.tie}`),
        h("span", { class: "key key-bad" }, `both bad ${r.split.both_bad}`),
        h("span", { class: "key key-b" }, `B ${r.split.b}`),
      ),
      h(
        "p",
        { class: "room-who" },
        h("span", { class: "key key-a" }, "A: "),
        h("strong", null, r.a.model),
        ` · ${r.a.persona}`,
        h("br"),
        h("span", { class: "key key-b" }, "B: "),
        h("strong", null, r.b.model),
        ` · ${r.b.persona}`,
      ),
      h(
        "ul",
        { class: "room-picks", "data-testid": "room-picks", "aria-label": "Each player's pick" },
        ...seats.map((seat) => {
          const pick = r.picks[String(seat)];
          return h(
            "li",
            { "data-seat": seat, class: seat === s.you.seat ? "you" : null },
            h("span", { class: "pname" }, playerName(s.players, seat)),
            h("span", { class: `pick-chip pick-${pick ?? "none"}` }, pick ? CHOICE_WORDS[pick] : "no vote"),
          );
        }),
      ),
    );
  }

  private renderResults(s: RoomState): void {
    const res = s.phase === "ended" || s.phase === "expired" ? s.results : null;
    this.results.hidden = res === null;
    if (!res) {
      this.resultsKey = "";
      return;
    }
    const key = JSON.stringify([res, s.players.map((p) => [p.seat, p.name])]);
    if (key === this.resultsKey) return;
    this.resultsKey = key;
    replace(this.results, ...renderResults(res, s.players, s.you.seat));
  }

  private announcePhase(s: RoomState): void {
    let text = "";
    if (s.phase === "voting") text = `Duel ${s.round + 1} of ${s.config.duels}. ${s.duel?.prompt.text ?? ""}`;
    else if (s.phase === "revealed" && s.reveal)
      text = `Revealed. A was ${s.reveal.a.model}, ${s.reveal.a.persona}. B was ${s.reveal.b.model}, ${s.reveal.b.persona}. The room: A ${s.reveal.split.a}, B ${s.reveal.split.b}, tie ${s.reveal.split.tie}, both bad ${s.reveal.split.both_bad}.`;
    else if (s.phase === "ended") text = "The room has ended. Results are below.";
    else if (s.phase === "expired") text = "This room has expired.";
    const key = `${s.phase}:${s.round}`;
    if (key === this.lastAnnounced) return;
    this.lastAnnounced = key;
    this.announce.textContent = text;
  }
}
