// Example values generated from JSON Schemas (examples, defaults, enums, formats, placeholders), and their text per media type.
import { branches, enumValues, isObject, type JsonSchema, type MediaType, type SchemaContext, schemaOf, typeOf } from "./openapi.js";

/** How deep the generator follows nested schemas before it answers empty objects and arrays. */
export const MAX_DEPTH = 8;

/** The fixed time that date-time fields get, so examples do not change between visits. */
export const EXAMPLE_TIME = "2026-01-01T12:00:00.000Z";

const FORMATS: Record<string, string> = {
  "date-time": EXAMPLE_TIME,
  date: EXAMPLE_TIME.slice(0, 10),
  time: EXAMPLE_TIME.slice(11),
  duration: "PT1M",
  email: "rater@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  "uri-reference": "/api",
  hostname: "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  uuid: "00000000-0000-4000-8000-000000000000",
  byte: "c3RyaW5n",
  base64: "c3RyaW5n",
};

const SAFE = Number.MAX_SAFE_INTEGER;

function num(x: unknown): number | undefined {
  return typeof x === "number" && Number.isFinite(x) ? x : undefined;
}

/** A number for a numeric schema: 0 when allowed, otherwise the bound nearest to it. */
function numberExample(s: JsonSchema, integer: boolean): number {
  const step = integer ? 1 : 0.5;
  const min = num(s.minimum);
  const exMin = num(s.exclusiveMinimum) ?? (s.exclusiveMinimum === true && min !== undefined ? min : undefined);
  const max = num(s.maximum);
  const exMax = num(s.exclusiveMaximum) ?? (s.exclusiveMaximum === true && max !== undefined ? max : undefined);
  const lo = exMin !== undefined ? exMin + step : min;
  const hi = exMax !== undefined ? exMax - step : max;
  let v = 0;
  if (lo !== undefined && lo > v) v = lo;
  else if (hi !== undefined && hi < v) v = hi;
  const multiple = num(s.multipleOf);
  if (multiple && multiple > 0) v = Math.ceil(v / multiple) * multiple;
  return integer ? Math.ceil(v) : v;
}

/** A string for a string schema: a format's sample, else "string" stretched or cut to the length limits. */
function stringExample(s: JsonSchema): string {
  const format = typeof s.format === "string" ? FORMATS[s.format] : undefined;
  if (format !== undefined) return format;
  let v = "string";
  const min = num(s.minLength);
  const max = num(s.maxLength);
  if (min !== undefined && min > v.length) v = v.padEnd(Math.min(min, 64), "x");
  if (max !== undefined && max >= 0 && max < v.length) v = v.slice(0, max);
  return v;
}

/** An explicit sample the schema carries: example, examples[0], const, default or the first enum value. */
export function declaredExample(s: JsonSchema): { value: unknown } | null {
  if ("example" in s && s.example !== undefined) return { value: s.example };
  if (Array.isArray(s.examples) && s.examples.length > 0) return { value: s.examples[0] };
  if ("const" in s) return { value: s.const };
  if ("default" in s && s.default !== undefined) return { value: s.default };
  const values = enumValues(s);
  if (values.length > 0) return { value: values[0] };
  return null;
}

/** True when a $ref already appears twice in the chain being built: a recursive schema is shown one level deep. */
function repeats(chain: readonly string[], ref: string): boolean {
  return chain.filter((r) => r === ref).length >= 2;
}

/** Generates an example value from a JSON Schema; a recursive $ref (past one level) and depth stop recursion. */
export function exampleOf(input: unknown, ctx: SchemaContext, depth = 0, chain: readonly string[] = []): unknown {
  const { schema: s, ref } = schemaOf(input, ctx);
  const declared = declaredExample(s);
  if (declared) return declared.value;
  const type = typeOf(s);
  if (ref !== undefined && repeats(chain, ref)) return type === "array" ? [] : type === "object" || type === undefined ? null : primitive(s, type);
  if (depth >= MAX_DEPTH) return type === "array" ? [] : type === "object" || type === undefined ? {} : primitive(s, type);
  if (ref !== undefined) chain = [...chain, ref];
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const parts = s.allOf.map((p) => exampleOf(p, ctx, depth + 1, chain));
    if (parts.every(isObject)) return Object.assign({}, ...parts, objectExample(s, ctx, depth, chain));
    return parts[0];
  }
  const alt = branches(s);
  if (alt.kind) {
    // nullable → the non-null branch; anyOf/oneOf → the first branch (merged with sibling properties).
    if (alt.list.length === 0) return null;
    const first = exampleOf(alt.list[0], ctx, depth + 1, chain);
    return isObject(first) && isObject(s.properties) ? { ...objectExample(s, ctx, depth, chain), ...first } : first;
  }
  switch (type) {
    case "object":
      return objectExample(s, ctx, depth, chain);
    case "array":
      return arrayExample(s, ctx, depth, chain);
    case undefined:
      return {};
    default:
      return primitive(s, type);
  }
}

