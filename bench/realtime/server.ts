/**
 * The Parley server the real-time benchmarks load, in its own process (so the
 * clients' work does not run on the server's event loop and its RSS is its
 * own). Configured by the environment like main.ts; prints `READY <url>`.
 * A load test is not a visitor abusing the widget, so the per-visitor and
 * per-address widget quotas are lifted here (and only here).
 *
 * It also times what happens inside the server to each chat message (the
 * benchmark's messages carry a unique text): on SIGUSR2 it prints
 * `TIMINGS {...}` with p50/p99 (ms) since the previous SIGUSR2 of
 * - `commits`: every KV commit;
 * - `toCommit`: frame received → its message's commit starts (parsing,
 *   authorisation, the engine's reads, waiting for its turn);
 * - `commit`: that commit;
 * - `toSend`: commit done → the message frame handed to the other side's
 *   socket (the hub, the records, the subscriber's queue);
 * and `memory`: Deno.memoryUsage() (RSS, V8 heap, external) at that moment.
 *
 * With HEAP_SNAPSHOT_DIR set (in bench:realtime's environment), it also
 * writes V8 heap snapshots there: `idle.heapsnapshot` once ready, then
 * `round-N.heapsnapshot` at each SIGUSR2 before answering it (N = 0 right
 * before the first load round, i.e. after the setup; 1 after it). Read them
 * with `deno run -A bench/heap_summary.ts FILE` (what holds the memory).
 * With ALLOC_PROFILE_DIR set, it samples every allocation (garbage included:
 * V8's sampling heap profiler) from one SIGUSR2 to the next and writes
 * `setup.heapprofile` (from READY to the first SIGUSR2: the bench's setup) and
 * `round-N.heapprofile` (N = the round it covers); read them with
 * `deno run -A bench/alloc_summary.ts FILE` (what allocates, per message).
 * ALLOC_PROFILE_PROMOTED=1 leaves out what died young: what is left is what
 * V8 promoted to its old generation (whose growth is the RSS under load).
 */
import { loadConfig } from "../../fresh.config.ts";
import { WIDGET_LIMITS } from "../../lib/channels/webchat_limits.ts";
import { startServer } from "../../lib/server.ts";
import { routeTable } from "../../routes/mod.ts";
import { BucketPool } from "../../lib/realtime/limits.ts";
import { SocketSession } from "../../lib/realtime/socket.ts";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import { Session } from "node:inspector/promises";

const snapshotDir = Deno.env.get("HEAP_SNAPSHOT_DIR") ?? "";
let snapshots = 0;
/** A heap snapshot in HEAP_SNAPSHOT_DIR, when set (it runs a full GC first). */
const snapshot = (name: string) => {
  if (snapshotDir) writeHeapSnapshot(`${snapshotDir}/${name}.heapsnapshot`);
};

const samples = { commits: [] as number[], toCommit: [] as number[], commit: [] as number[] };
const toSend: number[] = [];
/** Per message text: frame received, commit started, commit done. */
const marks = new Map<string, { received: number; commitStart?: number; commitEnd?: number }>();
/** The message texts an atomic operation writes (records with text, seq and clientId). */
const textOf = new WeakMap<Deno.AtomicOperation, string[]>();
const noteText = (op: Deno.AtomicOperation, text: string) => {
  const list = textOf.get(op);
  if (list) list.push(text);
  else textOf.set(op, [text]);
};

