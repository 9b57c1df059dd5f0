/**
 * The Parley server the real-time benchmarks load, in its own process (so the
 * clients' work does not run on the server's event loop and its RSS is its
 * own). Configured by the environment like main.ts; prints `READY <url>`.
 * A load test is not a visitor abusing the widget, so the per-visitor and
 * per-address widget quotas are lifted here (and only here).
 */
import { loadConfig } from "../../fresh.config.ts";
import { WIDGET_LIMITS } from "../../lib/channels/webchat_limits.ts";
import { startServer } from "../../lib/server.ts";
import { BucketPool } from "../../lib/realtime/limits.ts";

for (const bucket of Object.values(WIDGET_LIMITS) as { limit: number }[]) {
  bucket.limit = 1_000_000_000;
}
const server = await startServer(loadConfig(Deno.env.toObject()));
server.deps.realtime.visitorSends = new BucketPool(1_000_000, 1_000_000);
console.log(`READY ${server.url}`);
const stop = async () => {
  await server.shutdown();
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);
