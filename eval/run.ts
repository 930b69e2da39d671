/**
 * The evaluation harness (`npm run eval`, DESIGN.md §6). For each planted scenario and seed:
 * simulate, hold out the last 20% of each rater's votes as an evaluation set, fit the taste
 * model on the rest only (it makes its own inner split to choose K and the predictor), then
 * score cluster recovery against the planted truth and predictions on the evaluation votes.
 * Prints markdown tables and a targets check, and writes the same to eval/results.md.
 *
 *   npx tsx eval/run.ts [--quick] [--seeds N]
 */
import { writeFileSync } from "node:fs";
import type { MixtureModel } from "../worker/ratings/mixture.js";
import { type PredictorForm, type TasteFit, fitTaste, scoreHeldOut } from "../worker/ratings/taste.js";
import { type RaterVotes, groupVotes, splitHeldOut } from "../worker/ratings/votes.js";
import {
  type PredictionTotals,
  accuracy,
  addPredictions,
  adjustedRandIndex,
  bayesAssign,
  emptyTotals,
  hardAssign,
  hasVotes,
  knownProbs,
  mapToPlanted,
  meanLogLoss,
  recallPrecision,
  voteProbs,
} from "./metrics.js";
import { type Summary, cell, summarize, table, tally } from "./report.js";
import { type NamedScenario, SCENARIOS } from "./scenarios.js";
import { simulate } from "./simulate.js";

/**
 * The predictors scored on the evaluation votes, in column order. The two oracles are ceilings,
 * not fits: the rater's planted cluster strengths, and the rater's own true strengths.
 */
const PREDICTORS = ["global", "clusters", "clusters+dev", "global+dev", "chosen", "oracle-cluster", "oracle-rater"] as const;
type PredictorName = (typeof PREDICTORS)[number];

/** Rater activity buckets by total votes (before the split); index 0 is everyone. */
const BUCKETS = [
  { label: "all", test: (_n: number) => true },
  { label: "≤10 votes", test: (n: number) => n <= 10 },
  { label: "11–40 votes", test: (n: number) => n > 10 && n <= 40 },
  { label: ">40 votes", test: (n: number) => n > 40 },
];

interface SeedResult {
  plantedK: number;
  chosenK: number;
  ari: number;
  bestAri: number;
  minority: { recall: number; precision: number; bestRecall: number; bestPrecision: number; raters: number } | null;
  /** totals[predictor][bucket] */
  totals: Record<PredictorName, PredictionTotals[]>;
  bucketRaters: number[];
  chosen: string;
  tauClustersDev: number;
  tauGlobalDev: number;
  fitSeconds: number;
  trainRaters: number;
  evalVotes: number;
  trainVotes: number;
}

/**
 * τ for a deviation predictor: the fit's chosen τ when its chosen form has a deviation, else the
 * best τ (inner held-out log-likelihood) among fit.forms of that form, else among any deviation
 * form (the fit tries no clusters+deviation when it chose K = 1). Never looks at the eval set.
 */
function tauFor(fit: TasteFit, form: PredictorForm): number {
  if (fit.predictor.tau > 0) return fit.predictor.tau;
  const same = fit.forms.filter((f) => f.form === form && f.tau > 0);
  const pool = same.length > 0 ? same : fit.forms.filter((f) => f.tau > 0);
  let best = pool[0]!;
  for (const f of pool) if (f.perVote > best.perVote) best = f;
  return best.tau;
}

/** Probabilities for every evaluation vote under one predictor. */
function predict(train: RaterVotes, test: RaterVotes, fit: TasteFit, model: MixtureModel | null, tau: number) {
  const probs = voteProbs(test.a.length);
  scoreHeldOut(train, test, model, model ? fit.resp : null, fit.global, tau, probs);
  return probs;
}

