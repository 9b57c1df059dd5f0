/**
 * Ephemeral signals (typing indicators) across instances, without the change
 * log: nothing is stored beyond a few seconds.
 *
 * Why KV and not BroadcastChannel: on Deno Deploy a BroadcastChannel spans the
 * isolates of a deployment, but under the Deno CLI it only reaches workers of
 * the same process, so two processes on one KV file (or our two-instance
 * test) would not see each other's typing. KV works everywhere the rest of the
 * app works. To keep that cheap, signals go to one of {@link SHARDS} keys
 * `["typing", shard]` (shard = hash of the conversation id), each holding the
 * last few seconds of signals (at most {@link KEEP} entries) with `expireIn`;
 * every instance runs ONE doorbell on those keys (watch takes up to 10 keys;
 * on a local KV file the doorbell also polls them, see ./doorbell.ts).
 * Watch coalesces, but each value carries the recent signals, so a coalesced
 * wake-up still sees them; ids make delivery at-most-once per instance.
 * The publishing instance delivers to its own listeners at once.
 */
import { keys } from "../store/keys.ts";
import { Doorbell, type DoorbellOptions } from "./doorbell.ts";
import type { Actor } from "./protocol.ts";

/** Typing keys in KV; every instance watches all of them with one `watch`. */
export const SHARDS = 10;
/** Signals kept per shard value. */
const KEEP = 32;
/** A signal older than this is stale and dropped. */
export const TYPING_TTL_MS = 6_000;

/** One ephemeral signal (typing, or a read marker). */
export interface TypingSignal {
  id: string;
  conversationId: string;
  from: Actor;
  /** "typing" (the default) or "read": a read marker up to `seq`. */
  kind?: "typing" | "read";
  typing: boolean;
  seq?: number;
  at: number;
}

type Listener = (signal: TypingSignal) => void;

function shardOf(conversationId: string): number {
  let h = 0;
  for (let i = 0; i < conversationId.length; i++) h = (h * 31 + conversationId.charCodeAt(i)) | 0;
  return Math.abs(h) % SHARDS;
}

/** Publishes and delivers ephemeral signals across instances (see the module doc). */
export class TypingBus {
  #listeners = new Map<string, Set<Listener>>();
  #seen = new Map<string, number>();
  #doorbell: Doorbell;
  #closed = false;

  /** `poll`: also poll the shards (see ./doorbell.ts); default: watch only. */
  constructor(readonly kv: Deno.Kv, poll: Pick<DoorbellOptions, "pollMs" | "pollWhen"> = {}) {
    const shards = Array.from({ length: SHARDS }, (_, i) => keys.typingShard(i));
    this.#doorbell = new Doorbell(
      kv,
      shards,
      (entries) => {
        for (const entry of entries) {
          for (const signal of (entry.value as TypingSignal[] | null) ?? []) this.#deliver(signal);
        }
      },
      { ...poll, label: "typing" },
    );
  }

  start(): void {
    this.#doorbell.start();
  }

  #deliver(signal: TypingSignal): void {
    const now = Date.now();
    if (this.#seen.has(signal.id) || now - signal.at > TYPING_TTL_MS) return;
    this.#seen.set(signal.id, signal.at);
    if (this.#seen.size > 4096) {
      for (const [id, at] of this.#seen) if (now - at > TYPING_TTL_MS) this.#seen.delete(id);
    }
    for (const fn of this.#listeners.get(signal.conversationId) ?? []) {
      try {
        fn(signal);
      } catch (err) {
        console.error("realtime: typing listener threw:", err);
      }
    }
  }

  /** Listens to one conversation's signals; returns the function that stops listening. */
  on(conversationId: string, fn: Listener): () => void {
    let set = this.#listeners.get(conversationId);
    if (!set) this.#listeners.set(conversationId, set = new Set());
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.#listeners.delete(conversationId);
    };
  }

  /** Publishes a signal to every instance (this one at once). Best effort: typing is ephemeral. */
  async publish(signal: Omit<TypingSignal, "id" | "at">): Promise<void> {
    const full: TypingSignal = { ...signal, id: crypto.randomUUID(), at: Date.now() };
    this.#deliver(full);
    const key = keys.typingShard(shardOf(signal.conversationId));
    for (let attempt = 0; attempt < 5 && !this.#closed; attempt++) {
      const entry = await this.kv.get<TypingSignal[]>(key);
      const now = Date.now();
      const recent = (entry.value ?? []).filter((s) => now - s.at < TYPING_TTL_MS);
      recent.push(full);
      const result = await this.kv.atomic().check(entry)
        .set(key, recent.slice(-KEEP), { expireIn: TYPING_TTL_MS * 2 })
        .commit();
      if (result.ok) return;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#doorbell.close();
    this.#listeners.clear();
  }
}
