/**
 * Pieces of bench:realtime: the chat load driver (one clock, in the client
 * process) and the two baselines it is compared with: raw KV commit + watch,
 * and a bare WebSocket relay without KV (./relay.ts).
 */
import {
  cpuSecondsOf,
  openSocket,
  percentiles,
  pool,
  rssOf,
  rssPartsOf,
  sleep,
  spawnServer,
} from "./common.ts";

export type Stats = ReturnType<typeof percentiles>;

/** Load shape shared by the Parley run and the relay baseline. */
export interface LoadShape {
  conversations: number;
  agents: number;
  intervalMs: number;
  /** The agent answers every `replyEvery`-th message of each visitor. */
  replyEvery: number;
}

// ---------------------------------------------------------------- KV baseline
/**
 * Raw KV commit → watch: one handle reads the head and commits it + 1 with a
 * check; a watcher (another handle on the same file, or the same handle)
 * waits to see it. A temp file of its own, so it never shares Parley's store.
 */
class CommitWatchProbe {
  private constructor(
    readonly dir: string,
    readonly writer: Deno.Kv,
    readonly watcher: Deno.Kv,
    readonly reader: ReadableStreamDefaultReader<Deno.KvEntryMaybe<unknown>[]>,
  ) {}

  static async open(sameHandle: boolean): Promise<CommitWatchProbe> {
    const dir = await Deno.makeTempDir();
    const writer = await Deno.openKv(`${dir}/kv`);
    const watcher = sameHandle ? writer : await Deno.openKv(`${dir}/kv`);
    const reader = watcher.watch([["head"]]).getReader();
    await reader.read(); // the current value
    return new CommitWatchProbe(dir, writer, watcher, reader);
  }

  /** One commit, timed until the watcher sees it (ms). */
  async sample(): Promise<number> {
    const t0 = performance.now();
    const head = await this.writer.get<number>(["head"]);
    const next = (head.value ?? 0) + 1;
    await this.writer.atomic().check(head).set(["head"], next).commit();
    for (;;) {
      const { value } = await this.reader.read();
      if (value?.[0].value === next) break;
    }
    return performance.now() - t0;
  }

  async close(): Promise<void> {
    await this.reader.cancel();
    this.writer.close();
    if (this.watcher !== this.writer) this.watcher.close();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/** Commit → watch latency, `count` samples 2 ms apart: another handle on the same file, and the committing handle. */
export async function kvCommitWatch(count: number): Promise<{ cross: Stats; same: Stats }> {
  const measure = async (sameHandle: boolean) => {
    const probe = await CommitWatchProbe.open(sameHandle);
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      samples.push(await probe.sample());
      await sleep(2);
    }
    await probe.close();
    return percentiles(samples);
  };
  return { cross: await measure(false), same: await measure(true) };
}

/**
 * The same commit → watch (other handle) probe, one sample every `everyMs`
 * while `running` is pending: the raw store's latency on this machine under
 * the benchmark's load, taken in the client process like the chat latencies.
 */
export async function kvCommitWatchWhile(running: Promise<unknown>, everyMs = 20): Promise<Stats> {
  const probe = await CommitWatchProbe.open(false);
  let done = false;
  running.finally(() => done = true);
  const samples: number[] = [];
  while (!done) {
    samples.push(await probe.sample());
    await sleep(everyMs);
  }
  await probe.close();
  return percentiles(samples);
}

// ------------------------------------------------------------- load driver
/** The load's clock and tallies; the transport wires its sockets to the two callbacks. */
export class Load {
  /** `prefix` keeps the tags (and clientIds) of several rounds on one server apart. */
  constructor(readonly shape: LoadShape, readonly prefix = "") {}

  v2a: number[] = [];
  a2v: number[] = [];
  sent = 0;
  delivered = 0;
  errors = 0;
  seconds = 0;
  /** Both directions' samples by a group the transport names (e.g. same or cross instance). */
  groups = new Map<string, number[]>();
  #sentAt = new Map<string, number>();

  #group(group: string | undefined, sample: number): void {
    if (group === undefined) return;
    const list = this.groups.get(group);
    if (list) list.push(sample);
    else this.groups.set(group, [sample]);
  }

