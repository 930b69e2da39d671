import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Choice } from "../../../schema/api.js";
import { fitArena, type FitVote } from "../../../worker/ratings/publish.js";
import { ADMIN, Client, flushRater, refit } from "../client.js";

describe("GET /api/leaderboard", () => {
  it("lists every contender as provisional before any fit", async () => {
    const { status, body } = await new Client().json("/api/leaderboard");
    expect(status).toBe(200);
    expect(body.fitAt).toBeNull();
    const snapshot = await env.CORPUS.getByName("main").snapshot();
    expect(body.rows).toHaveLength(snapshot.contenders.length);
    expect(body.rows.every((r: { provisional: boolean; votes: number }) => r.provisional && r.votes === 0)).toBe(true);
  });

  it("after a scripted sequence of votes, equals the pure fit of the same votes", async () => {
    const snapshot = await env.CORPUS.getByName("main").snapshot();
    const contenderOf = new Map(snapshot.passages.map((p) => [p.id, p.contender]));
    // A planted taste: the lower a contender's position in this list, the more often it wins.
    const order = snapshot.contenders.map((c) => c.id);
    const strength = (id: string) => -order.indexOf(id);
    const script: FitVote[] = [];
    const choices: Choice[] = ["a", "b", "tie", "both_bad"];
    let k = 0;
    for (let r = 0; r < 6; r++) {
      const client = new Client();
      for (let v = 0; v < 8; v++) {
        const duel = await client.duel();
        const a = contenderOf.get(duel.a.passageId)!;
        const b = contenderOf.get(duel.b.passageId)!;
        const choice: Choice = k++ % 5 === 4 ? choices[2 + (k % 2)]! : strength(a) > strength(b) ? "a" : "b";
        const { status } = await client.vote({ token: duel.token, choice });
        expect(status).toBe(201);
        script.push({ rater: client.rater, a, b, winner: choice, prompt: duel.prompt.id });
      }
      await flushRater(client.rater);
    }
    await refit();
    const { body } = await new Client().json("/api/leaderboard");
    const expected = fitArena({
      contenders: snapshot.contenders,
      genres: new Map(snapshot.prompts.map((p) => [p.id, p.genre])),
      votes: script,
    });
    expect(body.votes).toBe(48);
    expect(body.rows).toEqual(expected.global.rows);
    const rating = (id: string) => body.rows.find((r: { contender: string }) => r.contender === id).rating;
    expect(rating(order[0]!)).toBeGreaterThan(rating(order[order.length - 1]!));
    const total = body.rows.reduce((s: number, r: { votes: number }) => s + r.votes, 0);
    expect(total).toBe(96);

    // A genre board holds only that genre's votes.
    const poetry = script.filter((v) => snapshot.prompts.find((p) => p.id === v.prompt)!.genre === "poetry").length;
    const genre = await new Client().json("/api/leaderboard?genre=poetry");
    expect(genre.body.votes).toBe(poetry);
    // Every genre of the corpus has a board, and the board lists the genres on offer.
    const genres = [...new Set(snapshot.prompts.map((p) => p.genre))].sort();
    expect(body.genres).toEqual(genres);
    for (const g of genres) {
      const board = await new Client().json(`/api/leaderboard?genre=${g}`);
      expect(board.status, g).toBe(200);
      expect(board.body.rows).toHaveLength(snapshot.contenders.length);
    }
    const genreTotal = await Promise.all(genres.map(async (g) => (await new Client().json(`/api/leaderboard?genre=${g}`)).body.votes));
    expect(genreTotal.reduce((s: number, n: number) => s + n, 0)).toBe(48);
  });

  it("answers If-None-Match with 304 while the fit is unchanged", async () => {
    const client = new Client();
    const first = await client.fetch("/api/leaderboard");
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    const again = await client.fetch("/api/leaderboard", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("refuses unknown clusters, genres and controls with a 4xx", async () => {
    const client = new Client();
    expect((await client.json("/api/leaderboard?cluster=c9")).body.error.code).toBe("unknown_cluster");
    expect((await client.json("/api/leaderboard?control=size")).status).toBe(400);
    expect((await client.json("/api/leaderboard?control=length&genre=poetry")).status).toBe(400);
    expect((await client.json("/api/leaderboard?genre=Bad Genre")).status).toBe(400);
  });
});

describe("POST /api/admin/refit", () => {
  it("needs the admin token", async () => {
    const client = new Client();
    expect((await client.json("/api/admin/refit", { method: "POST" })).status).toBe(401);
    expect((await client.json("/api/admin/refit", { method: "POST", headers: { authorization: "Bearer nope" } })).status).toBe(401);
    const ok = await client.json("/api/admin/refit", { method: "POST", headers: ADMIN });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ k: 1, votes: expect.any(Number), seconds: expect.any(Number) });
  });
});
