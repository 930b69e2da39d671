/**
 * The OpenAPI 3.1 document, generated from the zod schemas in this folder: one table of routes,
 * each naming its query, body and answer schemas, so the docs cannot drift from the validation.
 */
import { z } from "zod";
import {
  Clusters,
  Duel,
  DuelQuery,
  ErrorBody,
  Health,
  ImportResult,
  Leaderboard,
  LeaderboardQuery,
  Me,
  PredictQuery,
  Prediction,
  RefitResult,
  VoteRequest,
  VoteResult,
} from "./api.js";
import { ImportLine } from "./corpus.js";

interface RouteDoc {
  method: "get" | "post";
  path: string;
  summary: string;
  query?: z.ZodObject;
  body?: { type: string; schema: z.ZodType; description?: string };
  answer: { status: number; schema: z.ZodType };
  admin?: boolean;
  errors: number[];
}

/** Every public route, in the order the docs list them. */
export const routes: RouteDoc[] = [
  { method: "get", path: "/api/health", summary: "Liveness; does no storage work.", answer: { status: 200, schema: Health }, errors: [] },
  {
    method: "get",
    path: "/api/duel",
    summary: "The caller's next duel: one prompt, two anonymous passages by different contenders. Sets the rater cookie on first contact.",
    query: DuelQuery,
    answer: { status: 200, schema: Duel },
    errors: [400, 404],
  },
  {
    method: "post",
    path: "/api/votes",
    summary: "Vote on a served duel. The same token again answers the first vote (200, duplicate: true) and is not counted twice.",
    body: { type: "application/json", schema: VoteRequest },
    answer: { status: 201, schema: VoteResult },
    errors: [400, 403, 404, 410, 413, 415],
  },
  {
    method: "get",
    path: "/api/leaderboard",
    summary: "The global or a genre board from the last published fit.",
    query: LeaderboardQuery,
    answer: { status: 200, schema: Leaderboard },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/api/me",
    summary: "The caller's personal board (online, openskill), taste cluster membership, vote count and quirk.",
    answer: { status: 200, schema: Me },
    errors: [],
  },
  {
    method: "get",
    path: "/api/clusters",
    summary: "Every taste cluster of the last fit: size, share, signature, board; the predictor; a 2-D map of raters.",
    answer: { status: 200, schema: Clusters },
    errors: [],
  },
  {
    method: "get",
    path: "/api/raters/{id}",
    summary: "Any rater of the vote log placed under the last fit: cluster membership, quirk and board (batch view).",
    answer: { status: 200, schema: Me },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/api/predict",
    summary: "P(a), P(b), P(tie) for a rater (or everyone, without rater) and two contenders, with the basis used.",
    query: PredictQuery,
    answer: { status: 200, schema: Prediction },
    errors: [400, 404],
  },
  {
    method: "post",
    path: "/api/admin/import",
    summary: "Import prompts, contenders, passages and votes as NDJSON, one ImportLine a line; idempotent by id (votes: by id or content).",
    body: { type: "application/x-ndjson", schema: ImportLine, description: "one JSON object per line" },
    answer: { status: 200, schema: ImportResult },
    admin: true,
    errors: [400, 401, 403, 413, 415],
  },
  {
    method: "post",
    path: "/api/admin/refit",
    summary: "Run the batch fit now and publish it.",
    answer: { status: 200, schema: RefitResult },
    admin: true,
    errors: [401, 403],
  },
];

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "any" });

/** Builds the OpenAPI document. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: Record<string, unknown>[] = r.query
      ? Object.entries(r.query.shape).map(([name, schema]) => ({
          name,
          in: "query",
          required: !(schema as z.ZodType).safeParse(undefined).success,
          schema: jsonSchema(schema as z.ZodType),
        }))
      : [];
    for (const name of r.path.match(/\{(\w+)\}/g) ?? []) {
      parameters.push({ name: name.slice(1, -1), in: "path", required: true, schema: { type: "string" } });
    }
    const responses: Record<string, unknown> = {
      [r.answer.status]: { description: "OK", content: { "application/json": { schema: jsonSchema(r.answer.schema) } } },
    };
    for (const status of r.errors) {
      responses[status] = { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    }
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary,
      parameters,
      ...(r.body
        ? { requestBody: { required: true, description: r.body.description, content: { [r.body.type]: { schema: jsonSchema(r.body.schema) } } } }
        : {}),
      responses,
      ...(r.admin ? { security: [{ admin: [] }] } : {}),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Palate API",
      version: "0.1.0",
      description: "Anonymous prose duels in; global, per-rater and per-cluster ratings out. Errors are {error:{code,message}} with a 4xx status.",
    },
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorBody) },
      securitySchemes: { admin: { type: "http", scheme: "bearer", description: "the ADMIN_TOKEN secret" } },
    },
  };
}
