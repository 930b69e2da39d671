// Genre selects: the pages start with the demo genres and add whatever genres the arena really has.
import { getLeaderboard } from "./api.js";

/** Adds an option for `genre` to the select when it has none yet. */
export function ensureGenreOption(select: HTMLSelectElement, genre: string): void {
  if ([...select.options].some((o) => o.value === genre)) return;
  const option = document.createElement("option");
  option.value = genre;
  option.textContent = genre;
  select.appendChild(option);
}

/** Fills in the genres the arena's corpus has (imported ones too), keeping the current choice. */
export async function loadGenres(select: HTMLSelectElement): Promise<void> {
  try {
    const board = await getLeaderboard({});
    for (const genre of board.genres ?? []) ensureGenreOption(select, genre);
  } catch {
    // The static list stays; the page still works.
  }
}
