/** Reading request bodies and queries through the shared zod schemas, with size caps. */
import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "./errors.js";

/** Cap for ordinary JSON bodies. */
export const JSON_BODY_LIMIT = 16 * 1024;

/** Formats zod issues as one readable line: `field: problem; other: problem`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/** Reads, size-checks, parses and validates a JSON body. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, limit = JSON_BODY_LIMIT): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
  const text = await readTextCapped(c.req.raw, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, "bad_json", "the body is not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, "invalid", describeIssues(parsed.error));
  return parsed.data;
}

/** Validates the query string against a schema (repeated keys keep their first value). */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError(400, "invalid_query", describeIssues(parsed.error));
  return parsed.data;
}

/** Reads a body as text, refusing (413) once it passes `limit` bytes, whatever Content-Length says. */
export async function readTextCapped(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  // With a declared length the runtime delivers exactly that many bytes: read them in one go.
  if (Number.isInteger(declared) && declared >= 0) return decodeUtf8(new Uint8Array(await request.arrayBuffer()));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Strict UTF-8 decoding: a 400 for bytes that are not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ApiError(400, "bad_encoding", "the body is not valid UTF-8");
  }
}

/** The 413 error for a body over `limit` bytes. */
export function tooLarge(limit: number): ApiError {
  return new ApiError(413, "too_large", `the body is larger than ${limit} bytes`);
}
