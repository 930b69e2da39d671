// Taste clusters through the HTTP API: import a planted preference data set as vote lines,
// refit, and read clusters, cluster boards, rater views and predictions back.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { simulate } from "../../../eval/simulate.js";
import { ADMIN, Client, importLines, refit } from "../client.js";

const planted = simulate({
  seed: 11,
  contenders: 10,
  raters: 240,
  shares: [0.7, 0.3],
  clusterSpread: 1.5,
  individualSpread: 0.2,
  votesPerRater: 24,
  tieRate: 0.3,
});
const contender = (i: number) => `pc-${i}`;
const winners = ["a", "b", "tie", "both_bad"] as const;
const voteLines = Array.from(planted.a, (a, v) => ({
  kind: "vote",
  rater: `u${planted.rater[v]}`,
  a: contender(a),
  b: contender(planted.b[v]!),
  winner: winners[planted.y[v]!],
  at: 1_700_000_000_000 + v,
}));

beforeAll(async () => {
  const corpus = Array.from({ length: 10 }, (_, i) => ({ kind: "contender", id: contender(i), model: `planted-${i}`, persona: "plain" }));
  const response = await importLines([...corpus, ...voteLines]);
  const body = await response.json<{ accepted: { vote: number }; rejectedCount: number }>();
  expect(body.rejectedCount).toBe(0);
  expect(body.accepted.vote).toBe(voteLines.length);
  await refit();
});

describe("taste clusters from imported votes", () => {
  it("counts a re-imported vote file once", async () => {
    const again = await importLines(voteLines.slice(0, 500));
    expect((await again.json<{ accepted: { vote: number } }>()).accepted.vote).toBe(500);
    expect(await env.ARENA.getByName("global").voteCount()).toBe(voteLines.length);
  });

  it("finds the two planted clusters, with sizes near the planted shares", async () => {
    const { status, body } = await new Client().json("/api/clusters");
    expect(status).toBe(200);
    expect(body.k).toBe(2);
    expect(body.raters).toBe(240);
    const truthShare = Array.from(planted.truth).filter((t) => t === 1).length / 240;
    const minority = body.clusters[1];
    expect(Math.abs(minority.size / 240 - truthShare)).toBeLessThan(0.05);
    expect(minority.signature.likes.length + minority.signature.dislikes.length).toBeGreaterThan(0);
    expect(body.map.points).toHaveLength(240);
    expect(new Set(body.map.points.map((p: { cluster: string }) => p.cluster)).size).toBe(2);
  });

  it("places each rater in their planted cluster", async () => {
    const { body: clusters } = await new Client().json("/api/clusters");
    const ids: string[] = clusters.clusters.map((c: { id: string }) => c.id);
    const confusion = new Map<string, number>();
    for (let u = 0; u < 240; u += 4) {
      const { status, body } = await new Client().json(`/api/raters/u${u}`);
      expect(status).toBe(200);
      expect(body.votes).toBe(24);
      const key = `${planted.truth[u]}->${ids.indexOf(body.cluster.id)}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
    }
    // Whatever the labels, one mapping of planted to found clusters explains ≥ 90% of raters.
    const straight = (confusion.get("0->0") ?? 0) + (confusion.get("1->1") ?? 0);
    const crossed = (confusion.get("0->1") ?? 0) + (confusion.get("1->0") ?? 0);
    expect(Math.max(straight, crossed) / 60).toBeGreaterThanOrEqual(0.9);
  });

  it("serves each cluster's board and refuses unknown clusters", async () => {
    const { body: clusters } = await new Client().json("/api/clusters");
    const board = await new Client().json(`/api/leaderboard?cluster=${clusters.clusters[1].id}`);
    expect(board.status).toBe(200);
    expect(board.body.rows).toEqual(clusters.clusters[1].rows);
    const planted = board.body.rows.filter((r: { contender: string }) => r.contender.startsWith("pc-"));
    expect(planted).toHaveLength(10);
    expect((await new Client().json("/api/leaderboard?cluster=c99")).status).toBe(404);
  });

  it("predicts a minority rater's taste better than the global board does", async () => {
    // The contender pair on which the planted minority most disagrees with the majority.
    let best = { a: 0, b: 1, gap: 0 };
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        const gap = planted.clusters[1]![i]! - planted.clusters[1]![j]! - (planted.clusters[0]![i]! - planted.clusters[0]![j]!);
        if (gap > best.gap) best = { a: i, b: j, gap };
      }
    }
    const minorityRater = Array.from(planted.truth).findIndex((t) => t === 1);
    const mine = await new Client().json(`/api/predict?rater=u${minorityRater}&a=${contender(best.a)}&b=${contender(best.b)}`);
    const everyone = await new Client().json(`/api/predict?a=${contender(best.a)}&b=${contender(best.b)}`);
    expect(mine.status).toBe(200);
    expect(mine.body.basis).not.toBe("global");
    expect(everyone.body.basis).toBe("global");
    expect(mine.body.a + mine.body.b + mine.body.tie).toBeCloseTo(1, 3);
    expect(mine.body.a).toBeGreaterThan(everyone.body.a);
  });

  it("answers bad predict and rater queries with 4xx", async () => {
    const client = new Client();
    expect((await client.json("/api/predict?a=pc-0")).status).toBe(400);
    expect((await client.json("/api/predict?a=pc-0&b=nobody")).status).toBe(404);
    expect((await client.json("/api/predict?a=pc-0&b=pc-0")).status).toBe(400);
    expect((await client.json("/api/raters/nobody-at-all")).status).toBe(404);
    expect((await client.json("/api/raters/%3Cx%3E")).status).toBe(400);
  });

  it("keeps cluster ids across a refit of the same votes", async () => {
    const before = (await new Client().json("/api/clusters")).body.clusters.map((c: { id: string }) => c.id);
    await refit();
    const after = (await new Client().json("/api/clusters")).body.clusters.map((c: { id: string }) => c.id);
    expect(after).toEqual(before);
    const admin = await new Client().json("/api/admin/refit", { method: "POST", headers: ADMIN });
    expect(admin.body.k).toBe(2);
  });
});
