/**
 * Presence heartbeats ride on the staff connections: while a staff member has
 * at least one open stream or chat-pane socket on this instance, the engine's
 * heartbeat runs for them (at once on the first connection, then every
 * interval). When the last connection closes the heartbeats stop, and the
 * engine's grace period turns the agent Offline. One timer per instance,
 * however many connections.
 *
 * Several instances: a beat is a KV write, so beats from any instance count.
 * An agent whose event stream is on one instance and chat pane on another
 * stays Online while either is open (tests/realtime_processes_test.ts).
 *
 * The interval follows the routing setting `heartbeatGraceSeconds` (read each
 * round): at most {@link HEARTBEAT_MS}, and at least three beats per grace
 * period, so a short grace (10 s is allowed) never lets a connected agent
 * lapse between two beats.
 */

/** Longest heartbeat interval: well inside the engine's 60 s default grace period. */
export const HEARTBEAT_MS = 20_000;

/** The heartbeat interval for a grace period: three beats per grace, at most {@link HEARTBEAT_MS}. */
export function heartbeatIntervalMs(graceSeconds: number): number {
  return Math.min(HEARTBEAT_MS, Math.floor((graceSeconds * 1000) / 3));
}

/** Reference-counted presence heartbeats for the staff connected to this instance. */
export class Presence {
  #count = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #scheduling = false;
  #closed = false;

  constructor(
    readonly heartbeat: (agentId: string) => Promise<void>,
    /** The wait before the next round of beats, in ms (asked before each round). */
    readonly intervalMs: () => number | Promise<number> = () => HEARTBEAT_MS,
  ) {}

  /** A staff connection opened; returns the function to call when it closes. */
  connect(agentId: string): () => void {
    const n = this.#count.get(agentId) ?? 0;
    this.#count.set(agentId, n + 1);
    if (n === 0) this.#beat(agentId);
    this.#schedule();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.#count.get(agentId) ?? 1) - 1;
      if (left > 0) this.#count.set(agentId, left);
      else this.#count.delete(agentId);
      if (this.#count.size === 0 && this.#timer !== null) {
        clearTimeout(this.#timer);
        this.#timer = null;
      }
    };
  }

  /** Staff members with an open connection on this instance. */
  get connected(): string[] {
    return [...this.#count.keys()];
  }

  /** Arms the next round (once): asks for the interval, then waits it. */
  #schedule(): void {
    if (this.#closed || this.#timer !== null || this.#scheduling || this.#count.size === 0) return;
    this.#scheduling = true;
    Promise.resolve().then(() => this.intervalMs()).catch((err) => {
      console.error("realtime: heartbeat interval unknown, using the longest:", err);
      return HEARTBEAT_MS;
    }).then((ms) => {
      this.#scheduling = false;
      if (this.#closed || this.#timer !== null || this.#count.size === 0) return;
      this.#timer = setTimeout(() => {
        this.#timer = null;
        for (const id of this.#count.keys()) this.#beat(id);
        this.#schedule();
      }, ms);
    });
  }

  #beat(agentId: string): void {
    this.heartbeat(agentId).catch((err) => console.error("realtime: heartbeat failed:", err));
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#count.clear();
  }
}
