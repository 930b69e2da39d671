/**
 * The public API contract: zod schemas for every request and response body, shared by the
 * Worker (validation), the web pages (types) and API clients (the OpenAPI document is generated
 * from these, see `schema/openapi.ts`).
 */
import { z } from "zod";

/** Ids are short opaque strings: letters, digits and `-_./:`. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, "ids use letters, digits and - _ . / :");

export const Genre = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9-]*$/, "genres are lowercase words, e.g. fiction");

export const Choice = z.enum(["a", "b", "tie", "both_bad"]);
export type Choice = z.infer<typeof Choice>;

/** Reason tags a rater may attach to a vote. */
export const ReasonTag = z.enum([
  "voice",
  "clarity",
  "surprise",
  "rhythm",
  "accuracy",
  "too_long",
  "too_short",
  "cliche",
  "hedging",
  "purple",
]);
export type ReasonTag = z.infer<typeof ReasonTag>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().meta({ example: "bad_request" }),
    message: z.string().meta({ example: "choice: expected one of a|b|tie|both_bad" }),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Health = z.object({ ok: z.literal(true) });

// ---- duels and votes --------------------------------------------------------------------

export const DuelQuery = z.object({ genre: Genre.optional() });

export const DuelPassage = z.object({ passageId: Id, text: z.string() });

export const Duel = z.object({
  duelId: Id,
  token: z.string().meta({ description: "signed; send it back with the vote" }),
  prompt: z.object({ id: Id, text: z.string(), genre: Genre }),
  a: DuelPassage,
  b: DuelPassage,
  repeat: z.boolean().meta({ description: "true once the rater has seen every passage on offer" }),
});
export type Duel = z.infer<typeof Duel>;

export const VoteRequest = z.strictObject({
  token: z.string().min(10).max(2048),
  choice: Choice,
  readMs: z.number().int().min(0).max(86_400_000).optional(),
  reasons: z.array(ReasonTag).max(10).optional(),
});
export type VoteRequest = z.infer<typeof VoteRequest>;

export const RevealSide = z.object({ contender: Id, model: z.string(), persona: z.string() });

/** How voters split on a pair of contenders, from the last published fit. */
export const Split = z.object({
  votes: z.number().int(),
  a: z.number(),
  b: z.number(),
  tie: z.number(),
  bothBad: z.number(),
  predicted: z.object({ a: z.number(), b: z.number(), tie: z.number() }),
});
export type Split = z.infer<typeof Split>;

export const VoteResult = z.object({
  voteId: Id,
  duplicate: z.boolean().meta({ description: "true when this token had already been voted" }),
  flagged: z.boolean().meta({ description: "cast faster than the passages can be read: stored, shown in exports, left out of fits" }),
  choice: Choice,
  reveal: z.object({ a: RevealSide, b: RevealSide }),
  crowd: Split.nullable(),
  cluster: z
    .object({ id: z.string(), split: Split })
    .nullable()
    .meta({ description: "the rater's own taste cluster, once clusters are fitted" }),
});
export type VoteResult = z.infer<typeof VoteResult>;

// ---- boards -----------------------------------------------------------------------------

export const LeaderboardQuery = z.object({
  cluster: Id.optional(),
  genre: Genre.optional(),
  control: z.enum(["length"]).optional(),
});

export const BoardRow = z.object({
  rank: z.number().int().meta({ description: "best possible rank given the intervals" }),
  rankHi: z.number().int().meta({ description: "worst possible rank given the intervals" }),
  contender: Id,
  model: z.string(),
  persona: z.string(),
  rating: z.number().meta({ description: "Elo-like points: 1000 + 400/ln(10) x strength" }),
  lo: z.number(),
  hi: z.number(),
  votes: z.number().int(),
  winRate: z.number().nullable(),
  bothBadRate: z.number().nullable(),
  provisional: z.boolean(),
  plainRank: z.number().int().optional().meta({ description: "on a length-controlled board: the rank on the plain board" }),
});
export type BoardRow = z.infer<typeof BoardRow>;

export const LengthEffect = z.object({
  coefficient: z.number().meta({ description: "logits added per unit of (words A − words B) / (words A + words B)" }),
  se: z.number(),
  doublingPoints: z.number().meta({ description: "rating points a passage gains by being twice as long as its rival" }),
  votes: z.number().int().meta({ description: "votes whose passage lengths are known" }),
});
export type LengthEffect = z.infer<typeof LengthEffect>;

