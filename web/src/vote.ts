// The vote page (/): loads a blind duel, takes the verdict by button or key, then shows the reveal and the crowd split.
import type { Choice, Duel, ReasonTag, VoteResult } from "../../schema/api.js";
import { errorMessage, getDuel, isAbort, postVote } from "./lib/api.js";
import { byId, byTestId, h, isTypingTarget, replace, showError } from "./lib/dom.js";
import { reasonLabel } from "./lib/format.js";
import { renderCrowd, revealSide, revealSummary } from "./lib/split.js";
import { ensureGenreOption, loadGenres } from "./lib/genres.js";
import { paragraphs } from "./lib/text.js";

const REASONS = [
  "voice",
  "clarity",
  "surprise",
  "rhythm",
  "accuracy",
  "too_long",
  "too_short",
  "cliche",
  "hedging",
  "purple",
] as const satisfies readonly ReasonTag[];
// Compile-time check that every ReasonTag of the schema has a chip.
const everyReason: [Exclude<ReasonTag, (typeof REASONS)[number]>] extends [never] ? true : false = true;
void everyReason;

const KEYS: Record<string, Choice | "next"> = {
  "1": "a", a: "a",
  "2": "b", b: "b",
  "3": "tie", t: "tie",
  "4": "both_bad", x: "both_bad",
  n: "next",
};
const COUNTER_KEY = "palate.sessionVotes";
const MAX_READ_MS = 86_400_000;

type State = "loading" | "ready" | "voting" | "voted" | "failed";

const el = {
  prompt: byTestId("duel-prompt"),
  genreTag: byId("genre-tag"),
  status: byId("status"),
  error: byTestId("error"),
  duel: byId("duel"),
  passage: { a: byTestId("passage-a"), b: byTestId("passage-b") },
  reveal: { a: byTestId("reveal-a"), b: byTestId("reveal-b") },
  crowd: byTestId("crowd"),
  announce: byId("announce"),
  repeat: byId("repeat-note"),
  next: byTestId<HTMLButtonElement>("next"),
  genre: byId<HTMLSelectElement>("genre"),
  counter: byId("session-votes"),
  counterLabel: byId("session-votes-label"),
  reasons: byId("reasons"),
  votes: {
    a: byTestId<HTMLButtonElement>("vote-a"),
    b: byTestId<HTMLButtonElement>("vote-b"),
    tie: byTestId<HTMLButtonElement>("vote-tie"),
    both_bad: byTestId<HTMLButtonElement>("vote-both-bad"),
  } satisfies Record<Choice, HTMLButtonElement>,
};

let state: State = "loading";
let duel: Duel | null = null;
let shownAt = 0;
let loadCtl: AbortController | null = null;
const chosenReasons = new Set<ReasonTag>();
const chips = new Map<ReasonTag, HTMLButtonElement>();

/** Moves the page to a new state and updates which controls are usable. */
function setState(next: State): void {
  state = next;
  document.body.dataset.state = next;
  const canVote = next === "ready";
  for (const b of Object.values(el.votes)) b.disabled = !canVote;
  for (const c of chips.values()) c.disabled = !canVote;
  el.next.disabled = next === "loading" || next === "voting";
  el.next.classList.toggle("primary", next === "voted" || next === "failed");
  el.genre.disabled = next === "voting";
  el.duel.setAttribute("aria-busy", String(next === "loading"));
  el.status.textContent = next === "loading" ? "Loading a duel…" : next === "voting" ? "Sending your vote…" : "";
}

let pageVotes = 0;

function sessionVotes(): number {
  let n = pageVotes;
  try {
    n = Math.max(n, Number(sessionStorage.getItem(COUNTER_KEY) ?? "0"));
  } catch {
    // storage may be unavailable (private mode, sandbox); the counter then lives in the page only
  }
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : pageVotes;
}

function bumpSessionVotes(): void {
  const n = sessionVotes() + 1;
  pageVotes = n;
  try {
    sessionStorage.setItem(COUNTER_KEY, String(n));
  } catch {
    // see sessionVotes
  }
  showCounter(n);
}

function showCounter(n: number): void {
  el.counter.textContent = String(n);
  el.counterLabel.textContent = n === 1 ? "vote" : "votes";
}

function clearReveal(): void {
  for (const side of ["a", "b"] as const) {
    replace(el.reveal[side]);
    el.reveal[side].hidden = true;
    el.passage[side].closest("article")?.classList.remove("chosen", "rejected");
  }
  replace(el.crowd);
  el.crowd.hidden = true;
  el.announce.textContent = "";
  for (const b of Object.values(el.votes)) b.setAttribute("aria-pressed", "false");
  chosenReasons.clear();
  for (const c of chips.values()) c.setAttribute("aria-pressed", "false");
}

