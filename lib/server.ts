/**
 * Starts a Parley server for a configuration and a route table (routes/mod.ts):
 * opens KV, builds assets when needed, bootstraps the first admin, and serves.
 * Used by `main.ts` and by the tests (which pass `:memory:` KV and port 0).
 */
import type { Config } from "../fresh.config.ts";
import { bootstrapAdminFromEnv, ensureSetupCode } from "./auth/setup.ts";
import { dropUntrustedForwarding } from "./http/forwarded.ts";
import { createApp, type RouteTable } from "./http/app.ts";
import { loadAssets } from "./http/assets.ts";
import type { AppDeps } from "./app_deps.ts";
import { openKv } from "./store/open_kv.ts";
import { JobRunner } from "./jobs.ts";
import { Realtime } from "./realtime/realtime.ts";
import { WebhookDispatcher } from "./webhooks/dispatch.ts";
import { installSqliteBusyRetry } from "./store/sqlite_busy.ts";
import { upgradeStatusIndex } from "./store/engine/status_index.ts";
import { moveWidgetPendingDetails } from "./store/engine/held_details.ts";
import { backfillMetrics } from "./store/engine/metrics_backfill.ts";
import { backfillSearch } from "./store/engine/search_backfill.ts";
import { Engine } from "./store/engine/engine.ts";
import { prepareChangeLog } from "./store/change_shards.ts";

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  /** The one-time setup code, when no account exists yet. */
  setupCode: string | null;
  /** Stops accepting, closes live connections, and closes KV (unless it was passed in). */
  shutdown(): Promise<void>;
}

export async function startServer(
  config: Config,
  routes: RouteTable,
  options: {
    kv?: Deno.Kv;
    log?: (line: string) => void;
    hostname?: string;
    /** Engine attempts committed together at most (benchmarks compare 1: no grouping). */
    maxGroup?: number;
  } = {},
): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  installSqliteBusyRetry(); // several handles on one local KV file: see lib/store/sqlite_busy.ts
  const kv = options.kv ?? await openKv(config.kvPath);
  const assets = await loadAssets();
  if (config.adminEmail && config.adminPassword) {
    const admin = await bootstrapAdminFromEnv(
      kv,
      config.adminEmail,
      config.adminPassword,
      config.passwordIterations,
    );
    if (admin) log(`Created the admin account ${admin.email} from ADMIN_EMAIL.`);
  }
  // The engine object: what this process keeps in memory for the store (lib/store/engine/engine.ts).
  const engine = new Engine(kv, { maxGroup: options.maxGroup });
  const jobs = new JobRunner(kv);
  const deps: AppDeps = {
    kv,
    engine,
    config,
    assets,
    jobs,
    realtime: new Realtime(engine, { pollMs: config.kvPollMs }),
    webhooks: new WebhookDispatcher(kv, jobs, config.webhooks),
  };
  // Before anything reads or appends changes: an older store's single change log becomes shard 0.
  const log0 = await prepareChangeLog(kv);
  if (log0.moved !== null) {
    log(
      `Moved the change log to ${log0.layout.shards} shards (${log0.moved} recent entries kept).`,
    );
  }
  const moved = await upgradeStatusIndex(kv);
  if (moved) log(`Moved ${moved} entries of the conversation status index to its new order.`);
  const held = await moveWidgetPendingDetails(kv);
  if (held) log(`Moved the held details of ${held} web visitors to their new key.`);
  const counted = await backfillMetrics(kv);
  if (counted) log(`Counted ${counted} stored conversations into the metrics.`);
  const indexed = await backfillSearch(kv);
  if (indexed) log(`Indexed ${indexed} stored conversations for search.`);
  await deps.realtime.start();
  deps.webhooks.start(deps.realtime.hub);
  const app = createApp(deps, routes);
  // Job handlers are registered by the modules that own them (inside createApp); then listen.
  deps.jobs.start();
  const hostname = options.hostname ?? "127.0.0.1";
  const trusted = config.trustedProxy;
  const serving = new Serving((req, info) =>
    app.fetch(dropUntrustedForwarding(req, info, trusted), info)
  );
  const server = Deno.serve(
    { port: config.port, hostname, onListen: () => {}, signal: serving.signal },
    serving.handler,
  );
  const port = server.addr.port;
  const url = `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`;
  log(`Parley is listening on ${url}`);
  const setupCode = await ensureSetupCode(kv);
  if (setupCode) {
    log(`No account yet. Open ${url}/setup and enter this one-time setup code: ${setupCode}`);
  } else {
    log(`Sign in at ${url}/login`);
  }
  return {
    url,
    port,
    deps,
    setupCode,
    async shutdown() {
      // First tell live sockets to reconnect (1012) and let their commits finish: Deno's own
      // shutdown would cut them with 1001. New sockets and streams are refused meanwhile.
      // Then stop accepting and let in-flight HTTP requests finish.
      await deps.realtime.close();
      await deps.webhooks.close();
      await serving.stop(server);
      await deps.jobs.stop();
      if (!options.kv) kv.close();
    },
  };
}

/** How long in-flight HTTP requests may take to finish once shutdown starts. */
export const SHUTDOWN_GRACE_MS = 5_000;

type Handler = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

/**
 * Graceful stop for Deno.serve that always ends. Deno's own `shutdown()` can
 * wait forever on a connection the peer already closed (seen in the browser
 * tests: a half-closed socket in CLOSE-WAIT), and aborting after it has begun
 * throws inside Deno. So Parley counts its in-flight requests itself: on stop
 * it refuses new ones (503, retry), waits for the running ones within a grace
 * period, then closes the server and every connection through the abort signal.
 */
export class Serving {
  #abort = new AbortController();
  #pending = new Set<Promise<Response>>();
  #accepting = true;

  constructor(private readonly app: Handler) {}

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  handler = (req: Request, info: Deno.ServeHandlerInfo): Response | Promise<Response> => {
    if (!this.#accepting) {
      return Response.json(
        {
          error: {
            code: "restarting",
            message: "The server is restarting; try again in a moment.",
          },
        },
        { status: 503, headers: { "retry-after": "1", connection: "close" } },
      );
    }
    const answer = Promise.resolve(this.app(req, info));
    this.#pending.add(answer);
    answer.finally(() => this.#pending.delete(answer)).catch(() => {});
    return answer;
  };

  async stop(server: Deno.HttpServer, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    this.#accepting = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) =>
      timer = setTimeout(() => resolve("timeout"), graceMs)
    );
    const outcome = await Promise.race([Promise.allSettled([...this.#pending]), timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      console.warn(
        `shutdown: ${this.#pending.size} request(s) still running after ${graceMs} ms; closing`,
      );
    }
    // Let the answers just produced leave the socket before every connection is closed.
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.#abort.abort();
    await server.finished;
  }
}
