// The API docs page: renders /api/openapi.json (routes, parameters, schemas, generated examples, curl lines); no route is described by hand.
import { errorMessage, getOpenApi } from "./lib/api.js";
import { copyText } from "./lib/clipboard.js";
import { curlLine } from "./lib/curl.js";
import { byId, byTestId, h, replace, showError } from "./lib/dom.js";
import { exampleBody, exampleOf, exampleText, paramValue } from "./lib/example.js";
import {
  type AuthScheme,
  enumValues,
  isObject,
  type MediaType,
  type OpenApiDoc,
  type Operation,
  operations,
  type Parameter,
  type Response,
  type SchemaContext,
  securitySchemes,
} from "./lib/openapi.js";
import { constraints, schemaTree, typeLabel } from "./lib/schematree.js";
import { withCode } from "./lib/text.js";

const el = {
  base: byId("base-url"),
  title: byId("docs-title"),
  description: byId("docs-description"),
  auth: byId("auth-schemes"),
  toc: byId("toc"),
  routes: byId("routes"),
  count: byId("route-count"),
  status: byId("docs-status"),
  copied: byId("copy-status"),
  error: byTestId("error"),
};

const origin = location.origin;

/** The method as a coloured badge ("GET", "POST"). */
function methodBadge(method: string): HTMLElement {
  return h("span", { class: `method method-${method}` }, method.toUpperCase());
}

/** The environment variable a curl line reads a scheme's secret from ("admin" → ADMIN_TOKEN). */
function secretVar(scheme: AuthScheme): string {
  return `${scheme.name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_TOKEN`;
}

/** How a scheme is sent, in words ("Authorization: Bearer <ADMIN_TOKEN>"). */
function authHow(scheme: AuthScheme): string {
  if (scheme.type === "http" && scheme.scheme?.toLowerCase() === "bearer") return `Authorization: Bearer <${secretVar(scheme)}>`;
  if (scheme.type === "http" && scheme.scheme) return `Authorization: ${scheme.scheme} …`;
  if (scheme.type === "apiKey" && scheme.paramName) return `${scheme.paramName} (${scheme.in ?? "header"})`;
  return scheme.type ?? scheme.name;
}

/** The header a curl line sends for a scheme, if it can be written as one. */
function authHeader(scheme: AuthScheme): [string, string] | null {
  if (scheme.type === "http" && scheme.scheme?.toLowerCase() === "bearer") return ["authorization", `Bearer $${secretVar(scheme)}`];
  if (scheme.type === "apiKey" && scheme.in === "header" && scheme.paramName) return [scheme.paramName, `$${secretVar(scheme)}`];
  return null;
}

function authBadge(scheme: AuthScheme): HTMLElement {
  const kind = scheme.type === "http" && scheme.scheme ? scheme.scheme.toLowerCase() : scheme.type;
  return h(
    "span",
    { class: "badge auth", "data-auth": scheme.name, title: `${authHow(scheme)}${scheme.description ? ` (${scheme.description})` : ""}` },
    kind ? `${scheme.name} · ${kind}` : scheme.name,
  );
}

/** A parameter's example value: its own example, else one generated from its schema. */
function paramExample(p: Parameter, ctx: SchemaContext): unknown {
  return p.example !== undefined ? p.example : exampleOf(p.schema, ctx);
}

/** The one-line curl command for an operation, with example path and required query parameters and the example body. */
function curlFor(op: Operation, ctx: SchemaContext): string {
  let path = op.path;
  for (const p of op.parameters.filter((x) => x.in === "path")) {
    path = path.split(`{${p.name}}`).join(encodeURIComponent(paramValue(paramExample(p, ctx))));
  }
  const query = op.parameters
    .filter((p) => p.in === "query" && p.required)
    .map((p): [string, string] => [p.name, paramValue(paramExample(p, ctx))]);
  const headers = op.parameters
    .filter((p) => p.in === "header" && p.required)
    .map((p): [string, string] => [p.name, paramValue(paramExample(p, ctx))]);
  for (const scheme of op.auth) {
    const header = authHeader(scheme);
    if (header) headers.push(header);
  }
  const media = op.requestBody?.content[0];
  const body = media ? { type: media.type, text: exampleBody(media, { doc: ctx.doc, root: media.schema }) } : null;
  return curlLine({ origin, method: op.method, path, query, headers, body });
}