function renderDuel(d: Duel): void {
  el.prompt.textContent = d.prompt.text;
  el.genreTag.textContent = d.prompt.genre;
  replace(el.passage.a, ...paragraphs(d.a.text));
  replace(el.passage.b, ...paragraphs(d.b.text));
  el.repeat.hidden = !d.repeat;
}

/** Fetches and shows the next duel (also used to skip one before voting). */
async function loadDuel(moveFocus = false): Promise<void> {
  loadCtl?.abort();
  const ctl = new AbortController();
  loadCtl = ctl;
  setState("loading");
  showError(el.error, null);
  clearReveal();
  try {
    const d = await getDuel(el.genre.value || null, ctl.signal);
    if (ctl.signal.aborted) return;
    duel = d;
    renderDuel(d);
    setState("ready");
    shownAt = performance.now();
    if (el.prompt.getBoundingClientRect().top < 0) el.prompt.scrollIntoView({ block: "start" });
    if (moveFocus) el.prompt.focus({ preventScroll: true });
  } catch (e) {
    if (isAbort(e) || ctl.signal.aborted) return;
    duel = null;
    showError(el.error, errorMessage(e));
    setState("failed");
  }
}

/** Sends the verdict on the current duel and shows the reveal. */
async function vote(choice: Choice): Promise<void> {
  if (state !== "ready" || !duel) return;
  const current = duel;
  const readMs = Math.min(MAX_READ_MS, Math.max(0, Math.round(performance.now() - shownAt)));
  setState("voting");
  showError(el.error, null);
  el.votes[choice].setAttribute("aria-pressed", "true");
  try {
    const result = await postVote({ token: current.token, choice, readMs, reasons: [...chosenReasons] });
    if (duel !== current) return;
    showReveal(result);
    if (!result.duplicate) bumpSessionVotes();
    setState("voted");
    el.next.focus();
  } catch (e) {
    el.votes[choice].setAttribute("aria-pressed", "false");
    showError(el.error, errorMessage(e));
    setState("ready");
  }
}

function showReveal(result: VoteResult): void {
  for (const side of ["a", "b"] as const) {
    replace(el.reveal[side], ...revealSide(result, side));
    el.reveal[side].hidden = false;
    const article = el.passage[side].closest("article");
    article?.classList.toggle("chosen", result.choice === side);
    article?.classList.toggle("rejected", result.choice !== side && (result.choice === "a" || result.choice === "b"));
  }
  for (const [c, b] of Object.entries(el.votes)) b.setAttribute("aria-pressed", String(c === result.choice));
  replace(el.crowd, ...renderCrowd(result));
  el.crowd.hidden = false;
  el.announce.textContent = revealSummary(result);
}

function next(): void {
  if (state === "loading" || state === "voting") return;
  void loadDuel(true);
}

function buildChips(): void {
  for (const tag of REASONS) {
    const chip = h("button", { type: "button", class: "chip", "aria-pressed": "false", "data-reason": tag }, reasonLabel(tag));
    chip.addEventListener("click", () => {
      if (state !== "ready") return;
      const on = !chosenReasons.has(tag);
      if (on) chosenReasons.add(tag);
      else chosenReasons.delete(tag);
      chip.setAttribute("aria-pressed", String(on));
    });
    chips.set(tag, chip);
    el.reasons.appendChild(chip);
  }
}

function initGenre(): void {
  const wanted = new URLSearchParams(location.search).get("genre");
  // A genre named in the URL is offered even before the arena's genre list arrives.
  if (wanted && /^[a-z][a-z0-9-]{0,39}$/.test(wanted)) {
    ensureGenreOption(el.genre, wanted);
    el.genre.value = wanted;
  }
  void loadGenres(el.genre);
  el.genre.addEventListener("change", () => {
    const url = new URL(location.href);
    if (el.genre.value) url.searchParams.set("genre", el.genre.value);
    else url.searchParams.delete("genre");
    history.replaceState(null, "", url);
    if (state !== "voting") void loadDuel();
  });
}

function onKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || e.isComposing) return;
  if (isTypingTarget(e.target)) return;
  const action = KEYS[e.key.toLowerCase()];
  if (!action) return;
  e.preventDefault();
  if (action === "next") next();
  else void vote(action);
}

buildChips();
initGenre();
showCounter(sessionVotes());
for (const [c, b] of Object.entries(el.votes) as Array<[Choice, HTMLButtonElement]>) {
  b.addEventListener("click", () => void vote(c));
}
el.next.addEventListener("click", next);
document.addEventListener("keydown", onKey);
void loadDuel();