function primitive(s: JsonSchema, type: string): unknown {
  switch (type) {
    case "string":
      return stringExample(s);
    case "integer":
      return numberExample(s, true);
    case "number":
      return numberExample(s, false);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return null;
  }
}

function objectExample(s: JsonSchema, ctx: SchemaContext, depth: number, chain: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isObject(s.properties)) {
    for (const [name, p] of Object.entries(s.properties)) out[name] = exampleOf(p, ctx, depth + 1, chain);
  } else if (isObject(s.additionalProperties)) {
    // A map: one entry, keyed by the key schema's example when it has one.
    const keySchema = schemaOf(s.propertyNames ?? {}, ctx).schema;
    const key = declaredExample(keySchema)?.value;
    out[typeof key === "string" ? key : "key"] = exampleOf(s.additionalProperties, ctx, depth + 1, chain);
  }
  return out;
}

function arrayExample(s: JsonSchema, ctx: SchemaContext, depth: number, chain: readonly string[]): unknown[] {
  if (Array.isArray(s.prefixItems)) return s.prefixItems.map((p) => exampleOf(p, ctx, depth + 1, chain));
  if (Array.isArray(s.items)) return s.items.map((p) => exampleOf(p, ctx, depth + 1, chain));
  const item = exampleOf(s.items ?? {}, ctx, depth + 1, chain);
  // An array of the schema being built (a tree's children) is shown empty rather than [null].
  return item === null && isObject(s.items) && typeof s.items.$ref === "string" && repeats(chain, s.items.$ref) ? [] : [item];
}

/** How a media type is written: JSON, JSON lines, CSV or plain text. */
export function mediaKind(type: string): "json" | "lines" | "csv" | "text" {
  const t = type.toLowerCase();
  if (/ndjson|jsonl|json-seq|jsonlines/.test(t)) return "lines";
  if (/csv/.test(t)) return "csv";
  if (/json/.test(t)) return "json";
  return "text";
}

function csvCell(v: unknown): string {
  const text = v === null || v === undefined ? "" : Array.isArray(v) ? v.join(";") : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes rows of objects as CSV: a header of the first row's keys, then one line per row. */
function csv(rows: Record<string, unknown>[]): string {
  const keys = Object.keys(rows[0] ?? {});
  return [keys.map(csvCell).join(","), ...rows.map((r) => keys.map((k) => csvCell(r[k])).join(","))].join("\n");
}

/** The values an example of a body stands for: for JSON lines, one per line (every shape of a oneOf, or every item). */
function lineValues(media: MediaType, ctx: SchemaContext): unknown[] {
  if (media.hasExample) return Array.isArray(media.example) ? media.example : [media.example];
  const { schema } = schemaOf(media.schema, ctx);
  const alt = branches(schema);
  if (alt.kind && alt.list.length > 1) return alt.list.map((b) => exampleOf(b, ctx));
  const v = exampleOf(schema, ctx);
  return typeof v === "string" ? [v] : Array.isArray(v) ? v : [v];
}

/** The example of one request or response media type as the text a client would send or read. */
export function exampleText(media: MediaType, ctx: SchemaContext): string {
  const kind = mediaKind(media.type);
  if (kind === "lines") return lineValues(media, ctx).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("\n");
  const value = media.hasExample ? media.example : exampleOf(media.schema, ctx);
  if (typeof value === "string" && kind !== "json") return value;
  if (kind === "csv") {
    const rows = Array.isArray(value) ? value : [value];
    if (rows.length > 0 && rows.every(isObject)) return csv(rows);
  }
  return JSON.stringify(value, null, 2) ?? "null";
}

/** The example as a body for curl: compact JSON on one line, JSON lines joined by newlines, other text as is. */
export function exampleBody(media: MediaType, ctx: SchemaContext): string {
  const kind = mediaKind(media.type);
  if (kind === "json") {
    const value = media.hasExample ? media.example : exampleOf(media.schema, ctx);
    return JSON.stringify(value) ?? "null";
  }
  return exampleText(media, ctx);
}

/** A short text for a parameter's example value in a URL (strings as is, everything else as JSON). */
export function paramValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(paramValue).join(",");
  return JSON.stringify(v) ?? "";
}

/** True when a number is a real bound rather than the ±2^53 a generator writes for plain integers. */
export function isRealBound(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x) && Math.abs(x) < SAFE;
}