export const Leaderboard = z.object({
  fitAt: z.string().nullable().meta({ description: "ISO time of the published fit" }),
  votes: z.number().int().meta({ description: "votes in the fit" }),
  tieRate: z.number().meta({ description: "the fitted Davidson tie parameter nu" }),
  control: z.enum(["none", "length"]),
  lengthEffect: LengthEffect.nullable().meta({ description: "with control=length: the estimated effect of length" }),
  genres: z.array(Genre).meta({ description: "every genre with prompts; each has its own board (?genre=)" }),
  rows: z.array(BoardRow),
});
export type Leaderboard = z.infer<typeof Leaderboard>;

export const Membership = z.object({
  id: z.string().nullable().meta({ description: "the most likely taste cluster (null before clusters exist)" }),
  membership: z.record(z.string(), z.number()).meta({ description: "probability of each taste cluster" }),
  certainty: z.number().meta({ description: "probability of the most likely cluster" }),
  votesToSettle: z
    .number()
    .int()
    .nullable()
    .meta({ description: "about how many more votes would make the cluster 95% sure (0 when it is; null without clusters)" }),
});
export type Membership = z.infer<typeof Membership>;

export const Axis = z.object({
  positive: z.array(Id).meta({ description: "contenders at the axis's positive end" }),
  negative: z.array(Id).meta({ description: "contenders at its negative end" }),
});

export const TastePosition = z
  .object({
    position: z.object({
      x: z.number(),
      y: z.number(),
      vector: z.array(z.number()).meta({ description: "the rater's position in the taste space (D numbers)" }),
      sd: z.array(z.number()).meta({ description: "its posterior standard deviation per dimension" }),
    }),
    axes: z.array(Axis).meta({ description: "the map's x and y axes, labelled by the contenders at their ends" }),
  })
  .meta({ description: "where the rater sits in the taste space (null when the fit has none or the rater has no votes)" });

export const Me = z.object({
  rater: Id,
  votes: z.number().int(),
  cluster: Membership,
  taste: TastePosition.nullable(),
  quirk: z.number().meta({ description: "RMS distance of the rater's board from the global one, in rating points" }),
  basis: z.enum(["rater", "cluster", "factors", "global"]).meta({ description: "what the rater's board and predictions rest on" }),
  rows: z.array(BoardRow),
});
export type Me = z.infer<typeof Me>;

export const RaterParams = z.object({ id: Id });

export const PredictQuery = z.object({ rater: Id.optional(), a: Id, b: Id });

export const Prediction = z.object({
  rater: Id.nullable(),
  a: z.number().meta({ description: "P(a is preferred)" }),
  b: z.number(),
  tie: z.number(),
  basis: z.enum(["rater", "cluster", "factors", "global"]),
});
export type Prediction = z.infer<typeof Prediction>;

export const SignatureItem = z.object({
  contender: Id,
  model: z.string(),
  persona: z.string(),
  delta: z.number().meta({ description: "cluster rating minus global rating, in points" }),
});

export const ClusterInfo = z.object({
  id: z.string(),
  size: z.number().meta({ description: "raters, counted by membership probability" }),
  share: z.number().meta({ description: "mixture weight" }),
  votes: z.number().meta({ description: "votes, counted by membership probability" }),
  signature: z.object({ likes: z.array(SignatureItem), dislikes: z.array(SignatureItem) }),
  rows: z.array(BoardRow),
});
export type ClusterInfo = z.infer<typeof ClusterInfo>;

export const MapPoint = z.object({
  x: z.number(),
  y: z.number(),
  cluster: z.string().nullable(),
  certainty: z.number(),
  votes: z.number().int(),
});

export const Predictor = z.object({
  form: z.enum(["global", "clusters", "factors", "global+deviation", "clusters+deviation", "factors+deviation"]),
  tau: z.number().meta({ description: "spread of individual taste around the predictor, logits" }),
});

