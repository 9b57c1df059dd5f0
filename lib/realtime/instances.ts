/**
 * Which other instances serve from this store, so an instance polls only when
 * there is someone to hear: on a local KV file, `kv.watch` hears this
 * process's writes but not another process's (./doorbell.ts), and the poll that
 * makes up for it costs reads on every interval. A single process, the
 * default install, has no one else to hear and does not poll (under the
 * realtime benchmark's load, polling every 100 ms in a lone process made its
 * commits wait measurably longer).
 *
 * Each instance keeps one key alive, `["instances", id]` → `{ at }`, written at
 * start and every {@link INSTANCE_REFRESH_MS} with `expireIn`
 * {@link INSTANCE_TTL_MS}, and deleted on close; every {@link INSTANCE_SCAN_MS}
 * it lists the prefix. An entry counts while its `at` is younger than the TTL
 * (expiry is lazy). A process that starts next to running ones sees them at
 * once; the running ones see it within one scan, and then poll: what it
 * committed meanwhile is in the change log, so nothing is lost, only heard up
 * to a scan later.
 */
import { keys } from "../store/keys.ts";

export const INSTANCE_TTL_MS = 30_000;
export const INSTANCE_REFRESH_MS = 10_000;
export const INSTANCE_SCAN_MS = 1_000;

interface InstanceRecord {
  at: number;
}

/** This instance's registration and what it knows of the others (see the module doc). */
export class Instances {
  readonly id = crypto.randomUUID();
  #others = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastWrite = 0;
  #closed = false;
  #started = false;
  #running: Promise<void> | null = null;
  #errorLogged = false;

  constructor(
    readonly kv: Deno.Kv,
    readonly scanMs = INSTANCE_SCAN_MS,
    readonly ttlMs = INSTANCE_TTL_MS,
  ) {}

  /** True while another live instance is registered on this store. */
  get othersSeen(): boolean {
    return this.#others > 0;
  }

  /** How many other live instances the last scan found. */
  get others(): number {
    return this.#others;
  }

  /** Registers this instance and scans once (so it knows its neighbours from the start). */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#tick();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#tick().finally(() => {
        this.#running = null;
        this.#schedule();
      });
    }, this.scanMs);
  }

  async #tick(): Promise<void> {
    try {
      const now = Date.now();
      if (now - this.#lastWrite >= INSTANCE_REFRESH_MS || this.#lastWrite === 0) {
        await this.kv.set(keys.instance(this.id), { at: now } satisfies InstanceRecord, {
          expireIn: this.ttlMs,
        });
        this.#lastWrite = now;
      }
      let others = 0;
      for await (const entry of this.kv.list<InstanceRecord>({ prefix: keys.instancesPrefix() })) {
        if (entry.key[1] === this.id) continue;
        if (Date.now() - (entry.value?.at ?? 0) < this.ttlMs) others++;
      }
      if (this.#closed) return;
      this.#others = others;
      this.#errorLogged = false;
    } catch (err) {
      if (this.#closed) return;
      // Unknown neighbours: poll rather than miss another process's changes.
      this.#others = Math.max(this.#others, 1);
      if (!this.#errorLogged) console.error("realtime: listing the instances failed:", err);
      this.#errorLogged = true;
    }
  }

  /** Stops scanning and removes this instance's key. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
    try {
      await this.kv.delete(keys.instance(this.id));
    } catch { /* KV closed already: the key expires by itself */ }
  }
}