  /** A visitor message reached its agent; true when the agent should answer it now. */
  visitorToAgent(tag: string, group?: string): boolean {
    const t = this.#sentAt.get(tag);
    if (t === undefined) return false;
    this.#sentAt.delete(tag);
    const sample = performance.now() - t;
    this.v2a.push(sample);
    this.#group(group, sample);
    this.delivered++;
    // Tags are `v<visitor>.<k>`: answer every REPLY_EVERY-th message of each visitor.
    if (Number(tag.split(".")[1]) % this.shape.replyEvery !== 0) return false;
    this.#sentAt.set(`r${tag}`, performance.now());
    this.sent++;
    return true;
  }

  /** An agent's answer reached the visitor. */
  agentToVisitor(tag: string, group?: string): void {
    const t = this.#sentAt.get(tag);
    if (t === undefined) return;
    this.#sentAt.delete(tag);
    const sample = performance.now() - t;
    this.a2v.push(sample);
    this.#group(group, sample);
    this.delivered++;
  }

  /**
   * Each of `visitors` sends every `shape.intervalMs` (starts spread over one
   * interval) for `seconds`; then 3 s for the last deliveries. Stops by itself.
   */
  async run(seconds: number, visitors: number, send: (i: number, tag: string) => void) {
    const start = performance.now();
    const end = start + seconds * 1000;
    const timers: ReturnType<typeof setTimeout>[] = [];
    for (let i = 0; i < visitors; i++) {
      let k = 0;
      const fire = () => {
        if (performance.now() >= end) return;
        const tag = `${this.prefix}v${i}.${k++}`;
        this.#sentAt.set(tag, performance.now());
        this.sent++;
        send(i, tag);
      };
      timers.push(setTimeout(() => {
        fire();
        timers.push(setInterval(fire, this.shape.intervalMs));
      }, (i / visitors) * this.shape.intervalMs));
    }
    await sleep(seconds * 1000);
    for (const t of timers) clearTimeout(t);
    this.seconds = (performance.now() - start) / 1000;
    await sleep(3000);
  }
}

// ------------------------------------------------------------- relay baseline
/** The same load through a bare WebSocket relay (no KV, no validation), with its RSS and CPU. */
export async function relayBaseline(
  shape: LoadShape,
  seconds: number,
): Promise<Load & { rssMax: number; cpu: number; parts: { anon: number; file: number } }> {
  const relay = await spawnServer("./relay.ts", {});
  try {
    const wsBase = relay.url.replace(/^http/, "ws");
    const agents = await pool(
      [...Array(shape.agents).keys()],
      50,
      (a) => openSocket(`${wsBase}/agent/${a}`),
    );
    const visitors = await pool(
      [...Array(shape.conversations).keys()],
      50,
      (i) => openSocket(`${wsBase}/visitor/${i}?agent=${i % shape.agents}`),
    );
    const load = new Load(shape);
    for (const ws of agents) {
      ws.onmessage = (e) => {
        const f = JSON.parse(e.data);
        if (load.visitorToAgent(f.text)) {
          ws.send(JSON.stringify({ conv: f.conv, text: `r${f.text}` }));
        }
      };
    }
    for (const ws of visitors) ws.onmessage = (e) => load.agentToVisitor(JSON.parse(e.data).text);
    const cpuStart = cpuSecondsOf(relay.pid);
    let rssMax = rssOf(relay.pid);
    const sampler = setInterval(() => rssMax = Math.max(rssMax, rssOf(relay.pid)), 1000);
    await load.run(seconds, shape.conversations, (i, tag) => {
      visitors[i].send(JSON.stringify({ text: tag }));
    });
    clearInterval(sampler);
    const cpu = (cpuSecondsOf(relay.pid) - cpuStart) / (load.seconds + 3);
    rssMax = Math.max(rssMax, rssOf(relay.pid));
    const parts = rssPartsOf(relay.pid);
    for (const ws of [...agents, ...visitors]) ws.close();
    return Object.assign(load, { rssMax, cpu, parts });
  } finally {
    await relay.stop();
  }
}
