/**
 * Presence heartbeats ride on the staff connections: while a staff member has
 * at least one open stream or chat-pane socket on this instance, the engine's
 * heartbeat runs for them every `intervalMs` (and at once on the first
 * connection). When the last connection closes the heartbeats stop, and the
 * engine's grace period turns the agent Offline. One timer per instance,
 * however many connections.
 */

/** Default heartbeat interval: well inside the engine's 60 s default grace period. */
export const HEARTBEAT_MS = 20_000;

/** Reference-counted presence heartbeats for the staff connected to this instance. */
export class Presence {
  #count = new Map<string, number>();
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly heartbeat: (agentId: string) => Promise<void>,
    readonly intervalMs = HEARTBEAT_MS,
  ) {}

  /** A staff connection opened; returns the function to call when it closes. */
  connect(agentId: string): () => void {
    const n = this.#count.get(agentId) ?? 0;
    this.#count.set(agentId, n + 1);
    if (n === 0) this.#beat(agentId);
    this.#timer ??= setInterval(() => {
      for (const id of this.#count.keys()) this.#beat(id);
    }, this.intervalMs);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.#count.get(agentId) ?? 1) - 1;
      if (left > 0) this.#count.set(agentId, left);
      else this.#count.delete(agentId);
      if (this.#count.size === 0 && this.#timer !== null) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  /** Staff members with an open connection on this instance. */
  get connected(): string[] {
    return [...this.#count.keys()];
  }

  #beat(agentId: string): void {
    this.heartbeat(agentId).catch((err) => console.error("realtime: heartbeat failed:", err));
  }

  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#count.clear();
  }
}
