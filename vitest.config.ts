// Three test projects, mirroring the source tree: `unit` runs the pure modules (worker/ratings,
// worker/corpus, worker/writes, schema) in plain Node; `workers` and `hardening` run the Worker and its Durable
// Objects inside workerd via @cloudflare/vitest-plugin, with rate limits and fast-vote flags off and on.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { createLogger } from "vite";
import { defineConfig } from "vitest/config";

// openskill ships source-map comments without the maps; Vite's warning about it is noise.
const logger = createLogger();
const noise = (message: string) => message.includes("source map") || message.includes(".js.map");
for (const level of ["warn", "warnOnce", "error"] as const) {
  const original = logger[level].bind(logger);
  logger[level] = (message, options) => {
    if (!noise(message) && !noise(String(options?.error ?? ""))) original(message, options);
  };
}

export default defineConfig({
  customLogger: logger,
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/worker/ratings/**/*.test.ts", "test/worker/corpus/**/*.test.ts", "test/schema/**/*.test.ts", "test/worker/writes/**/*.test.ts"],
          environment: "node",
        },
      },
      workersProject("workers", ["test/worker/{routes,objects}/**/*.test.ts"], { RATE_LIMITS: "off", FAST_VOTE_WPM: "off" }),
      // Rate limits and fast-vote flags on, as deployed: the integrity and abuse tests.
      workersProject("hardening", ["test/worker/http/**/*.test.ts"], { RATE_LIMITS: "on", FAST_VOTE_WPM: "1500" }),
    ],
  },
});

/** A project whose tests run inside workerd against the Worker of wrangler.toml, with these vars. */
function workersProject(name: string, include: string[], vars: Record<string, string>) {
  return {
    customLogger: logger,
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            SIGNING_SECRET: "test-signing-secret-0123456789",
            ADMIN_TOKEN: "test-admin-token",
            FIT_DEBOUNCE_MS: "60000",
            ...vars,
          },
        },
      }),
    ],
    test: { name, include, testTimeout: 30_000 },
  };
}