export const Clusters = z.object({
  fitAt: z.string().nullable(),
  k: z.number().int(),
  votes: z.number().int(),
  raters: z.number().int(),
  predictor: Predictor.meta({ description: "the largest population's predictor" }),
  populations: z.array(
    z.object({
      id: z.string(),
      raters: z.number().int(),
      contenders: z.number().int().meta({ description: "contenders this population judged" }),
      predictor: Predictor,
    }),
  ).meta({ description: "groups of raters with no contender in common, each with its own predictor" }),
  stability: z.number().meta({ description: "agreement (adjusted Rand index) between restarts of the chosen K; 1 for one cluster" }),
  separation: z
    .object({
      k: z.number().int(),
      observed: z.number().meta({ description: "within/total variance of the raters' taste vectors under k-means at K" }),
      null: z.object({ mean: z.number(), lo: z.number(), hi: z.number() }).meta({ description: "the same for Gaussian clouds with the raters' covariance" }),
      distinct: z.boolean().meta({ description: "true: the clusters are distinct tastes; false: a partition of a continuum of taste" }),
    })
    .nullable(),
  space: z
    .object({
      dim: z.number().int(),
      scale: z.number(),
      tau: z.number(),
      axes: z.array(Axis),
    })
    .nullable()
    .meta({ description: "the taste space (latent factors) the map is drawn in; null when D = 0 won" }),
  clusters: z.array(ClusterInfo),
  map: z.object({
    points: z.array(MapPoint),
    raters: z.number().int().meta({ description: "raters in the fit; points are a deterministic sample when there are many" }),
    basis: z.enum(["space", "boards"]).meta({ description: "space: positions on the taste space's axes; boards: the principal plane of the raters' boards" }),
  }),
});
export type Clusters = z.infer<typeof Clusters>;

// ---- open data ----------------------------------------------------------------------------

export const ExportFormat = z.enum(["json", "jsonl", "csv", "arena"]);

export const VotesQuery = z.object({
  since: z.iso.datetime({ offset: true }).optional().meta({ description: "only votes cast at or after this time" }),
  cursor: z.string().max(200).optional().meta({ description: "from the previous page's `next` (or its Link header)" }),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  format: ExportFormat.default("json"),
});

export const VoteRow = z.object({
  id: z.string().meta({ description: "the voteId POST /api/votes answered" }),
  rater: z.string().meta({ description: "anonymised: a stable keyed hash of the rater id" }),
  prompt: z.string().nullable(),
  genre: z.string().nullable(),
  promptText: z.string().nullable(),
  a: z.string().meta({ description: "contender shown as A" }),
  b: z.string(),
  winner: Choice,
  readMs: z.number().int().nullable(),
  reasons: z.array(z.string()),
  at: z.string().meta({ description: "ISO time of the vote" }),
  source: z.enum(["arena", "import"]),
  cluster: z.string().nullable().meta({ description: "the rater's most likely taste cluster in the last fit" }),
  room: z.string().nullable().meta({ description: "the live room the vote was cast in" }),
  flagged: z.boolean().meta({ description: "cast faster than a plausible reading time; left out of fits" }),
});
export type VoteRow = z.infer<typeof VoteRow>;

export const VotePage = z.object({ votes: z.array(VoteRow), next: z.string().nullable() });
export type VotePage = z.infer<typeof VotePage>;

/** One battle in the column layout of LMArena's public battle releases, plus Palate's own columns. */
export const ArenaBattle = z.object({
  question_id: z.string(),
  model_a: z.string().meta({ description: "contender id (model/persona)" }),
  model_b: z.string(),
  winner: z.enum(["model_a", "model_b", "tie", "tie (bothbad)"]),
  judge: z.string(),
  tstamp: z.number(),
  anony: z.literal(true).meta({ description: "every Palate battle is anonymous" }),
  persona_a: z.string(),
  persona_b: z.string(),
  prompt_id: z.string().nullable(),
  read_ms: z.number().int().nullable(),
  cluster: z.string().nullable(),
});

export const FitsQuery = z.object({
  before: z.coerce.number().int().min(1).optional().meta({ description: "fits with an id below this" }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const FitSummary = z.object({
  id: z.number().int(),
  fitAt: z.string(),
  votes: z.number().int(),
  k: z.number().int(),
  rows: z.array(BoardRow.pick({ contender: true, rating: true, lo: true, hi: true, votes: true })),
});

export const FitList = z.object({ fits: z.array(FitSummary), next: z.number().int().nullable() });

// ---- admin ------------------------------------------------------------------------------

export const ImportResult = z.object({
  accepted: z.object({
    prompt: z.number().int(),
    contender: z.number().int(),
    passage: z.number().int(),
    vote: z.number().int(),
  }),
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  rejectedCount: z.number().int(),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const RefitResult = z.object({
  fitAt: z.string(),
  votes: z.number().int(),
  contenders: z.number().int(),
  seconds: z.number(),
  k: z.number().int(),
});
export type RefitResult = z.infer<typeof RefitResult>;
