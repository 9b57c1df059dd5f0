/**
 * The Parley server the real-time benchmarks load, in its own process (so the
 * clients' work does not run on the server's event loop and its RSS is its
 * own). Configured by the environment like main.ts; prints `READY <url>`.
 * A load test is not a visitor abusing the widget, so the per-visitor and
 * per-address widget quotas are lifted here (and only here).
 *
 * It also times every KV commit: on SIGUSR2 it prints `COMMITS {n, p50, p99,
 * max}` (ms) for the commits since the previous SIGUSR2, so the benchmark can
 * show how much of the delivery latency is the store's.
 */
import { loadConfig } from "../../fresh.config.ts";
import { WIDGET_LIMITS } from "../../lib/channels/webchat_limits.ts";
import { startServer } from "../../lib/server.ts";
import { BucketPool } from "../../lib/realtime/limits.ts";

let commits: number[] = [];
const commit = Deno.AtomicOperation.prototype.commit;
Deno.AtomicOperation.prototype.commit = async function (this: Deno.AtomicOperation) {
  const t0 = performance.now();
  try {
    return await commit.call(this);
  } finally {
    commits.push(performance.now() - t0);
  }
};
Deno.addSignalListener("SIGUSR2", () => {
  const sorted = commits.toSorted((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  console.log(
    `COMMITS ${JSON.stringify({ n: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) })}`,
  );
  commits = [];
});

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
