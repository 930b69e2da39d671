// Types the test env and exports from the Worker's own bindings and main module.
import type { Env as WorkerEnv } from "../../worker/env.js";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
    interface GlobalProps {
      mainModule: typeof import("../../worker/index.js");
      durableNamespaces: "Rater" | "Corpus" | "Arena" | "Echo";
    }
  }
}
