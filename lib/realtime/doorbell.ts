/**
 * A doorbell on a few KV keys (the change-log heads, the typing shards): tells its
 * owner when one of them may have changed, whoever wrote it.
 *
 * `kv.watch` is the bell. Where watch sees every writer (Deno Deploy's managed
 * KV across isolates, a KV Connect server such as self-hosted `denokv`, and
 * every handle inside one process) that is all it takes. Deno's local SQLite
 * KV, however, wakes a watcher only for writes made by its own process: a
 * second Parley process on the same file would not hear the first one's
 * commits until it wrote something itself. So, when `pollMs` > 0 (the default
 * for a local KV file; see `KV_POLL_MS` in fresh.config.ts), the doorbell also
 * reads the same keys every `pollMs` and rings when a versionstamp moved,
 * while `pollWhen` says there is another process to hear (./instances.ts).
 * That bounds how late another process's change is seen: one interval plus a
 * read.
 *
 * Whatever the store, a watch that fails (a KV Connect server that does not
 * speak the protocol's watch, a broken stream) starts that poll too, every
 * {@link FALLBACK_POLL_MS} when none was configured, while watch is retried.
 *
 * The owner gets the entries as read (watch or poll); it decides what is new
 * (the hub compares the head with its cursor, the typing bus drops signals it
 * has seen), so a ring that brings nothing new costs nothing more.
 *
 * @example
 * const bell = new Doorbell(kv, [keys.changeHead(0)], (entries) => wake(entries), { pollMs: 100 });
 * bell.start();
 * // on shutdown
 * await bell.close();
 */

/** The poll a doorbell falls back to when its watch fails and no poll was configured. */
export const FALLBACK_POLL_MS = 250;
/** Wait before watching again after a failure. */
const WATCH_RETRY_MS = 500;

export type DoorbellListener = (entries: Deno.KvEntryMaybe<unknown>[]) => void;

export interface DoorbellOptions {
  /** Poll interval in ms; 0 (the default) = watch only. */
  pollMs?: number;
  /**
   * Asked before each configured poll: false skips the read (./instances.ts:
   * no other process to hear). The fallback poll after a failed watch always reads.
   */
  pollWhen?: () => boolean;
  /** Names the bell in the log. */
  label?: string;
}

/** Watches `keys` (at most 10, the watch limit) and, with `pollMs` > 0, polls them too. */
export class Doorbell {
  #reader: ReadableStreamDefaultReader<Deno.KvEntryMaybe<unknown>[]> | null = null;
  #watching: Promise<void> | null = null;
  #polling: Promise<void> | null = null;
  /** Pending sleeps (poll interval, watch retry), ended at once by close. */
  #sleeps = new Map<ReturnType<typeof setTimeout>, () => void>();
  #closed = false;
  /** The versionstamps last seen per key (by watch or poll), to ring the poll only on news. */
  #seen: (string | null)[];
  #pollErrorLogged = false;

  readonly pollMs: number;
  readonly label: string;
  readonly #pollWhen: () => boolean;

  constructor(
    readonly kv: Deno.Kv,
    readonly keys: Deno.KvKey[],
    readonly onRing: DoorbellListener,
    options: DoorbellOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 0;
    this.label = options.label ?? "doorbell";
    this.#pollWhen = options.pollWhen ?? (() => true);
    this.#seen = keys.map(() => null);
  }

  start(): void {
    if (this.#watching) return;
    this.#watching = this.#watch();
    if (this.pollMs > 0) this.#polling = this.#poll(this.pollMs, this.#pollWhen);
  }

  /** True while the poll runs (configured, or the fallback after a failed watch). */
  get polling(): boolean {
    return this.#polling !== null;
  }

  async #watch(): Promise<void> {
    while (!this.#closed) {
      try {
        const reader = this.kv.watch(this.keys).getReader();
        this.#reader = reader;
        for (;;) {
          const { done, value } = await reader.read();
          if (done || this.#closed) break;
          this.#note(value);
          this.#ring(value);
        }
        // A stream that ended by itself (not cancelled): watch again, without spinning.
        if (!this.#closed) await this.#sleep(WATCH_RETRY_MS);
      } catch (err) {
        if (this.#closed) return;
        if (this.#polling) {
          console.error(`realtime: ${this.label} watch failed, retrying:`, err);
        } else {
          // A store whose watch fails (say, a KV Connect server without watch) still rings.
          console.error(
            `realtime: ${this.label} watch failed; polling every ${FALLBACK_POLL_MS} ms as well:`,
            err,
          );
          this.#polling = this.#poll(FALLBACK_POLL_MS, () => true);
        }
        await this.#sleep(WATCH_RETRY_MS);
      }
    }
  }

  async #poll(everyMs: number, when: () => boolean): Promise<void> {
    while (!this.#closed) {
      await this.#sleep(everyMs);
      if (this.#closed) return;
      if (!when()) continue;
      try {
        const entries = await this.kv.getMany(this.keys);
        if (this.#closed) return;
        this.#pollErrorLogged = false;
        if (this.#note(entries)) this.#ring(entries);
      } catch (err) {
        if (this.#closed) return;
        // Once per outage, not every interval.
        if (!this.#pollErrorLogged) console.error(`realtime: ${this.label} poll failed:`, err);
        this.#pollErrorLogged = true;
      }
    }
  }

  /** Records the versionstamps; true when any differs from the last seen. */
  #note(entries: Deno.KvEntryMaybe<unknown>[]): boolean {
    let moved = false;
    entries.forEach((entry, i) => {
      if (entry.versionstamp !== this.#seen[i]) moved = true;
      this.#seen[i] = entry.versionstamp;
    });
    return moved;
  }

  #ring(entries: Deno.KvEntryMaybe<unknown>[]): void {
    try {
      this.onRing(entries);
    } catch (err) {
      console.error(`realtime: ${this.label} listener threw:`, err);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleeps.delete(timer);
        resolve();
      }, ms);
      this.#sleeps.set(timer, resolve);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const [timer, resolve] of this.#sleeps) {
      clearTimeout(timer);
      resolve();
    }
    this.#sleeps.clear();
    try {
      await this.#reader?.cancel();
    } catch { /* KV closed already */ }
    await Promise.allSettled([this.#watching, this.#polling]);
  }
}
