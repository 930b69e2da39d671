/**
 * The OpenAPI 3.1 document, generated from the zod schemas in this folder: one table of routes,
 * each naming its query, body and answer schemas, so the docs cannot drift from the validation.
 */
import { z } from "zod";
import {
  ArenaBattle,
  Clusters,
  FitList,
  FitsQuery,
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
  VotePage,
  VoteRequest,
  VoteResult,
  VotesQuery,
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
  /** further schemas the route's formats use, listed under components */
  extraSchemas?: Record<string, z.ZodType>;
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
    path: "/api/votes",
    summary:
      "The anonymised vote log, oldest first, cursor-paginated (stable while votes arrive). json: {votes, next}; jsonl and csv stream VoteRow records and arena streams LMArena-style battles (ArenaBattle), each with the next page in a Link header; every page also sends X-Resume-Cursor.",
    query: VotesQuery,
    answer: { status: 200, schema: VotePage },
    extraSchemas: { ArenaBattle },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/fits/latest",
    summary: "The whole last published fit: global, genre, cluster and length-controlled boards, cluster signatures and sizes, the rater map.",
    answer: { status: 200, schema: z.looseObject({ id: z.number(), fitAt: z.string() }) },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/fits",
    summary: "Earlier fits, newest first, each with its global board, for plotting how boards moved; page with before=next.",
    query: FitsQuery,
    answer: { status: 200, schema: FitList },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/leaderboard",
    summary: "The global, a genre's or a taste cluster's board from the last published fit; control=length removes the length effect (with lengthEffect and each row's plainRank).",
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
      schemas: {
        Error: jsonSchema(ErrorBody),
        ...Object.fromEntries(routes.flatMap((r) => Object.entries(r.extraSchemas ?? {})).map(([name, schema]) => [name, jsonSchema(schema)])),
      },
      securitySchemes: { admin: { type: "http", scheme: "bearer", description: "the ADMIN_TOKEN secret" } },
    },
  };
}
