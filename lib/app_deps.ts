/**
 * What a request handler may use, built once at start by `startServer` and handed to the app
 * factory and every route module. Its own module (types only) so that no folder has to import
 * lib/http to learn it; so the asset URLs' shape (built by lib/http/assets.ts) is declared here.
 */
import type { Config } from "../fresh.config.ts";
import type { JobRunner } from "./jobs.ts";
import type { Realtime } from "./realtime/realtime.ts";
import type { Engine } from "./store/engine/engine.ts";
import type { WebhookDispatcher } from "./webhooks/dispatch.ts";

/** Everything a request handler may need; built once per app instance in `startServer`. */
export interface AppDeps {
  kv: Deno.Kv;
  /** The engine object of `kv`: what this process keeps in memory for it (lib/store/engine). */
  engine: Engine;
  config: Config;
  assets: Assets;
  /** The KV queue runner; register handlers with `jobs.on(type, fn)` before `jobs.start()`. */
  jobs: JobRunner;
  /** The real-time hub, typing bus and presence of this instance (lib/realtime). */
  realtime: Realtime;
  /** Outgoing webhooks: follows the change log, delivers from the KV queue (lib/webhooks). */
  webhooks: WebhookDispatcher;
}

/** URLs of the built browser assets (content-hashed, under `static/build/`). */
export interface Assets {
  /** URL of the islands bundle, e.g. `/static/build/islands.3f2a….js`. */
  islandsJs: string;
  /** URL of the stylesheet. */
  css: string;
  /** URL of the visitor widget script, when built. */
  widgetJs?: string;
  /** URL of the widget's on-demand module (transcript, pre-chat form), when built. */
  widgetMoreJs?: string;
}
