// Open data: the vote export in every format (parsed with real parsers), anonymised, cursor-paginated
// without gaps or repeats while votes keep arriving; fit exports; CORS and ETag behaviour.
import { env } from "cloudflare:workers";
import { parse as parseCsv } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, Client, flushRater, importLines, refit } from "../client.js";

const trickyPrompt = 'Write a "quoted" line, with commas,\nand a second line.';

async function voteTimes(client: Client, n: number, genre?: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const duel = await client.duel(genre);
    const { body } = await client.vote({ token: duel.token, choice: i % 4 === 3 ? "both_bad" : i % 2 ? "a" : "b", reasons: ["voice"] });
    ids.push(body.voteId);
  }
  await flushRater(client.rater);
  return ids;
}

const raters: Client[] = [];

beforeAll(async () => {
  await importLines([
    { kind: "prompt", id: "csv-prompt", text: trickyPrompt, genre: "csvtest" },
    { kind: "passage", id: "csv-p1", prompt: "csv-prompt", contender: "marble-large/terse-stylist", text: "One line." },
    { kind: "passage", id: "csv-p2", prompt: "csv-prompt", contender: "ember-opinion/plain-teacher", text: "Another line." },
  ]);
  for (let r = 0; r < 3; r++) {
    const client = new Client();
    await voteTimes(client, 6);
    raters.push(client);
  }
  await voteTimes(raters[0]!, 1, "csvtest");
  await refit();
});

describe("GET /api/votes", () => {
  it("exports every vote once, with rater ids replaced by stable hashes", async () => {
    const { status, body } = await new Client().json("/api/votes?limit=100");
    expect(status).toBe(200);
    expect(body.next).toBeNull();
    expect(body.votes).toHaveLength(19);
    const text = JSON.stringify(body);
    for (const r of raters) expect(text).not.toContain(r.rater);
    const byRater = new Map<string, number>();
    for (const v of body.votes) byRater.set(v.rater, (byRater.get(v.rater) ?? 0) + 1);
    expect([...byRater.values()].sort()).toEqual([6, 6, 7]);
    const again = await new Client().json("/api/votes?limit=100");
    expect(again.body.votes.map((v: { rater: string }) => v.rater)).toEqual(body.votes.map((v: { rater: string }) => v.rater));
    expect(body.votes[0]).toMatchObject({ id: expect.stringMatching(/^v-/), winner: expect.any(String), source: "arena", reasons: ["voice"] });
  });

  it("pages with a cursor: no gap and no repeat while new votes arrive between pages", async () => {
    const seen: string[] = [];
    let url: string | null = "/api/votes?limit=4";
    let extra = 0;
    while (url) {
      const { body }: { body: { votes: { id: string }[]; next: string | null } } = await new Client().json(url);
      seen.push(...body.votes.map((v) => v.id));
      // Someone votes while we page through.
      if (extra < 3) {
        await voteTimes(new Client(), 2);
        extra++;
      }
      url = body.next ? `/api/votes?limit=4&cursor=${encodeURIComponent(body.next)}` : null;
    }
    const all = (await new Client().json("/api/votes?limit=1000")).body.votes.map((v: { id: string }) => v.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(all);
    expect(all.length).toBe(19 + 6);
  });

  it("streams JSON lines and CSV that real parsers read, quotes and line breaks included", async () => {
    const client = new Client();
    const jsonl = await client.fetch("/api/votes?format=jsonl&limit=1000");
    expect(jsonl.headers.get("content-type")).toMatch(/ndjson/);
    const rows = (await jsonl.text()).trim().split("\n").map((l) => JSON.parse(l));
    const csv = await client.fetch("/api/votes?format=csv&limit=1000");
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const records = parseCsv(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(rows.length);
    const tricky = records.find((r) => r.prompt === "csv-prompt")!;
    expect(tricky.prompt_text).toBe(trickyPrompt);
    expect(tricky.genre).toBe("csvtest");
    records.forEach((r, i) => {
      expect(r.id).toBe(rows[i].id);
      expect(r.rater).toBe(rows[i].rater);
      expect(r.winner).toBe(rows[i].winner);
    });
  });

  it("speaks LMArena's battle columns with format=arena", async () => {
    const response = await new Client().fetch("/api/votes?format=arena&limit=1000");
    const battles = (await response.json()) as Record<string, unknown>[];
    expect(battles.length).toBeGreaterThan(0);
    const b = battles[0]!;
    for (const col of ["model_a", "model_b", "winner", "judge", "tstamp", "persona_a", "persona_b", "prompt_id", "read_ms", "cluster"]) expect(b).toHaveProperty(col);
    expect(new Set(battles.map((x) => x.winner))).toEqual(new Set(["model_a", "model_b", "tie (bothbad)"]));
    expect(typeof b.tstamp).toBe("number");
  });

  it("gives a Link to the next page and a resume cursor on the last", async () => {
    const first = await new Client().fetch("/api/votes?format=jsonl&limit=5");
    const link = first.headers.get("link")!;
    expect(link).toMatch(/<http:\/\/palate\.test\/api\/votes\?format=jsonl&limit=5&cursor=[^>]+>; rel="next"/);
    const last = await new Client().fetch("/api/votes?format=jsonl&limit=5000");
    expect(last.headers.get("link")).toBeNull();
    const resume = last.headers.get("x-resume-cursor")!;
    const after = await new Client().json(`/api/votes?cursor=${encodeURIComponent(resume)}`);
    expect(after.body.votes).toEqual([]);
  });

  it("filters by time and refuses bad queries with 4xx", async () => {
    const future = await new Client().json("/api/votes?since=2999-01-01T00:00:00Z");
    expect(future.body.votes).toEqual([]);
    const client = new Client();
    expect((await client.json("/api/votes?cursor=bogus")).body.error.code).toBe("bad_cursor");
    expect((await client.json("/api/votes?limit=0")).status).toBe(400);
    expect((await client.json("/api/votes?limit=99999")).status).toBe(400);
    expect((await client.json("/api/votes?format=xml")).status).toBe(400);
    expect((await client.json("/api/votes?since=yesterday")).status).toBe(400);
  });
});

describe("GET /api/fits", () => {
  it("serves the latest fit whole, and earlier fits for plotting", async () => {
    const latest = await new Client().json("/api/fits/latest");
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ id: expect.any(Number), global: { rows: expect.any(Array) }, taste: { k: expect.any(Number) }, genres: expect.any(Object) });
    await refit();
    const list = await new Client().json("/api/fits?limit=1");
    expect(list.body.fits).toHaveLength(1);
    expect(list.body.fits[0].id).toBeGreaterThan(latest.body.id);
    const older = await new Client().json(`/api/fits?before=${list.body.next}`);
    expect(older.body.fits.map((f: { id: number }) => f.id)).toContain(latest.body.id);
    expect(older.body.fits[0].rows[0]).toMatchObject({ contender: expect.any(String), rating: expect.any(Number) });
  });
});

