/**
 * Streaming NDJSON: turns a request body into validated import lines without holding the whole
 * body, so an import of hundreds of thousands of lines runs in constant memory.
 */
import { ImportLine } from "../../schema/corpus.js";
import { describeIssues } from "../http/validate.js";

/** One numbered line: the parsed value, or why it was refused. */
export type NumberedLine = { line: number; value: ImportLine } | { line: number; error: string };

/** Longest accepted line, in characters. */
export const MAX_LINE_CHARS = 64 * 1024;

/** Yields each non-blank line of an NDJSON byte stream, validated against `ImportLine`. */
export async function* readImportLines(body: ReadableStream<Uint8Array>, limitBytes: number): AsyncGenerator<NumberedLine> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  let buffered = "";
  let size = 0;
  let line = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (value) {
      size += value.byteLength;
      if (size > limitBytes) {
        await reader.cancel();
        throw new RangeError(`the import is larger than ${limitBytes} bytes`);
      }
      buffered += decoder.decode(value, { stream: true });
    } else if (done) buffered += decoder.decode();
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      line++;
      const parsed = parseLine(line, text);
      if (parsed) yield parsed;
    }
    if (buffered.length > MAX_LINE_CHARS) {
      await reader.cancel();
      throw new RangeError(`line ${line + 1} is longer than ${MAX_LINE_CHARS} characters`);
    }
    if (done) break;
  }
  if (buffered.trim()) {
    const parsed = parseLine(line + 1, buffered);
    if (parsed) yield parsed;
  }
}

/** Parses and validates one line; null for a blank one. */
export function parseLine(line: number, text: string): NumberedLine | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { line, error: "not valid JSON" };
  }
  const result = ImportLine.safeParse(value);
  if (!result.success) return { line, error: describeIssues(result.error) };
  return { line, value: result.data };
}