const set = Deno.AtomicOperation.prototype.set;
Deno.AtomicOperation.prototype.set = function (this: Deno.AtomicOperation, key, value, options) {
  const v = value as { text?: unknown; seq?: unknown; clientId?: unknown } | null;
  if (typeof v?.text === "string" && typeof v.seq === "number" && v.clientId) {
    noteText(this, v.text);
  }
  return set.call(this, key, value, options);
};
// The engine hands its recorded writes over with `mutate` (lib/store/engine/op.ts).
const mutate = Deno.AtomicOperation.prototype.mutate;
Deno.AtomicOperation.prototype.mutate = function (this: Deno.AtomicOperation, ...mutations) {
  for (const m of mutations) {
    const v = (m.type === "set" ? m.value : null) as
      | { text?: unknown; seq?: unknown; clientId?: unknown }
      | null;
    if (typeof v?.text === "string" && typeof v.seq === "number" && v.clientId) {
      noteText(this, v.text);
    }
  }
  return mutate.apply(this, mutations);
};
const commit = Deno.AtomicOperation.prototype.commit;
Deno.AtomicOperation.prototype.commit = async function (this: Deno.AtomicOperation) {
  const t0 = performance.now();
  // A group commit writes several messages: each gets this commit's times.
  const marked = (textOf.get(this) ?? []).map((text) => marks.get(text)).filter((m) => m);
  for (const mark of marked) mark!.commitStart = t0;
  try {
    return await commit.call(this);
  } finally {
    const t1 = performance.now();
    samples.commits.push(t1 - t0);
    for (const mark of marked) mark!.commitEnd = t1;
  }
};
const onMessage = SocketSession.prototype.onMessage;
SocketSession.prototype.onMessage = function (this: SocketSession, raw: unknown) {
  if (typeof raw === "string" && raw.includes('"send"')) {
    try {
      const text = JSON.parse(raw).text;
      if (typeof text === "string") marks.set(text, { received: performance.now() });
    } catch { /* the server answers it */ }
  }
  return onMessage.call(this, raw);
};
const send = SocketSession.prototype.send;
SocketSession.prototype.send = function (this: SocketSession, frame) {
  if (frame.type === "message") {
    const text = String(frame.message.text);
    const mark = marks.get(text);
    if (mark?.commitStart !== undefined && mark.commitEnd !== undefined) {
      marks.delete(text);
      samples.toCommit.push(mark.commitStart - mark.received);
      samples.commit.push(mark.commitEnd - mark.commitStart);
      toSend.push(performance.now() - mark.commitEnd);
    }
  }
  return send.call(this, frame);
};
const profileDir = Deno.env.get("ALLOC_PROFILE_DIR") ?? "";
const profiler = profileDir ? new Session() : null;
/** The span being sampled: -2 none yet, -1 the setup (from READY), then each round. */
let profiled = -2;
/** Ends the current allocation sampling (writing its profile), then starts the next. */
async function nextAllocationProfile(): Promise<void> {
  if (!profiler) return;
  if (profiled === -2) {
    profiler.connect();
    await profiler.post("HeapProfiler.enable");
  } else {
    const { profile } = await profiler.post("HeapProfiler.stopSampling");
    await Deno.writeTextFile(
      `${profileDir}/${profiled < 0 ? "setup" : `round-${profiled}`}.heapprofile`,
      JSON.stringify(profile),
    );
  }
  profiled++;
  await profiler.post("HeapProfiler.startSampling", {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    // ALLOC_PROFILE_PROMOTED=1: only what outlived the young generation (promoted to the old one).
    includeObjectsCollectedByMinorGC: !Deno.env.get("ALLOC_PROFILE_PROMOTED"),
  });
}

/** The engine's commit counts at the previous SIGUSR2 (lost races = failed commits). */
let enginePrev = { commits: 0, failed: 0, busy: 0 };
Deno.addSignalListener("SIGUSR2", async () => {
  snapshot(`round-${snapshots++}`);
  await nextAllocationProfile();
  const now = { ...server.deps.engine.commits.stats };
  const engine = {
    commits: now.commits - enginePrev.commits,
    failed: now.failed - enginePrev.failed,
    busy: now.busy - enginePrev.busy,
  };
  enginePrev = now;
  const stats = (list: number[]) => {
    const sorted = list.toSorted((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
  };
  console.log(`TIMINGS ${
    JSON.stringify({
      commits: stats(samples.commits),
      toCommit: stats(samples.toCommit),
      commit: stats(samples.commit),
      toSend: stats(toSend),
      memory: Deno.memoryUsage(),
      // Where the V8 heap is: committed and used MiB per space (new = the young generation).
      spaces: Object.fromEntries(
        getHeapSpaceStatistics().map((sp) => [
          sp.space_name.replace(/_space$/, ""),
          [sp.space_size, sp.space_used_size].map((n) => Math.round(n / 1048576)),
        ]),
      ),
      engine,
    })
  }`);
  for (const list of [...Object.values(samples), toSend]) list.length = 0;
  marks.clear();
});

for (const bucket of Object.values(WIDGET_LIMITS) as { limit: number }[]) {
  bucket.limit = 1_000_000_000;
}
// MAX_GROUP=1 turns group commit off (one commit per message), for a before/after.
const maxGroup = Number(Deno.env.get("MAX_GROUP")) || undefined;
const server = await startServer(loadConfig(Deno.env.toObject()), routeTable, { maxGroup });
server.deps.realtime.visitorSends = new BucketPool(1_000_000, 1_000_000);
snapshot("idle");
await nextAllocationProfile();
console.log(`READY ${server.url}`);
const stop = async () => {
  await server.shutdown();
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);
