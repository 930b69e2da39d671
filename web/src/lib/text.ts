// Renders user-supplied prose as text only: blank lines make paragraphs, single newlines are kept by CSS (pre-line).
import { h } from "./dom.js";

/** Splits text on blank lines into <p> elements whose content is set as text, never as HTML. */
export function paragraphs(text: string): HTMLParagraphElement[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/^\n+|\s+$/g, ""))
    .filter((p) => p.trim().length > 0)
    .map((p) => h("p", null, p));
}

/** Splits a short description on `backticks` into text and <code> elements (text only, no other markup). */
export function withCode(text: string): Array<Node | string> {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? h("code", null, part) : part));
}