function parametersTable(op: Operation, ctx: SchemaContext): HTMLElement {
  if (op.parameters.length === 0) return h("p", { class: "muted route-none" }, "No parameters.");
  const rows = op.parameters.map((p) => {
    const values = enumValues(p.schema);
    const def = "default" in p.schema && p.schema.default !== undefined ? paramValue(p.schema.default) : "";
    const facts = constraints(p.schema, false);
    return h(
      "tr",
      { "data-param": p.name },
      h("th", { scope: "row", class: "p-name" }, h("code", null, p.name), p.deprecated && h("span", { class: "badge" }, "deprecated")),
      h("td", { class: "p-in", "data-label": "in" }, p.in),
      h(
        "td",
        { class: "p-type", "data-label": "type" },
        h("span", null, typeLabel(p.schema, ctx)),
        facts.length > 0 && h("span", { class: "p-facts" }, facts.join(" · ")),
      ),
      h("td", { class: "p-req", "data-label": "required" }, p.required ? h("span", { class: "tn-req" }, "required") : "optional"),
      h(
        "td",
        { class: "p-enum", "data-label": "values" },
        ...values.flatMap((v, i) => [i > 0 ? " " : "", h("code", { class: "value" }, paramValue(v))]),
      ),
      h("td", { class: "p-default", "data-label": "default" }, def && h("code", null, def)),
      h("td", { class: "p-desc", "data-label": "description" }, ...withCode(p.description ?? "")),
    );
  });
  return h(
    "div",
    { class: "params-wrap" },
    h(
      "table",
      { class: "params" },
      h("caption", { class: "visually-hidden" }, `Parameters of ${op.method.toUpperCase()} ${op.path}`),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ...["Name", "In", "Type", "Required", "Values", "Default", "Description"].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h("tbody", null, ...rows),
    ),
  );
}

/** An example block (data-testid="docs-example"): the generated or declared example of one media type, as text. */
function exampleBlock(media: MediaType, ctx: SchemaContext, what: string): HTMLElement {
  const local = { doc: ctx.doc, root: media.schema };
  return h(
    "figure",
    { class: "example", "data-testid": "docs-example", "data-media": media.type },
    h("figcaption", null, media.hasExample ? "Example" : "Example (generated)", h("span", { class: "muted" }, ` · ${media.type}`)),
    h("pre", { tabindex: 0, "aria-label": `Example ${what}, ${media.type}` }, h("code", null, exampleText(media, local))),
  );
}

/** The schema tree beside its example, for each media type of a body. */
function bodies(content: MediaType[], ctx: SchemaContext, what: string): HTMLElement[] {
  return content.map((media) =>
    h(
      "div",
      { class: "schema-pair" },
      h("div", { class: "schema-col" }, h("h5", { class: "mini-h" }, "Schema", h("span", { class: "muted" }, ` · ${media.type}`)), schemaTree(media.schema, ctx)),
      exampleBlock(media, ctx, what),
    ),
  );
}

function statusClass(status: string): string {
  const first = status.charAt(0);
  return /[1-5]/.test(first) ? `status-${first}xx` : "status-other";
}

function responseBlock(res: Response, ctx: SchemaContext): HTMLElement {
  const details = h(
    "details",
    { class: "response", "data-status": res.status },
    h(
      "summary",
      null,
      h("span", { class: `status ${statusClass(res.status)}` }, res.status),
      h("span", { class: "res-desc" }, res.description ?? ""),
      res.content.length > 0 && h("span", { class: "muted res-types" }, res.content.map((m) => m.type).join(", ")),
    ),
    ...(res.content.length > 0 ? bodies(res.content, ctx, `response ${res.status}`) : [h("p", { class: "muted" }, "No body.")]),
    res.headers.length > 0 &&
      h(
        "dl",
        { class: "res-headers" },
        ...res.headers.flatMap((hd) => [
          h("dt", null, h("code", null, hd.name), " ", h("span", { class: "muted" }, typeLabel(hd.schema, ctx))),
          h("dd", null, ...withCode(hd.description ?? "")),
        ]),
      ),
  );
  details.open = res.status.startsWith("2");
  return details;
}