function evaluateSeed(named: NamedScenario, seed: number): SeedResult {
  const s = named.scenario(seed);
  const planted = simulate(s);
  const votes = groupVotes(s.raters, s.contenders, planted.rater, planted.a, planted.b, planted.y);
  const { train, test } = splitHeldOut(votes, 0.2);

  const t0 = performance.now();
  const fit = fitTaste(train);
  const fitSeconds = (performance.now() - t0) / 1000;

  // Cluster recovery over raters with at least one training vote.
  const include = hasVotes(train);
  const k = fit.mixture.k;
  const plantedK = s.shares.length;
  const hard = hardAssign(fit.resp, train.raters, k);
  const bayes = bayesAssign(train, planted.clusters, s.shares, s.tieRate);
  const ari = plantedK > 1 ? adjustedRandIndex(hard, planted.truth, include) : Number.NaN;
  const bestAri = plantedK > 1 ? adjustedRandIndex(bayes, planted.truth, include) : Number.NaN;

  let minority: SeedResult["minority"] = null;
  if (plantedK > 1) {
    let target = 0;
    for (let c = 1; c < plantedK; c++) if (s.shares[c]! < s.shares[target]!) target = c;
    const map = mapToPlanted(hard, k, planted.truth, plantedK, include);
    const asPlanted = Int32Array.from(hard, (c) => map[c]!);
    const got = recallPrecision(asPlanted, planted.truth, target, include);
    const best = recallPrecision(bayes, planted.truth, target, include);
    let raters = 0;
    for (let u = 0; u < s.raters; u++) if (include[u] && planted.truth[u] === target) raters++;
    minority = { recall: got.recall, precision: got.precision, bestRecall: best.recall, bestPrecision: best.precision, raters };
  }

  // Predictions on the evaluation votes.
  const tauClustersDev = tauFor(fit, "clusters+deviation");
  const tauGlobalDev = tauFor(fit, "global+deviation");
  const chosenModel = fit.predictor.form === "clusters" || fit.predictor.form === "clusters+deviation" ? fit.mixture : null;
  const probs: Record<PredictorName, ReturnType<typeof voteProbs>> = {
    global: predict(train, test, fit, null, 0),
    clusters: predict(train, test, fit, fit.mixture, 0),
    "clusters+dev": predict(train, test, fit, fit.mixture, tauClustersDev),
    "global+dev": predict(train, test, fit, null, tauGlobalDev),
    chosen: predict(train, test, fit, chosenModel, fit.predictor.tau),
    "oracle-cluster": knownProbs(test, (u) => planted.clusters[planted.truth[u]!]!, Math.log(s.tieRate)),
    "oracle-rater": knownProbs(test, (u) => planted.raterTheta[u]!, Math.log(s.tieRate)),
  };
  const totals = Object.fromEntries(PREDICTORS.map((p) => [p, BUCKETS.map(() => emptyTotals())])) as Record<PredictorName, PredictionTotals[]>;
  const bucketRaters = BUCKETS.map(() => 0);
  for (let u = 0; u < s.raters; u++) {
    const n = votes.start[u + 1]! - votes.start[u]!;
    const from = test.start[u]!;
    const to = test.start[u + 1]!;
    BUCKETS.forEach((bucket, i) => {
      if (!bucket.test(n)) return;
      bucketRaters[i]!++;
      for (const p of PREDICTORS) addPredictions(totals[p][i]!, test.y, probs[p], from, to);
    });
  }
  const chosen = fit.predictor.tau > 0 ? `${fit.predictor.form} τ=${fit.predictor.tau}` : fit.predictor.form;
  return {
    plantedK,
    chosenK: k,
    ari,
    bestAri,
    minority,
    totals,
    bucketRaters,
    chosen,
    tauClustersDev,
    tauGlobalDev,
    fitSeconds,
    trainRaters: include.filter(Boolean).length,
    evalVotes: test.a.length,
    trainVotes: train.a.length,
  };
}

