// Reading an OpenAPI 3.x document defensively: $ref resolution, the list of operations with their anchors, and schema facts.

/** A JSON Schema object as found in the document (any field may be missing or malformed). */
export interface JsonSchema {
  [key: string]: unknown;
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, unknown>;
  required?: unknown;
  items?: unknown;
  prefixItems?: unknown;
  additionalProperties?: unknown;
  anyOf?: unknown;
  oneOf?: unknown;
  allOf?: unknown;
  enum?: unknown;
  const?: unknown;
  default?: unknown;
  example?: unknown;
  examples?: unknown;
  format?: string;
  nullable?: boolean;
}

/** The parts of an OpenAPI document this page reads. */
export interface OpenApiDoc {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  security?: unknown;
}

/** A parameter of an operation (query, path, header or cookie). */
export interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
  example?: unknown;
  deprecated?: boolean;
}

/** One media type of a request or response body (its schema as written, $ref unresolved, so its name can be shown). */
export interface MediaType {
  type: string;
  schema: JsonSchema;
  example?: unknown;
  hasExample: boolean;
}

/** A request body, resolved. */
export interface RequestBody {
  required: boolean;
  description?: string;
  content: MediaType[];
}

/** One response of an operation, resolved. */
export interface Response {
  status: string;
  description?: string;
  content: MediaType[];
  headers: Array<{ name: string; description?: string; schema: JsonSchema }>;
}

/** One security requirement alternative: the scheme names with their description. */
export interface AuthScheme {
  name: string;
  type?: string;
  scheme?: string;
  description?: string;
  in?: string;
  paramName?: string;
}

/** One operation (a method on a path), with everything resolved. */
export interface Operation {
  method: string;
  path: string;
  anchor: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  parameters: Parameter[];
  requestBody: RequestBody | null;
  responses: Response[];
  auth: AuthScheme[];
}

/** Where $refs are resolved: the whole document, and the schema a local "#/..." pointer is relative to. */
export interface SchemaContext {
  doc: OpenApiDoc;
  root?: JsonSchema;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** True for plain JSON objects (not arrays, not null). */
export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Reads a string field, or undefined when it is missing or not a string. */
function str(x: unknown): string | undefined {
  return typeof x === "string" && x.length > 0 ? x : undefined;
}

/** Follows a JSON pointer ("#/a/b") inside a value; undefined when it leads nowhere. */
function pointer(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(at)) at = at[Number(key)];
    else if (isObject(at)) at = at[key];
    else return undefined;
  }
  return at;
}

/** Resolves a (chain of) $ref against the document, then the local schema root; name is the last ref's last segment. */
export function deref(x: unknown, ctx: SchemaContext): { value: unknown; name?: string; ref?: string } {
  let value = x;
  let name: string | undefined;
  let ref: string | undefined;
  for (let hops = 0; hops < 16 && isObject(value) && typeof value.$ref === "string"; hops++) {
    const r = value.$ref;
    const found = pointer(ctx.doc, r) ?? (ctx.root ? pointer(ctx.root, r) : undefined);
    if (found === undefined) return { value: {}, name: r.split("/").pop(), ref: r };
    ref = r;
    name = r === "#" ? ctx.root?.title : r.split("/").pop();
    value = found;
  }
  return { value, name, ref };
}

/** Resolves a value as a schema: an object, or {} when malformed. */
export function schemaOf(x: unknown, ctx: SchemaContext): { schema: JsonSchema; name?: string; ref?: string } {
  const { value, name, ref } = deref(x, ctx);
  return { schema: isObject(value) ? (value as JsonSchema) : {}, name, ref };
}

