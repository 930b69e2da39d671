import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, Client, importLines } from "../client.js";

const prompt = { kind: "prompt", id: "t-haiku", text: "Write a haiku about a kettle.", genre: "poetry" };
const contenders = [
  { kind: "contender", id: "t-one", model: "test-model-one", persona: "plain" },
  { kind: "contender", id: "t-two", model: "test-model-two", persona: "ornate", personaPrompt: "Be ornate." },
];
const passages = [
  { kind: "passage", id: "t-p1", prompt: "t-haiku", contender: "t-one", text: "Steam lifts the lid.\nA small bell of water rings.\nTea, then quiet." },
  { kind: "passage", id: "t-p2", prompt: "t-haiku", contender: "t-two", text: "O silver vessel,\nthy throat of gathering storms\nsings the dawn to tea!" },
];

describe("POST /api/admin/import", () => {
  it("imports prompts, contenders and passages, idempotent by id", async () => {
    const before = await env.CORPUS.getByName("main").getVersion();
    const first = await importLines([prompt, ...contenders, ...passages]);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: { prompt: 1, contender: 2, passage: 2, vote: 0 }, rejected: [], rejectedCount: 0 });
    const version = await env.CORPUS.getByName("main").getVersion();
    expect(version).toBeGreaterThan(before);
    const again = await importLines([prompt, ...contenders, ...passages]);
    expect(((await again.json()) as any).accepted).toEqual({ prompt: 1, contender: 2, passage: 2, vote: 0 });
    expect(await env.CORPUS.getByName("main").getVersion()).toBe(version);
    const snapshot = await env.CORPUS.getByName("main").snapshot();
    expect(snapshot.passages.filter((p) => p.prompt === "t-haiku")).toHaveLength(2);
    expect(snapshot.passages.find((p) => p.id === "t-p1")!.words).toBe(13);
  });

  it("serves the imported passages in duels, also to raters served before the import", async () => {
    // Served first, so this rater's object already holds the corpus as it was.
    const earlier = new Client();
    await earlier.duel("poetry");
    const fresh = { ...prompt, id: "t-kettle-2" };
    await importLines([fresh, ...contenders, ...passages.map((p, i) => ({ ...p, id: `t-k2-${i}`, prompt: fresh.id }))]);
    for (const client of [earlier, new Client()]) {
      let found = false;
      for (let i = 0; i < 60 && !found; i++) found = (await client.duel("poetry")).prompt.id === fresh.id;
      expect(found).toBe(true);
    }
  });

  it("answers each bad line with its number and reason, and applies the good ones", async () => {
    const response = await importLines([
      prompt,
      "{broken json",
      { kind: "passage", id: "t-p9", prompt: "no-such-prompt", contender: "t-one", text: "x" },
      { kind: "passage", id: "t-p8", prompt: "t-haiku", contender: "nobody", text: "x" },
      { kind: "prompt", id: "t-bad", text: "", genre: "poetry" },
      { kind: "limerick", id: "x" },
      { kind: "vote", rater: "u1", a: "t-one", b: "nobody", winner: "a" },
      "",
      ...contenders,
      { kind: "passage", id: "t-leak", prompt: "t-haiku", contender: "t-one", text: "As test-model-one, I write haiku." },
    ]);
    expect(response.status).toBe(200);
    const body = await response.json<{ accepted: Record<string, number>; rejected: { line: number; reason: string }[] }>();
    expect(body.accepted).toEqual({ prompt: 1, contender: 2, passage: 0, vote: 0 });
    const reasons = Object.fromEntries(body.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4, 5, 6, 7, 11]);
    expect(reasons[2]).toMatch(/JSON/);
    expect(reasons[3]).toMatch(/unknown prompt/);
    expect(reasons[4]).toMatch(/unknown contender/);
    expect(reasons[7]).toMatch(/unknown contender "nobody"/);
    expect(reasons[11]).toMatch(/identity leak/);
    const snapshot = await env.CORPUS.getByName("main").snapshot();
    expect(snapshot.passages.some((p) => p.id === "t-leak")).toBe(false);
  });

  it("refuses without the right bearer token, and counts nothing", async () => {
    const version = await env.CORPUS.getByName("main").getVersion();
    expect((await importLines([prompt], {})).status).toBe(401);
    const wrong = await importLines([prompt], { authorization: "Bearer wrong" });
    expect(wrong.status).toBe(401);
    expect((await wrong.json<{ error: { code: string } }>()).error.code).toBe("unauthorized");
    expect(await env.CORPUS.getByName("main").getVersion()).toBe(version);
  });

  it("refuses a wrong content type and an oversized declared body", async () => {
    const client = new Client();
    const json = await client.json("/api/admin/import", { method: "POST", headers: { ...ADMIN, "content-type": "image/png" }, body: "x" });
    expect(json.status).toBe(415);
    const big = await client.json("/api/admin/import", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/x-ndjson", "content-length": String(200 * 1024 * 1024) },
      body: "{}",
    });
    expect(big.status).toBe(413);
  });
});

describe("GET /api/openapi.json", () => {
  it("documents every route with schemas generated from schema/", async () => {
    const { status, body } = await new Client().json("/api/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    for (const path of ["/api/health", "/api/duel", "/api/votes", "/api/leaderboard", "/api/me", "/api/admin/import", "/api/admin/refit", "/api/clusters", "/api/raters/{id}", "/api/predict", "/api/fits", "/api/fits/latest"]) {
      expect(body.paths[path], path).toBeTruthy();
    }
    const vote = body.paths["/api/votes"].post.requestBody.content["application/json"].schema;
    expect(vote.properties.choice.enum).toEqual(["a", "b", "tie", "both_bad"]);
  });
});
