// Renders a JSON Schema as a collapsible tree (name, type, required, description, constraints), text only.
import { isRealBound, MAX_DEPTH } from "./example.js";
import { h } from "./dom.js";
import { withCode } from "./text.js";
import {
  branches,
  enumValues,
  isNullable,
  isObject,
  type JsonSchema,
  requiredOf,
  type SchemaContext,
  schemaOf,
  typeOf,
} from "./openapi.js";

/** A value as it would be written in JSON ("a", 3, null). */
export function literal(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** True for a union whose every branch is a plain value (no properties, items with properties, or nested unions). */
function simpleUnion(list: unknown[], ctx: SchemaContext): boolean {
  return list.every((b) => {
    const bs = schemaOf(b, ctx).schema;
    const t = typeOf(bs);
    return t !== "object" && t !== "array" && t !== undefined && branches(bs).kind === null && !Array.isArray(bs.allOf);
  });
}

/** A short type label: "string", "integer | null", "array of object", "Error", "one of 4 shapes". */
export function typeLabel(input: unknown, ctx: SchemaContext, depth = 0): string {
  const { schema: s, name } = schemaOf(input, ctx);
  const nullable = isNullable(s) ? " | null" : "";
  if (depth > 3) return "…";
  if ("const" in s && s.const !== null) return `${literal(s.const)}${nullable}`;
  const alt = branches(s);
  if (alt.kind && alt.list.length === 1) return `${typeLabel(alt.list[0], ctx, depth + 1)}${nullable}`;
  if (alt.kind && alt.list.length > 1 && simpleUnion(alt.list, ctx)) {
    return `${alt.list.map((b) => typeLabel(b, ctx, depth + 1)).join(" | ")}${nullable}`;
  }
  if (alt.kind && alt.list.length > 1) return `${alt.kind === "oneOf" ? "one of" : "any of"} ${alt.list.length} shapes${nullable}`;
  const type = typeOf(s);
  let label: string;
  if (type === "array") {
    const items = Array.isArray(s.prefixItems) ? undefined : Array.isArray(s.items) ? undefined : s.items;
    label = items === undefined ? "array" : `array of ${typeLabel(items, ctx, depth + 1)}`;
  } else if (type === "object" && !isObject(s.properties) && isObject(s.additionalProperties)) {
    label = `map of string → ${typeLabel(s.additionalProperties, ctx, depth + 1)}`;
  } else {
    label = type ?? "any";
  }
  if (name && (type === "object" || type === undefined)) label = name;
  return `${label}${nullable}`;
}

function range(lo: unknown, hi: unknown, unit: string): string | null {
  const a = isRealBound(lo) ? lo : null;
  const b = isRealBound(hi) ? hi : null;
  if (a !== null && b !== null) return a === b ? `exactly ${a} ${unit}`.trim() : `${a}–${b} ${unit}`.trim();
  if (a !== null) return `≥ ${a} ${unit}`.trim();
  if (b !== null) return `≤ ${b} ${unit}`.trim();
  return null;
}

/** Constraints worth a reader's attention: format, ranges, lengths, pattern, item counts, default. */
export function constraints(s: JsonSchema, withDefault = true): string[] {
  const out: string[] = [];
  if (typeof s.format === "string") out.push(s.format);
  const lo = isRealBound(s.exclusiveMinimum) ? `> ${s.exclusiveMinimum}` : null;
  const hi = isRealBound(s.exclusiveMaximum) ? `< ${s.exclusiveMaximum}` : null;
  const bounds = range(lo ? undefined : s.minimum, hi ? undefined : s.maximum, "");
  if (lo) out.push(lo);
  if (hi) out.push(hi);
  if (bounds) out.push(bounds);
  const chars = range(s.minLength, s.maxLength, "chars");
  if (chars) out.push(chars);
  const items = range(s.minItems, s.maxItems, "items");
  if (items) out.push(items);
  if (typeof s.pattern === "string" && typeof s.format !== "string") out.push(`pattern ${s.pattern}`);
  if (withDefault && "default" in s && s.default !== undefined) out.push(`default ${literal(s.default)}`);
  return out;
}

/** A label for an anyOf/oneOf branch: its discriminating constant when it has one ("kind = \"prompt\""). */
function branchLabel(b: JsonSchema, i: number, ctx: SchemaContext, name?: string): string {
  if (isObject(b.properties)) {
    for (const [key, p] of Object.entries(b.properties)) {
      const ps = schemaOf(p, ctx).schema;
      const only = "const" in ps ? [ps.const] : enumValues(ps);
      if (only.length === 1) return `${key} = ${literal(only[0])}`;
    }
  }
  return name ?? `option ${i + 1}`;
}

interface Child {
  name: string;
  schema: unknown;
  required: boolean | null;
  variant?: boolean;
}

/** The nodes under a schema: an object's properties, an array's item properties, a map's values, or the shapes of a oneOf. */
function childrenOf(s: JsonSchema, ctx: SchemaContext, depth: number): Child[] {
  const alt = branches(s);
  if (alt.kind && alt.list.length > 1 && simpleUnion(alt.list, ctx)) return [];
  if (alt.kind && alt.list.length > 1) {
    return alt.list.map((b, i) => {
      const r = schemaOf(b, ctx);
      return { name: branchLabel(r.schema, i, ctx, r.name), schema: b, required: null, variant: true };
    });
  }
  if (alt.kind && alt.list.length === 1) return childrenOf(schemaOf(alt.list[0], ctx).schema, ctx, depth);
  const out: Child[] = [];
  if (Array.isArray(s.allOf)) {
    for (const part of s.allOf) out.push(...childrenOf(schemaOf(part, ctx).schema, ctx, depth));
  }
  if (isObject(s.properties)) {
    const required = requiredOf(s);
    for (const [name, p] of Object.entries(s.properties)) out.push({ name, schema: p, required: required.has(name) });
  } else if (isObject(s.additionalProperties)) {
    out.push({ name: "{key}", schema: s.additionalProperties, required: null });
  }
  if (typeOf(s) === "array") {
    if (Array.isArray(s.prefixItems)) s.prefixItems.forEach((p, i) => out.push({ name: `[${i}]`, schema: p, required: true }));
    else if (s.items !== undefined && !Array.isArray(s.items)) out.push(...childrenOf(schemaOf(s.items, ctx).schema, ctx, depth));
  }
  return out;
}

function line(child: Child | null, outer: JsonSchema, ctx: SchemaContext, label: string): HTMLElement[] {
  const alt = branches(outer);
  // A nullable wrapper (anyOf [X, null]) shows X's values and constraints.
  const s = alt.kind && alt.list.length === 1 ? { ...schemaOf(alt.list[0], ctx).schema, ...outer } : outer;
  const items = typeOf(s) === "array" && s.items !== undefined && !Array.isArray(s.items) ? schemaOf(s.items, ctx).schema : null;
  const values = enumValues(s).length > 0 || !items ? enumValues(s) : enumValues(items);
  const each = items !== null && enumValues(s).length === 0 && values.length > 0 ? "each one of " : "one of ";
  const facts =
    alt.kind && alt.list.length > 1 && simpleUnion(alt.list, ctx)
      ? alt.list.flatMap((b) => {
          const bf = constraints(schemaOf(b, ctx).schema);
          return bf.length > 0 ? [`${typeLabel(b, ctx)}: ${bf.join(", ")}`] : [];
        })
      : constraints(s);
  const head = h(
    "span",
    { class: "tn-head" },
    child && h(child.variant ? "span" : "code", { class: child.variant ? "tn-variant" : "tn-name" }, child.name),
    h("span", { class: "tn-type" }, label),
    child?.required === true && h("span", { class: "tn-req" }, "required"),
    child?.required === false && h("span", { class: "tn-opt" }, "optional"),
    s.deprecated === true && h("span", { class: "tn-opt" }, "deprecated"),
  );
  const out = [head];
  const description = typeof s.description === "string" ? s.description : typeof s.title === "string" ? s.title : null;
  if (description) out.push(h("span", { class: "tn-desc" }, ...withCode(description)));
  if (values.length > 0 || facts.length > 0) {
    out.push(
      h(
        "span",
        { class: "tn-facts" },
        values.length > 0 && h("span", null, each, ...values.flatMap((v, i) => [i > 0 ? " · " : "", h("code", null, literal(v))])),
        values.length > 0 && facts.length > 0 && " · ",
        facts.join(" · "),
      ),
    );
  }
  return out;
}

function node(child: Child | null, ctx: SchemaContext, depth: number, seen: ReadonlySet<string>): HTMLElement {
  const { schema: s, ref } = schemaOf(child ? child.schema : {}, ctx);
  const label = typeLabel(child ? child.schema : {}, ctx);
  // An array's items count as the node itself, so a tree's "children: array of Tree" stops at once.
  const itemRef = typeOf(s) === "array" && isObject(s.items) && typeof s.items.$ref === "string" ? s.items.$ref : undefined;
  const refs = [ref, itemRef].filter((r): r is string => r !== undefined);
  const recursive = refs.some((r) => seen.has(r));
  const kids = recursive || depth >= MAX_DEPTH ? [] : childrenOf(s, ctx, depth);
  const content = line(child, s, ctx, recursive ? `${label} (recursive)` : label);
  const mark = refs.length > 0 ? new Set([...seen, ...refs]) : seen;
  if (kids.length === 0) return h("li", { class: "tn" }, h("div", { class: "tn-line" }, ...content));
  const details = h(
    "details",
    { class: "tn-details" },
    h("summary", { class: "tn-line" }, ...content),
    h("ul", { class: "tn-children" }, ...kids.map((k) => node(k, ctx, depth + 1, mark))),
  );
  details.open = depth < 1;
  return h("li", { class: "tn" }, details);
}

/** Renders a schema as a tree: the root's type and description, then its properties (or shapes) as collapsible nodes. */
export function schemaTree(input: unknown, ctx: SchemaContext): HTMLElement {
  const { schema: s, ref } = schemaOf(input, ctx);
  const local: SchemaContext = { doc: ctx.doc, root: ctx.root ?? s };
  const seen = new Set(ref ? [ref] : []);
  const kids = childrenOf(s, local, 0);
  return h(
    "div",
    { class: "schema-tree" },
    h("p", { class: "tn-root" }, ...line(null, s, local, typeLabel(input, local))),
    kids.length > 0 && h("ul", { class: "tn-children tn-top" }, ...kids.map((k) => node(k, local, 0, seen))),
  );
}
