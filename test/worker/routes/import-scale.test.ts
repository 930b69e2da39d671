// A large vote import: 200,000 vote lines in one streamed request, all counted, none twice.
import { env, exports } from "cloudflare:workers";
import { expect, it } from "vitest";
import { ADMIN, importLines } from "../client.js";

const LINES = 200_000;

it("imports 200,000 vote lines from one request stream", { timeout: 120_000 }, async () => {
  const contenders = Array.from({ length: 20 }, (_, i) => ({ kind: "contender", id: `big-${i}`, model: `m${i % 4}`, persona: `p${i}` }));
  expect((await importLines(contenders)).status).toBe(200);
  const encoder = new TextEncoder();
  let sent = 0;
  // Generated as it is read, so neither side ever holds the whole body.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= LINES) return controller.close();
      let chunk = "";
      for (let i = 0; i < 2000 && sent < LINES; i++, sent++) {
        const a = sent % 20;
        const b = (a + 1 + (sent % 7)) % 20;
        chunk += `{"kind":"vote","rater":"big-rater-${sent % 5000}","a":"big-${a}","b":"big-${b}","winner":"${sent % 3 ? "a" : "b"}","at":${1_700_000_000_000 + sent}}\n`;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
  const response = await exports.default.fetch(
    new Request("http://palate.test/api/admin/import", { method: "POST", headers: { ...ADMIN, "content-type": "application/x-ndjson" }, body, duplex: "half" } as RequestInit),
  );
  expect(response.status).toBe(200);
  const result = await response.json<{ accepted: { vote: number }; rejectedCount: number }>();
  expect(result).toMatchObject({ accepted: { vote: LINES }, rejectedCount: 0 });
  expect(await env.ARENA.getByName("global").voteCount()).toBe(LINES);
});
