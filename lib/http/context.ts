/** Types shared by the Hono app, its middleware and every route module. */
import type { Config } from "../../fresh.config.ts";
import type { Agent } from "../store/agents.ts";
import type { Assets } from "./assets.ts";
import type { JobRunner } from "../jobs.ts";
import type { Realtime } from "../realtime/realtime.ts";

/** Everything a request handler may need; built once per app instance in `createApp`. */
export interface AppDeps {
  kv: Deno.Kv;
  config: Config;
  assets: Assets;
  /** The KV queue runner; register handlers with `jobs.on(type, fn)` before `jobs.start()`. */
  jobs: JobRunner;
  /** The real-time hub, typing bus and presence of this instance (lib/realtime). */
  realtime: Realtime;
}

export interface AppEnv {
  Variables: {
    /** The signed-in staff member, set by `loadSession`. */
    agent: Agent | null;
    /** The per-request CSP nonce for inline scripts. */
    nonce: string;
  };
}