function routeSection(op: Operation, ctx: SchemaContext): HTMLElement {
  const curl = curlFor(op, ctx);
  const curlCode = h("code", null, curl);
  const curlPre = h("pre", { class: "curl", tabindex: 0, "aria-label": `curl for ${op.method.toUpperCase()} ${op.path}` }, curlCode);
  const copy = h("button", { type: "button", class: "quiet copy-curl", "data-testid": "docs-copy-curl", "data-curl": curl }, "Copy curl");
  copy.addEventListener("click", () => {
    void copyText(curl, curlCode).then((ok) => {
      copy.textContent = ok ? "Copied" : "Select and copy";
      el.copied.textContent = ok
        ? `Copied the curl command for ${op.method.toUpperCase()} ${op.path}.`
        : "Could not reach the clipboard; the command is selected below.";
      setTimeout(() => (copy.textContent = "Copy curl"), 2000);
    });
  });
  const headingId = `${op.anchor}-h`;
  const body = op.requestBody;
  return h(
    "section",
    {
      class: "route",
      id: op.anchor,
      "data-testid": "docs-route",
      "data-method": op.method,
      "data-path": op.path,
      "aria-labelledby": headingId,
    },
    h(
      "header",
      { class: "route-head" },
      h(
        "h2",
        { id: headingId },
        methodBadge(op.method),
        " ",
        h("code", { class: "route-path" }, op.path),
        h("a", { class: "permalink", href: `#${op.anchor}`, "aria-label": `Link to ${op.method.toUpperCase()} ${op.path}` }, "#"),
      ),
      ...op.auth.map(authBadge),
      op.deprecated && h("span", { class: "badge" }, "deprecated"),
      copy,
    ),
    op.summary && h("p", { class: "route-summary" }, ...withCode(op.summary)),
    op.description && h("p", { class: "route-desc" }, ...withCode(op.description)),
    op.auth.length > 0 &&
      h(
        "p",
        { class: "route-auth" },
        "Needs ",
        ...op.auth.flatMap((s, i) => [i > 0 ? " or " : "", h("code", null, authHow(s)), s.description ? ` (${s.description})` : ""]),
        ".",
      ),
    curlPre,
    h("h3", { class: "route-h" }, "Parameters"),
    parametersTable(op, ctx),
    body &&
      h(
        "div",
        { class: "route-body" },
        h("h3", { class: "route-h" }, "Request body"),
        h(
          "p",
          { class: "muted body-meta" },
          [body.content.map((m) => m.type).join(", "), body.required ? "required" : "optional", body.description].filter(Boolean).join(" · "),
        ),
        ...bodies(body.content, ctx, "request body"),
      ),
    h("h3", { class: "route-h" }, "Responses"),
    h("div", { class: "responses" }, ...op.responses.map((r) => responseBlock(r, ctx))),
  );
}

function tocEntry(op: Operation): HTMLElement {
  return h(
    "li",
    null,
    h(
      "a",
      { href: `#${op.anchor}` },
      methodBadge(op.method),
      h("code", { class: "toc-path" }, op.path),
      op.auth.length > 0 && h("span", { class: "toc-auth", title: `needs ${op.auth.map(authHow).join(" or ")}` }, op.auth.map((a) => a.name).join(", ")),
    ),
  );
}

function renderIntro(doc: OpenApiDoc): void {
  const info = isObject(doc.info) ? doc.info : {};
  const title = typeof info.title === "string" ? info.title : "API";
  const version = typeof info.version === "string" ? ` ${info.version}` : "";
  const spec = typeof doc.openapi === "string" ? ` · OpenAPI ${doc.openapi}` : "";
  el.title.textContent = `${title}${version}${spec}`;
  replace(el.description, ...withCode(typeof info.description === "string" ? info.description : ""));
  el.description.hidden = !el.description.textContent;
  const schemes = securitySchemes(doc);
  replace(
    el.auth,
    ...schemes.flatMap((scheme, i) => [
      i > 0 ? "; " : "",
      authBadge(scheme),
      " routes need ",
      h("code", null, authHow(scheme)),
      scheme.description ? ` (${scheme.description})` : "",
    ]),
    schemes.length > 0 ? "." : "No route needs a token.",
  );
}

/** Renders the whole document: intro, table of contents and one section per operation. */
function render(doc: OpenApiDoc): void {
  const ctx: SchemaContext = { doc };
  renderIntro(doc);
  const ops = operations(doc);
  el.count.textContent = `${ops.length} ${ops.length === 1 ? "route" : "routes"}`;
  replace(el.toc, ...ops.map(tocEntry));
  replace(el.routes, ...ops.map((op) => routeSection(op, ctx)));
  if (ops.length === 0) replace(el.routes, h("p", { class: "muted" }, "The document lists no routes."));
}

/** Scrolls to the route named in the URL's #fragment once the sections exist. */
function scrollToHash(): void {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id) return;
  const target = document.getElementById(id);
  if (target) target.scrollIntoView();
}

async function main(): Promise<void> {
  el.base.textContent = origin;
  try {
    const doc = await getOpenApi();
    if (!isObject(doc) || !isObject(doc.paths)) throw new Error("The OpenAPI document has no paths.");
    render(doc);
    el.status.textContent = "";
    showError(el.error, null);
    scrollToHash();
  } catch (e) {
    el.status.textContent = "";
    showError(el.error, `Could not load /api/openapi.json: ${errorMessage(e)}`);
  }
}

void main();
