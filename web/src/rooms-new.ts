// The new-room page (/rooms/new): genre, duels and timer → POST /api/rooms, then on to the host page.
import type { CreateRoom } from "../../schema/room.js";
import { errorMessage } from "./lib/api.js";
import { ensureGenreOption, loadGenres } from "./lib/genres.js";
import { byId, byTestId, showError } from "./lib/dom.js";
import { createRoom, rememberCreated, sameOriginPath, type CreateRoomBody } from "./lib/roomapi.js";
import { hostPath, nameProblem, savedName, saveName } from "./lib/roomcode.js";


const el = {
  form: byId<HTMLFormElement>("new-room"),
  genre: byId<HTMLSelectElement>("genre"),
  duels: byId<HTMLInputElement>("duels"),
  timer: byId<HTMLInputElement>("timer"),
  name: byId<HTMLInputElement>("name"),
  create: byTestId<HTMLButtonElement>("room-create"),
  error: byTestId("room-error"),
  status: byId("status"),
};

/** Reads the form into a CreateRoom body, or returns the first problem with the field to focus. */
function readForm(): { body: CreateRoomBody } | { problem: string; field: HTMLElement } {
  const duels = Number(el.duels.value);
  if (!Number.isInteger(duels) || duels < 1 || duels > 20) return { problem: "Pick between 1 and 20 duels.", field: el.duels };
  let timerSeconds: CreateRoom["timerSeconds"] = null;
  if (el.timer.value.trim() !== "") {
    const t = Number(el.timer.value);
    if (!Number.isInteger(t) || t < 10 || t > 600) return { problem: "The timer is 10 to 600 whole seconds, or empty for none.", field: el.timer };
    timerSeconds = t;
  }
  const nameIssue = nameProblem(el.name.value);
  if (nameIssue) return { problem: nameIssue, field: el.name };
  const genre = el.genre.value;
  return { body: { ...(genre ? { genre } : {}), duels, timerSeconds } };
}

async function submit(e: SubmitEvent): Promise<void> {
  e.preventDefault();
  showError(el.error, null);
  const read = readForm();
  if ("problem" in read) {
    showError(el.error, read.problem);
    read.field.setAttribute("aria-invalid", "true");
    read.field.focus();
    return;
  }
  for (const f of [el.duels, el.timer, el.name]) f.removeAttribute("aria-invalid");
  saveName(el.name.value);
  el.create.disabled = true;
  el.status.textContent = "Creating the room…";
  try {
    const created = await createRoom(read.body);
    rememberCreated(created);
    el.status.textContent = `Room ${created.code} is ready. Opening it…`;
    location.assign(sameOriginPath(created.hostUrl, hostPath(created.code)));
  } catch (err) {
    showError(el.error, errorMessage(err));
    el.status.textContent = "";
    el.create.disabled = false;
  }
}

function init(): void {
  const q = new URLSearchParams(location.search);
  const genre = q.get("genre");
  if (genre && /^[a-z][a-z0-9-]{0,39}$/.test(genre)) {
    ensureGenreOption(el.genre, genre);
    el.genre.value = genre;
  }
  void loadGenres(el.genre);
  el.name.value = savedName();
  el.form.addEventListener("submit", (e) => void submit(e));
  // Coming back to this page from the host page (bfcache) must not leave the button stuck.
  window.addEventListener("pageshow", () => {
    el.create.disabled = false;
    el.status.textContent = "";
  });
}

init();
