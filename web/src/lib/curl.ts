// Builds a one-line curl command for an API route from its path, example parameters and example body.

/** Quotes a word for a POSIX shell: '…' on one line, or $'…' when it holds newlines or tabs. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  if (/[\n\r\t]/.test(s)) {
    const body = s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
    return `$'${body}'`;
  }
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What a curl line is built from. */
export interface CurlInput {
  origin: string;
  method: string;
  /** The path with its {params} already filled in. */
  path: string;
  query?: Array<[string, string]>;
  body?: { type: string; text: string } | null;
  /** Extra headers, written as given (a value may name an environment variable, e.g. "Bearer $ADMIN_TOKEN"). */
  headers?: Array<[string, string]>;
}

/** A header for curl -H; double-quoted when it uses a $VARIABLE so the shell expands it. */
function header(name: string, value: string): string {
  const text = `${name}: ${value}`;
  return /\$[A-Z_]/.test(value) && !/["\\`]/.test(text) ? `"${text}"` : shellQuote(text);
}

/** The curl command line for one request. */
export function curlLine(input: CurlInput): string {
  const method = input.method.toUpperCase();
  const qs = (input.query ?? []).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  const url = `${input.origin}${input.path}${qs ? `?${qs}` : ""}`;
  const parts = ["curl", "-s"];
  const body = input.body ?? null;
  if (method !== "GET" && !(method === "POST" && body)) parts.push("-X", method);
  parts.push(shellQuote(url));
  for (const [k, v] of input.headers ?? []) parts.push("-H", header(k, v));
  if (body) parts.push("-H", shellQuote(`content-type: ${body.type}`), "--data-binary", shellQuote(body.text));
  return parts.join(" ");
}
