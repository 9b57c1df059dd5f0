/**
 * Entries this process read or committed lately, with their versionstamps,
 * so an engine attempt may build on them instead of reading them again (the
 * usual chat message then costs one commit and no read).
 *
 * Safe because of one rule, kept in one place: every entry an attempt gets
 * through {@link AttemptReads} is checked in its commit (`mutate` adds the
 * checks). A stale entry (someone wrote the key since) fails the commit, which
 * changes nothing, and the next attempt reads everything afresh. A refusal or a
 * "nothing to do" decided on remembered entries is not trusted either: the
 * attempt is repeated on fresh reads first (see tx.ts).
 *
 * What is remembered: entries read through AttemptReads (except keys presumed
 * absent, e.g. a new message's clientId), and the conversations a commit wrote
 * (with its versionstamp). Other instances' writes are learnt from the change
 * log by the real-time hub's record cache, or by a failed commit.
 *
 * Remembered values are shared with the callers that got them (and with the
 * hub's record cache): records are never changed in place; every change
 * builds a new object, as the engine's writers do.
 */

import type { WrittenRecords } from "../changes.ts";
import { keys } from "../keys.ts";

/** Entries kept per KV handle (the least recently used go first). */
const MAX_ENTRIES = 10_000;
/**
 * A conversation with more context keys than this is not kept (context may
 * hold up to 32 KB): memory stays near MAX_ENTRIES × 1–9 KB at worst.
 */
const MAX_CONTEXT_KEYS = 8;

/** Small enough to keep: everything but a conversation with a large context. */
function smallEnough(value: unknown): boolean {
  const context = (value as { context?: unknown } | null)?.context;
  return !context || typeof context !== "object" ||
    Object.keys(context).length <= MAX_CONTEXT_KEYS;
}

const keyId = (key: Deno.KvKey): string => JSON.stringify(key);

/** Remembered entries by key, least recently used first (one per engine: ./engine.ts). */
export class EntryCache {
  #entries = new Map<string, Deno.KvEntryMaybe<unknown>>();

  get(key: Deno.KvKey): Deno.KvEntryMaybe<unknown> | undefined {
    return this.#entries.get(keyId(key));
  }

  remember(entry: Deno.KvEntryMaybe<unknown>): void {
    const id = keyId(entry.key);
    if (!smallEnough(entry.value)) {
      this.#entries.delete(id);
      return;
    }
    const known = this.#entries.get(id);
    // Never replace a newer entry with an older one (versionstamps order commits).
    if (known?.versionstamp && entry.versionstamp && known.versionstamp > entry.versionstamp) {
      return;
    }
    this.#entries.delete(id); // re-inserted: the most recent goes last
    this.#entries.set(id, entry);
    if (this.#entries.size > MAX_ENTRIES) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  forget(key: Deno.KvKey): void {
    this.#entries.delete(keyId(key));
  }

  /** Remembers the conversations a commit wrote (its batch's records), as of that commit. */
  rememberWritten(written: WrittenRecords, versionstamp: string): void {
    for (const conv of written.conversations) {
      this.remember({ key: keys.conversation(conv.id), value: conv, versionstamp });
    }
  }

  /** Remembers entries read elsewhere (e.g. the hub's reads of other instances' changes). */
  rememberRead(entries: Deno.KvEntryMaybe<unknown>[]): void {
    for (const entry of entries) this.remember(entry);
  }
}

/**
 * The reads of one engine attempt (`mutate` hands one to `build`). With
 * `useCache`, a read whose keys are all remembered is answered from memory.
 * Everything handed out is listed in `entries`, which `mutate` checks in the
 * commit.
 */
export class AttemptReads {
  /** Every entry handed out, in order: each is checked in the attempt's commit. */
  readonly entries: Deno.KvEntryMaybe<unknown>[] = [];
  /** True when some answer came from memory (then refusals are confirmed on fresh reads). */
  usedCache = false;
  #remembered: Deno.KvKey[] = [];

  constructor(
    readonly kv: Deno.Kv,
    readonly cache: EntryCache,
    readonly useCache: boolean,
  ) {}

  /**
   * Like `kv.getMany` (at most 10 keys). Keys at the `presumeAbsent` positions
   * (e.g. a new message's clientId) are answered "absent" when everything else
   * is remembered, and never remembered themselves: the commit's check proves
   * the presumption.
   */
  async getMany<T extends readonly unknown[]>(
    keys: readonly Deno.KvKey[],
    options: { presumeAbsent?: number[] } = {},
  ): Promise<{ [K in keyof T]: Deno.KvEntryMaybe<T[K]> }> {
    const cache = this.cache;
    const presumed = new Set(options.presumeAbsent ?? []);
    let entries: Deno.KvEntryMaybe<unknown>[] | null = null;
    if (this.useCache) {
      const hits = keys.map((key, i) =>
        presumed.has(i) ? { key, value: null, versionstamp: null } : cache.get(key)
      );
      if (hits.every((hit) => hit !== undefined)) {
        entries = hits as Deno.KvEntryMaybe<unknown>[];
        this.usedCache = true;
        this.#remembered.push(...keys.filter((_, i) => !presumed.has(i)));
      }
    }
    if (!entries) {
      entries = await this.kv.getMany(keys as Deno.KvKey[]);
      entries.forEach((entry, i) => {
        if (!presumed.has(i)) cache.remember(entry);
      });
    }
    this.entries.push(...entries);
    return entries as { [K in keyof T]: Deno.KvEntryMaybe<T[K]> };
  }

  /** The attempt failed its checks: what it took from memory is suspect; read it next time. */
  forgetRemembered(): void {
    for (const key of this.#remembered) this.cache.forget(key);
  }
}