/** The #anchor of an operation: "get /api/raters/{id}" → "get-api-raters-id". */
export function anchorOf(method: string, path: string): string {
  return `${method}-${path}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function parameter(x: unknown, ctx: SchemaContext): Parameter | null {
  const { value } = deref(x, ctx);
  if (!isObject(value)) return null;
  const name = str(value.name);
  const where = str(value.in);
  if (!name || !where) return null;
  const { schema } = schemaOf(value.schema ?? {}, ctx);
  return {
    name,
    in: where,
    required: where === "path" || value.required === true,
    description: str(value.description) ?? str(schema.description),
    schema,
    example: value.example,
    deprecated: value.deprecated === true,
  };
}

function mediaTypes(content: unknown, ctx: SchemaContext): MediaType[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([type, m]) => {
    const media = isObject(m) ? m : {};
    const examples = isObject(media.examples) ? Object.values(media.examples) : [];
    const named = deref(examples[0], ctx).value;
    const hasNamed = isObject(named) && "value" in named;
    const hasExample = "example" in media || hasNamed;
    return {
      type,
      schema: isObject(media.schema) ? (media.schema as JsonSchema) : {},
      example: "example" in media ? media.example : hasNamed ? named.value : undefined,
      hasExample,
    };
  });
}

function requestBody(x: unknown, ctx: SchemaContext): RequestBody | null {
  const { value } = deref(x, ctx);
  if (!isObject(value)) return null;
  return { required: value.required === true, description: str(value.description), content: mediaTypes(value.content, ctx) };
}

function responses(x: unknown, ctx: SchemaContext): Response[] {
  if (!isObject(x)) return [];
  return Object.entries(x).map(([status, r]) => {
    const { value } = deref(r, ctx);
    const res = isObject(value) ? value : {};
    const headers = isObject(res.headers)
      ? Object.entries(res.headers).map(([name, hd]) => {
          const { value: hv } = deref(hd, ctx);
          const header = isObject(hv) ? hv : {};
          return { name, description: str(header.description), schema: schemaOf(header.schema ?? {}, ctx).schema };
        })
      : [];
    return { status, description: str(res.description), content: mediaTypes(res.content, ctx), headers };
  });
}

/** The security schemes the document declares, by name. */
export function securitySchemes(doc: OpenApiDoc): AuthScheme[] {
  const ctx: SchemaContext = { doc };
  const declared = doc.components?.securitySchemes;
  return Object.entries(isObject(declared) ? declared : {}).map(([name, raw]) => {
    const s = deref(raw, ctx).value;
    const scheme = isObject(s) ? s : {};
    return {
      name,
      type: str(scheme.type),
      scheme: str(scheme.scheme),
      description: str(scheme.description),
      in: str(scheme.in),
      paramName: str(scheme.name),
    };
  });
}

function auth(security: unknown, ctx: SchemaContext): AuthScheme[] {
  if (!Array.isArray(security)) return [];
  const schemes = new Map(securitySchemes(ctx.doc).map((s) => [s.name, s]));
  const out: AuthScheme[] = [];
  for (const req of security) {
    if (!isObject(req)) continue;
    for (const name of Object.keys(req)) out.push(schemes.get(name) ?? { name });
  }
  return out;
}

/** Every operation of the document, in document order (paths, then methods in the usual order). */
export function operations(doc: OpenApiDoc): Operation[] {
  const ctx: SchemaContext = { doc };
  const out: Operation[] = [];
  if (!isObject(doc.paths)) return out;
  for (const [path, item] of Object.entries(doc.paths)) {
    const pathItem = deref(item, ctx).value;
    if (!isObject(pathItem)) continue;
    const shared = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of METHODS) {
      const op = pathItem[method];
      if (!isObject(op)) continue;
      const params = new Map<string, Parameter>();
      for (const p of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const param = parameter(p, ctx);
        if (param) params.set(`${param.in}:${param.name}`, param);
      }
      // A {name} in the path that no parameter declares is still a path parameter.
      for (const m of path.matchAll(/\{([^}]+)\}/g)) {
        const name = m[1]!;
        if (!params.has(`path:${name}`)) params.set(`path:${name}`, { name, in: "path", required: true, schema: { type: "string" } });
      }
      out.push({
        method,
        path,
        anchor: anchorOf(method, path),
        summary: str(op.summary),
        description: str(op.description),
        deprecated: op.deprecated === true,
        parameters: [...params.values()],
        requestBody: op.requestBody === undefined ? null : requestBody(op.requestBody, ctx),
        responses: responses(op.responses, ctx),
        auth: auth(op.security ?? doc.security, ctx),
      });
    }
  }
  return out;
}

/** The first non-null type a schema names, inferred from its shape when it names none. */
export function typeOf(s: JsonSchema): string | undefined {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== "null") : s.type;
  if (typeof t === "string") return t;
  if (isObject(s.properties) || isObject(s.additionalProperties)) return "object";
  if (s.items !== undefined || Array.isArray(s.prefixItems)) return "array";
  const sample = "const" in s ? s.const : Array.isArray(s.enum) ? s.enum.find((v) => v !== null) : undefined;
  if (sample === undefined) return undefined;
  if (Array.isArray(sample)) return "array";
  if (sample === null) return "null";
  return typeof sample === "object" ? "object" : typeof sample;
}

/** True for a schema that only admits null ({type:"null"}, {const:null}, {enum:[null]}). */
export function isNullSchema(s: unknown): boolean {
  if (!isObject(s)) return false;
  if (s.type === "null") return true;
  if ("const" in s && s.const === null) return true;
  return Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === null;
}

/** The branches of an anyOf/oneOf, without the null ones; the kind tells which keyword, null when there is none. */
export function branches(s: JsonSchema): { kind: "anyOf" | "oneOf" | null; list: unknown[]; nullable: boolean } {
  const kind = Array.isArray(s.oneOf) ? "oneOf" : Array.isArray(s.anyOf) ? "anyOf" : null;
  const all = kind ? (s[kind] as unknown[]) : [];
  const list = all.filter((b) => !isNullSchema(b));
  return { kind, list, nullable: list.length < all.length };
}

/** True when a schema also admits null (OpenAPI 3.0 nullable, a "null" type, or a null branch). */
export function isNullable(s: JsonSchema): boolean {
  if (s.nullable === true) return true;
  if (Array.isArray(s.type) && s.type.includes("null")) return true;
  if (Array.isArray(s.enum) && s.enum.includes(null) && s.enum.length > 1) return true;
  return branches(s).nullable;
}

/** The schema's enum values, without null. */
export function enumValues(s: JsonSchema): unknown[] {
  return Array.isArray(s.enum) ? s.enum.filter((v) => v !== null) : [];
}

/** The properties a schema requires. */
export function requiredOf(s: JsonSchema): Set<string> {
  return new Set(Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === "string") : []);
}
