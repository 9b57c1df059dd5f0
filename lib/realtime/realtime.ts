/**
 * The real-time service of one app instance, as `deps.realtime`: the change
 * hub, the typing bus and the presence keeper, started and stopped together.
 *
 * @example
 * const realtime = new Realtime(engine, { heartbeat: (agentId) => heartbeatAgent(engine, agentId) });
 * await realtime.start();
 * // ... on shutdown
 * await realtime.close(); // closes sockets with 1012, waits for in-flight commits
 */
import { Hub } from "./hub.ts";
import { Instances } from "./instances.ts";
import { QueueWatch } from "./queue_watch.ts";
import { BucketPool, VISITOR_RECHECK_MS } from "./limits.ts";
import { heartbeatIntervalMs, Presence } from "./presence.ts";
import { RecordCache } from "./records.ts";
import { TypingBus } from "./typing.ts";
import type { Engine } from "../store/engine/engine.ts";
import { heartbeatAgent } from "../store/engine/presence.ts";
import { getSettings } from "../store/engine/records.ts";

/** Options of {@link Realtime}; the defaults suit the app. */
export interface RealtimeOptions {
  /** Records that a staff member's workspace is open (default: the engine's `heartbeatAgent`). */
  heartbeat?: (agentId: string) => Promise<void>;
  /**
   * How often the heartbeat runs for each connected staff member (default:
   * from the grace setting, see ./presence.ts).
   */
  heartbeatMs?: number;
  /**
   * Also poll the change head and the typing keys this often, in ms, while
   * another instance is registered on the store (0, the default: KV watch
   * only, no registration). The server sets it from `KV_POLL_MS`: a local KV
   * file's watch does not hear other processes (./doorbell.ts, ./instances.ts).
   */
  pollMs?: number;
}

/** The real-time service of one app instance (`deps.realtime`). */
export class Realtime {
  readonly hub: Hub;
  /** Conversations and messages of the latest changes, read once per batch (see records.ts). */
  readonly records: RecordCache;
  readonly typing: TypingBus;
  readonly presence: Presence;
  /** Waiting visitors' place and estimated wait, live (./queue_watch.ts). */
  readonly queue: QueueWatch;
  /** The other instances on this store, when polling is on (else null: watch hears all). */
  readonly instances: Instances | null;
  /**
   * Messages per visitor over the visitor WebSocket, on this instance: a burst
   * of 10, then one every 2 s (the widget's HTTP quota is 30 a minute). Kept in
   * memory rather than in KV: a KV quota costs a commit per message, which
   * doubled the visitor→agent latency under load (bench:realtime); the price
   * is that a visitor with sockets on several instances gets each one's
   * allowance. The benchmark replaces it with a larger one.
   */
  visitorSends = new BucketPool(10, 0.5);
  /** How often visitor sockets re-check their site and origin (tests shorten it). */
  visitorRecheckMs = VISITOR_RECHECK_MS;

  readonly kv: Deno.Kv;

  constructor(readonly engine: Engine, options: RealtimeOptions = {}) {
    const kv = this.kv = engine.kv;
    this.records = new RecordCache(kv, (entries) => engine.entries.rememberRead(entries));
    const pollMs = options.pollMs ?? 0;
    this.instances = pollMs > 0 ? new Instances(kv) : null;
    const instances = this.instances;
    const poll = { pollMs, pollWhen: () => instances?.othersSeen ?? false };
    this.hub = new Hub(
      kv,
      engine.changes,
      (changes, written) => this.records.prepare(changes, written),
      poll,
    );
    this.typing = new TypingBus(kv, poll);
    this.queue = new QueueWatch(kv, this.hub, this.records);
    const heartbeat = options.heartbeat ?? (async (agentId: string) => {
      await heartbeatAgent(engine, agentId);
    });
    const fixed = options.heartbeatMs;
    this.presence = new Presence(
      heartbeat,
      fixed !== undefined
        ? () => fixed
        : async () => heartbeatIntervalMs((await getSettings(kv)).heartbeatGraceSeconds),
    );
  }

  async start(): Promise<void> {
    await this.instances?.start();
    await this.hub.start();
    this.queue.start();
    this.typing.start();
  }

  /** Graceful shutdown: close connections (1012), finish commits, stop watching. */
  async close(): Promise<void> {
    this.presence.close();
    this.queue.close();
    await this.hub.close();
    await this.typing.close();
    await this.instances?.close();
  }
}
