/**
 * The real-time service of one app instance, as `deps.realtime`: the change
 * hub, the typing bus and the presence keeper, started and stopped together.
 *
 * @example
 * const realtime = new Realtime(kv, { heartbeat: (agentId) => heartbeatAgent(kv, agentId) });
 * await realtime.start();
 * // ... on shutdown
 * await realtime.close(); // closes sockets with 1012, waits for in-flight commits
 */
import { Hub } from "./hub.ts";
import { Presence } from "./presence.ts";
import { TypingBus } from "./typing.ts";

export interface RealtimeOptions {
  /** Records that a staff member's workspace is open (the engine's presence heartbeat). */
  heartbeat?: (agentId: string) => Promise<void>;
  /** How often the heartbeat runs for each connected staff member. */
  heartbeatMs?: number;
}

export class Realtime {
  readonly hub: Hub;
  readonly typing: TypingBus;
  readonly presence: Presence;

  constructor(readonly kv: Deno.Kv, options: RealtimeOptions = {}) {
    this.hub = new Hub(kv);
    this.typing = new TypingBus(kv);
    this.presence = new Presence(options.heartbeat ?? (async () => {}), options.heartbeatMs);
  }

  async start(): Promise<void> {
    await this.hub.start();
    this.typing.start();
  }

  /** Graceful shutdown: close connections (1012), finish commits, stop watching. */
  async close(): Promise<void> {
    this.presence.close();
    await this.hub.close();
    await this.typing.close();
  }
}
