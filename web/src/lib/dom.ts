// Tiny DOM helpers: build elements from text only (never HTML strings) and look up page elements.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Creates an HTML element; string children become text nodes, attributes are set as attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with the given attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node: Element, attrs: Attrs | null): void {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? "" : String(v));
  }
}

function append(node: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
}

/** Replaces all children of a node. */
export function replace(node: Node, ...children: Child[]): void {
  while (node.firstChild) node.removeChild(node.firstChild);
  append(node, children);
}

/** Finds the element with the given data-testid, failing loudly when the page lacks it. */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!node) throw new Error(`missing element [data-testid="${id}"]`);
  return node;
}

/** Finds the element with the given id, failing loudly when the page lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id) as T | null;
  if (!node) throw new Error(`missing element #${id}`);
  return node;
}

/** Shows an error message in a [data-testid="error"] region, or hides it when message is null. */
export function showError(region: HTMLElement, message: string | null): void {
  region.textContent = message ?? "";
  region.hidden = message === null;
}

/** True when a key event comes from a place where the user types (inputs, selects, editable text). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest("input, select, textarea, [contenteditable=''], [contenteditable='true']")) return true;
  return target instanceof HTMLElement && target.isContentEditable;
}