function parseArgs(argv: string[]): { seeds: number; quick: boolean } {
  const quick = argv.includes("--quick");
  let seeds = quick ? 2 : 5;
  const i = argv.indexOf("--seeds");
  if (i >= 0) {
    seeds = Number(argv[i + 1]);
    if (!Number.isInteger(seeds) || seeds < 1) throw new Error("--seeds needs a positive integer");
  }
  return { seeds, quick };
}

const of = (rs: SeedResult[], f: (r: SeedResult) => number): Summary => summarize(rs.map(f));
const pct = (rs: SeedResult[], p: PredictorName, b = 0) => of(rs, (r) => accuracy(r.totals[p][b]!));
const loss = (rs: SeedResult[], p: PredictorName, b = 0) => of(rs, (r) => meanLogLoss(r.totals[p][b]!));

function main(): void {
  const { seeds, quick } = parseArgs(process.argv.slice(2));
  const seedList = Array.from({ length: seeds }, (_, i) => i + 1);
  const started = performance.now();
  const results = new Map<string, SeedResult[]>();
  for (const named of SCENARIOS) {
    const rs: SeedResult[] = [];
    for (const seed of seedList) {
      rs.push(evaluateSeed(named, seed));
      process.stderr.write(`${named.id} seed ${seed}: K=${rs[rs.length - 1]!.chosenK} (${rs[rs.length - 1]!.fitSeconds.toFixed(2)} s)\n`);
    }
    results.set(named.id, rs);
  }
  const wall = (performance.now() - started) / 1000;
  const out: string[] = [];
  const say = (s = "") => out.push(s);
  const get = (id: string) => results.get(id)!;
  const votesLabel = (n: NamedScenario) => String(n.scenario(1).votesPerRater);

  say("# Palate evaluation: planted taste clusters");
  say();
  say(
    `Seeds ${seedList.join(", ")}${quick ? " (--quick)" : ""}. 20 contenders, cluster spread 1.4 (the prototype's difficulty; 1.0 in the \"hard\" scenario), individual spread 0.3, tie rate 0.3. ` +
      "Per seed: the last 20% of each rater's votes are the evaluation set; `fitTaste` sees only the rest (and splits it again to choose K and the predictor). " +
      'Cells are mean (min–max) over seeds; "spread" = 60% of raters with 3–10 votes, 30% with 11–40, 10% with 100–200.',
  );
  say();

  say("## Cluster recovery");
  say();
  say(
    table(
      ["scenario", "raters", "votes/rater", "planted K", "chosen K", "K right", "ARI", "best ARI", "ARI / best", "fit s"],
      SCENARIOS.map((n) => {
        const rs = get(n.id);
        const plantedK = rs[0]!.plantedK;
        return [
          n.label,
          String(n.scenario(1).raters),
          votesLabel(n),
          String(plantedK),
          cell(of(rs, (r) => r.chosenK), 1),
          `${rs.filter((r) => r.chosenK === plantedK).length}/${rs.length}`,
          cell(of(rs, (r) => r.ari), 3),
          cell(of(rs, (r) => r.bestAri), 3),
          cell(of(rs, (r) => r.ari / r.bestAri), 2),
          cell(of(rs, (r) => r.fitSeconds), 2),
        ];
      }),
    ),
  );
  say();
  say("ARI: hard assignment (argmax of the fit's responsibilities) against the planted clusters, over raters with ≥ 1 training vote. Best ARI: Bayes rule with the true cluster strengths, shares and tie rate on the same training votes (individual noise ignored).");
  say();

  say("## Minority cluster (the planted cluster with the smallest share)");
  say();
  say(
    table(
      ["scenario", "minority share", "minority raters", "recall", "precision", "best recall", "best precision"],
      SCENARIOS.filter((n) => n.clustered).map((n) => {
        const rs = get(n.id);
        const shares = n.scenario(1).shares;
        return [
          n.label,
          String(Math.min(...shares)),
          cell(of(rs, (r) => r.minority!.raters), 0),
          cell(of(rs, (r) => r.minority!.recall), 2),
          cell(of(rs, (r) => r.minority!.precision), 2),
          cell(of(rs, (r) => r.minority!.bestRecall), 2),
          cell(of(rs, (r) => r.minority!.bestPrecision), 2),
        ];
      }),
    ),
  );
  say();
  say("Each fitted cluster is mapped to the planted cluster it overlaps most; precision is 0 when no fitted cluster maps to the minority. Best: the Bayes rule with the true parameters.");
  say();

  const heads = ["global", "clusters", "clusters + dev", "global + dev", "chosen", "oracle: planted cluster", "oracle: rater's true θ"];
  say("## Held-out accuracy on decisive votes (%)");
  say();
  say(
    table(
      ["scenario", "eval votes", ...heads, "chosen − global", "chosen predictor (per seed)"],
      SCENARIOS.map((n) => {
        const rs = get(n.id);
        return [
          n.label,
          cell(of(rs, (r) => r.evalVotes), 0),
          ...PREDICTORS.map((p) => cell(pct(rs, p), 1, 100)),
          cell(of(rs, (r) => accuracy(r.totals.chosen[0]!) - accuracy(r.totals.global[0]!)), 1, 100),
          tally(rs.map((r) => r.chosen)),
        ];
      }),
    ),
  );
  say();
  say(
    "Predicted winner: the side with the larger win probability. Clusters: the mixture weighted by each rater's responsibilities. " +
      "Oracles (ceilings, not fits): the rater's planted cluster strengths, and the rater's own true strengths (cluster + individual noise), with the true tie rate. " +
      "Deviation τ: the fit's chosen τ when its chosen form has a deviation, else the best τ of that form on the fit's inner held-out votes " +
      `(τ used, clusters + dev: ${tally(SCENARIOS.flatMap((n) => get(n.id).map((r) => String(r.tauClustersDev))))}; global + dev: ${tally(SCENARIOS.flatMap((n) => get(n.id).map((r) => String(r.tauGlobalDev))))}).`,
  );
  say();

  say("## Held-out log-loss (mean −log p of the observed outcome; tie and both_bad as tie)");
  say();
  say(table(["scenario", ...heads], SCENARIOS.map((n) => [n.label, ...PREDICTORS.map((p) => cell(loss(get(n.id), p), 4))])));
  say();

  const activityRows = (metric: (rs: SeedResult[], p: PredictorName, b: number) => Summary, digits: number, scale: number) =>
    SCENARIOS.flatMap((n) => {
      const rs = get(n.id);
      return BUCKETS.slice(1).flatMap((bucket, i) => {
        const b = i + 1;
        const evalVotes = of(rs, (r) => r.totals.global[b]!.votes);
        if (evalVotes.n === 0 || evalVotes.max === 0) return [];
        return [[n.label, bucket.label, cell(of(rs, (r) => r.bucketRaters[b]!), 0), cell(evalVotes, 0), ...PREDICTORS.map((p) => metric(rs, p, b)).map((s) => cell(s, digits, scale))]];
      });
    });
  say("## Accuracy by rater activity (%, decisive votes)");
  say();
  say(table(["scenario", "activity (total votes)", "raters", "eval votes", ...heads], activityRows(pct, 1, 100)));
  say();
  say("## Log-loss by rater activity");
  say();
  say(table(["scenario", "activity (total votes)", "raters", "eval votes", ...heads], activityRows(loss, 4, 1)));
  say();
  say("Each rater holds out the last 20% of their votes, rounded to the nearest vote but keeping at least two for training (`heldOutCount`), so a rater with 3 votes holds out one.");
  say();

  // Targets (DESIGN.md §6 reference figures), checked on means over seeds.
  say("## Targets");
  say();
  const lines: string[] = [];
  const check = (ok: boolean, text: string) => lines.push(`- ${ok ? "PASS" : "FAIL"} — ${text}`);
  for (const id of ["k3-30", "k5-30"]) {
    const rs = get(id);
    const ratio = of(rs, (r) => r.ari / r.bestAri);
    const label = SCENARIOS.find((n) => n.id === id)!.label;
    check(ratio.mean >= 0.9, `ARI ≥ 0.9 × best possible, ${label}: ARI / best ${ratio.mean.toFixed(3)} (seeds ${ratio.min.toFixed(3)}–${ratio.max.toFixed(3)}; ARI ${cell(of(rs, (r) => r.ari), 3)}, best ${cell(of(rs, (r) => r.bestAri), 3)})`);
  }
  for (const n of SCENARIOS) {
    const v = n.scenario(1).votesPerRater;
    if (typeof v !== "number" || v < 10) continue;
    const rs = get(n.id);
    const right = rs.filter((r) => r.chosenK === r.plantedK).length;
    check(right / rs.length >= 0.8, `correct K in ≥ 80% of seeds, ${n.label}: ${right}/${rs.length} (chosen ${tally(rs.map((r) => String(r.chosenK)))}; planted ${rs[0]!.plantedK})`);
  }
  {
    const rs = get("k3-30");
    const g = pct(rs, "global");
    const c = pct(rs, "chosen");
    const gain = of(rs, (r) => accuracy(r.totals.chosen[0]!) - accuracy(r.totals.global[0]!));
    check(gain.mean * 100 >= 6.2, `accuracy gain of the chosen predictor over global ≥ 6.2 points, K=3, 30 votes: ${(g.mean * 100).toFixed(1)}% → ${(c.mean * 100).toFixed(1)}%, +${(gain.mean * 100).toFixed(1)} points (seeds ${(gain.min * 100).toFixed(1)}–${(gain.max * 100).toFixed(1)}; oracle with the planted cluster ${(pct(rs, "oracle-cluster").mean * 100).toFixed(1)}%, with each rater's true strengths ${(pct(rs, "oracle-rater").mean * 100).toFixed(1)}%; prototype 69.3% → 75.5%)`);
  }
  {
    const rs = get("minority-30");
    const recall = of(rs, (r) => r.minority!.recall);
    const precision = of(rs, (r) => r.minority!.precision);
    check(recall.mean >= 0.78, `5% minority recall ≥ 0.78: ${cell(recall, 3)} (best possible ${cell(of(rs, (r) => r.minority!.bestRecall), 3)})`);
    check(precision.mean >= 0.89, `5% minority precision ≥ 0.89: ${cell(precision, 3)} (best possible ${cell(of(rs, (r) => r.minority!.bestPrecision), 3)})`);
  }
  {
    const rs = get("k1-30");
    const lossPts = of(rs, (r) => (accuracy(r.totals.global[0]!) - accuracy(r.totals.chosen[0]!)) * 100);
    check(lossPts.mean <= 0.2, `no clusters: chosen predictor at most 0.2 accuracy points below global: mean loss ${lossPts.mean.toFixed(2)} points (seeds ${lossPts.min.toFixed(2)} to ${lossPts.max.toFixed(2)}; chosen ${tally(rs.map((r) => r.chosen))})`);
  }
  for (const l of lines) say(l);
  say();
  say("Targets are checked on the mean over seeds; the per-seed range is shown beside each.");
  say();
  const totalFit = SCENARIOS.reduce((s, n) => s + get(n.id).reduce((t, r) => t + r.fitSeconds, 0), 0);
  say(`Run time: ${wall.toFixed(1)} s in all, of which ${totalFit.toFixed(1)} s in \`fitTaste\` (${SCENARIOS.length} scenarios × ${seeds} seeds, one process).`);

  const text = `${out.join("\n")}\n`;
  process.stdout.write(text);
  writeFileSync(new URL("./results.md", import.meta.url), text);
}

main();
