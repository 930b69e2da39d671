// An accessible tab list of buttons (role="tab", aria-selected, roving tabindex; arrows, Home and End move and select).
import { h, replace } from "./dom.js";

/** One tab: its value (what selecting it means) and its visible content. */
export interface Tab {
  value: string;
  label: Array<Node | string>;
  /** Extra attributes for the button, e.g. data-testid. */
  attrs?: Record<string, string>;
}

/** Options of renderTabs. */
export interface TabsOptions {
  /** The element the tabs control (it gets role="tabpanel" and is labelled by the selected tab); it needs an id. */
  panel: HTMLElement;
  /** Prefix of the tab buttons' ids. */
  idPrefix: string;
  /** Called when the reader selects a different tab (by click or key). */
  onSelect: (value: string) => void;
}

/** Fills a role="tablist" element with tab buttons and wires selection; returns a function that selects a value. */
export function renderTabs(list: HTMLElement, tabs: Tab[], selected: string, opts: TabsOptions): (value: string) => void {
  const buttons = tabs.map((t, i) =>
    h(
      "button",
      { type: "button", role: "tab", id: `${opts.idPrefix}-${i}`, "aria-controls": opts.panel.id, "data-value": t.value, ...t.attrs },
      ...t.label,
    ),
  );
  const select = (value: string) => {
    for (const b of buttons) {
      const on = b.dataset.value === value;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
      if (on) opts.panel.setAttribute("aria-labelledby", b.id);
    }
  };
  const choose = (b: HTMLButtonElement, focus: boolean) => {
    const value = b.dataset.value ?? "";
    if (focus) b.focus();
    if (b.getAttribute("aria-selected") === "true") return;
    select(value);
    opts.onSelect(value);
  };
  buttons.forEach((b, i) => {
    b.addEventListener("click", () => choose(b, false));
    b.addEventListener("keydown", (e) => {
      const last = buttons.length - 1;
      const to =
        e.key === "ArrowRight" || e.key === "ArrowDown"
          ? (i + 1) % buttons.length
          : e.key === "ArrowLeft" || e.key === "ArrowUp"
            ? (i + last) % buttons.length
            : e.key === "Home"
              ? 0
              : e.key === "End"
                ? last
                : null;
      if (to === null) return;
      e.preventDefault();
      const target = buttons[to];
      if (target) choose(target, true);
    });
  });
  replace(list, ...buttons);
  opts.panel.setAttribute("role", "tabpanel");
  opts.panel.tabIndex = 0;
  select(selected);
  return select;
}
