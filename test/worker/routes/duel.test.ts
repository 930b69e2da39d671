import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Client } from "../client.js";

describe("GET /api/duel", () => {
  it("sets a signed rater cookie on first contact and keeps it", async () => {
    const client = new Client();
    await client.duel();
    const first = client.cookie;
    expect(first).toMatch(/^palate_rater=/);
    await client.duel();
    expect(client.cookie).toBe(first);
  });

  it("serves one prompt, two contenders, and passages the rater has not seen", async () => {
    const client = new Client();
    const { snapshot } = { snapshot: await env.CORPUS.getByName("main").snapshot() };
    const passages = new Map(snapshot.passages.map((p) => [p.id, p]));
    const seen = new Set<string>();
    const perPrompt = new Map<string, number>();
    for (const p of snapshot.passages) perPrompt.set(p.prompt, (perPrompt.get(p.prompt) ?? 0) + 1);
    const duels = [...perPrompt.values()].reduce((s, n) => s + Math.floor(n / 2), 0);
    for (let i = 0; i < duels; i++) {
      const duel = await client.duel();
      const a = passages.get(duel.a.passageId)!;
      const b = passages.get(duel.b.passageId)!;
      expect(a.prompt).toBe(duel.prompt.id);
      expect(b.prompt).toBe(duel.prompt.id);
      expect(a.contender).not.toBe(b.contender);
      expect(a.text).toBe(duel.a.text);
      expect(seen.has(a.id) || seen.has(b.id)).toBe(false);
      expect(duel.repeat).toBe(false);
      seen.add(a.id);
      seen.add(b.id);
    }
    // Everything readable has been read: the next duel is a marked repeat.
    expect((await client.duel()).repeat).toBe(true);
  });

  it("hides who wrote each passage", async () => {
    const duel = await new Client().duel();
    const text = JSON.stringify(duel);
    const snapshot = await env.CORPUS.getByName("main").snapshot();
    for (const c of snapshot.contenders) {
      expect(text).not.toContain(c.id);
      expect(text).not.toContain(c.model);
    }
  });

  it("randomises sides: a contender appears as A and as B", async () => {
    const client = new Client();
    const snapshot = await env.CORPUS.getByName("main").snapshot();
    const contenderOf = new Map(snapshot.passages.map((p) => [p.id, p.contender]));
    const sides = new Map<string, Set<string>>();
    for (let i = 0; i < 40; i++) {
      const duel = await client.duel();
      for (const [side, id] of [["a", duel.a.passageId], ["b", duel.b.passageId]] as const) {
        const c = contenderOf.get(id)!;
        if (!sides.has(c)) sides.set(c, new Set());
        sides.get(c)!.add(side);
      }
    }
    expect([...sides.values()].some((s) => s.size === 2)).toBe(true);
  });

  it("keeps to the requested genre", async () => {
    const client = new Client();
    for (let i = 0; i < 5; i++) expect((await client.duel("poetry")).prompt.genre).toBe("poetry");
  });

  it("refuses an unknown or malformed genre with a 4xx JSON error", async () => {
    const client = new Client();
    const unknown = await client.json("/api/duel?genre=opera");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("unknown_genre");
    const malformed = await client.json("/api/duel?genre=%3Cscript%3E");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_query");
  });

  it("treats a tampered cookie as a new rater", async () => {
    const client = new Client();
    await client.duel();
    const original = client.rater;
    client.cookie = client.cookie!.replace(/palate_rater=r-./, (m) => m.slice(0, -1) + (m.endsWith("A") ? "B" : "A"));
    await client.duel();
    expect(client.rater).not.toBe(original);
  });
});