describe("HTTP hygiene", () => {
  it("answers a repeated fit read with 304 Not Modified", async () => {
    const client = new Client();
    for (const path of ["/api/leaderboard?control=length", "/api/clusters", "/api/fits/latest", "/api/fits", "/api/leaderboard?genre=poetry"]) {
      const first = await client.fetch(path);
      const etag = first.headers.get("etag");
      expect(etag, path).toBeTruthy();
      expect(first.headers.get("cache-control")).toMatch(/max-age/);
      const again = await client.fetch(path, { headers: { "if-none-match": etag! } });
      expect(again.status, path).toBe(304);
    }
  });

  it("opens read routes to other origins, but not voting, personal or admin routes", async () => {
    const client = new Client();
    const read = await client.fetch("/api/leaderboard", { headers: { origin: "https://notebook.example" } });
    expect(read.headers.get("access-control-allow-origin")).toBe("*");
    const preflight = await client.fetch("/api/votes", { method: "OPTIONS", headers: { origin: "https://x.example", "access-control-request-method": "GET" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).not.toMatch(/POST/);
    for (const [path, init] of [
      ["/api/admin/refit", { method: "POST", headers: { ...ADMIN, origin: "https://x.example" } }],
      ["/api/me", { headers: { origin: "https://x.example" } }],
      ["/api/duel", { headers: { origin: "https://x.example" } }],
    ] as const) {
      const response = await client.fetch(path, init);
      expect(response.headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });

  it("serves the length-controlled board with the estimated effect and the plain ranks", async () => {
    const { status, body } = await new Client().json("/api/leaderboard?control=length");
    expect(status).toBe(200);
    expect(body.control).toBe("length");
    expect(body.lengthEffect).toMatchObject({ coefficient: expect.any(Number), se: expect.any(Number), doublingPoints: expect.any(Number) });
    expect(body.lengthEffect.votes).toBeGreaterThan(0);
    expect(body.rows.every((r: { plainRank?: number }) => typeof r.plainRank === "number")).toBe(true);
    const clusters = await new Client().json("/api/clusters");
    const cluster = await new Client().json(`/api/leaderboard?control=length&cluster=${clusters.body.clusters[0].id}`);
    expect(cluster.status).toBe(200);
    expect(cluster.body.lengthEffect).not.toBeNull();
    expect(env.ARENA).toBeTruthy();
  });
});
