/**
 * The change log: a short-lived, gap-free, ordered record of every state
 * change, which the real-time layer reads from a cursor. It is split by
 * conversation into shards, each with its own head and seqs, so that commits
 * about different conversations never bump the same key (./change_shards.ts
 * has the layout, the cursor's text form and the move of an older store's
 * single log):
 *
 *   ["change_heads", shard]     -> number   the shard's newest seq (a doorbell key to `watch`)
 *   ["change_log", shard, seq]  -> Change   (expireIn = CHANGE_TTL_MS)
 *
 * Every state change commits its records and its change entries in one atomic
 * operation that checks and bumps the heads of the shards it appends to, so
 * seqs are never reused and become visible in order on every instance.
 * {@link withChanges} checks EVERY shard's head as read (one snapshot,
 * {@link readHead}), like the single head before: a commit built that way
 * lands only when no change was appended anywhere since, whatever it read
 * without checking. Only the engine's grouped message commits
 * (engine/commit_queue.ts), which check everything they read, check just the
 * shards they touch. A caller whose commit fails re-reads and tries again;
 * see {@link retryCommit}.
 *
 * Readers ({@link readChangesSince}) read all heads in one snapshot, then each
 * shard's new entries, and hand them over in commit order (the entries'
 * versionstamps), one consistent prefix of the store's commits at a time.
 */

import type { Conversation, Message } from "../domain/engine_types.ts";
import {
  CHANGE_TTL_MS,
  type ChangeLayout,
  changeLayout,
  type Cursor,
  encodeCursor,
  MAX_CHANGE_SHARDS,
  shardOf,
} from "./change_shards.ts";
import { keys } from "./keys.ts";

export { CHANGE_TTL_MS, type Cursor };
/** A change-log entry's key. */
export const changeKey = (shard: number, seq: number): Deno.KvKey => keys.changeEntry(shard, seq);

/** What a change is about. Readers filter by it to decide who may see a change. */
export interface Change {
  /** The change's seq within its shard. */
  seq: number;
  /** The shard it was appended to (by conversation; 0 for changes about no conversation). */
  shard: number;
  /**
   * Its place among its commit's changes (0, 1, ...), when the commit appended several: orders
   * them across shards as they were made.
   */
  order?: number;
  at: string;
  /** e.g. "conversation.created", "conversation.assigned", "message.created", "agent.status" */
  type: string;
  conversationId?: string;
  agentId?: string;
  /** Small, JSON-serialisable payload; the records stay the truth. */
  data?: Record<string, unknown>;
}

export type NewChange = Omit<Change, "seq" | "at" | "shard" | "order">;

/**
 * The records a commit wrote, as it wrote them (noted by the engine's writers
 * on their op: lib/store/engine/op.ts): what a reader of the commit's changes
 * would otherwise read back from KV.
 */
export interface WrittenRecords {
  conversations: Conversation[];
  messages: Message[];
}

/** A commit's changes (with their seqs) and the records it wrote, handed to the local bell. */
export interface CommittedBatch {
  changes: Change[];
  written: WrittenRecords;
  /** The heads the commit set: shard → its new head. */
  heads: Record<number, number>;
}

/** Every shard's head, as read together (or as this process's commits left them). */
export class ChangeHeads {
  constructor(
    readonly layout: ChangeLayout,
    /** One per shard; `versionstamp: null` for a shard nothing was appended to yet. */
    readonly entries: Deno.KvEntryMaybe<number>[],
  ) {}

  /** The position right after every change these heads count. */
  get cursor(): Cursor {
    return this.entries.map((e) => e.value ?? 0);
  }

  /** The cursor's text form ("12.0.7.3"), as the event stream's ids carry it. */
  toString(): string {
    return encodeCursor(this.cursor);
  }
}

/** An absent head (no change appended to the shard yet). */
const noHead = (shard: number): Deno.KvEntryMaybe<number> => ({
  key: keys.changeHead(shard),
  value: null,
  versionstamp: null,
});

/** Every shard's head in one snapshot read (one range read of the heads). */
export async function readHead(kv: Deno.Kv): Promise<ChangeHeads> {
  const layout = await changeLayout(kv);
  const entries = Array.from({ length: layout.shards }, (_, s) => noHead(s));
  for await (
    const entry of kv.list<number>({ prefix: keys.changeHeadsPrefix() }, {
      batchSize: MAX_CHANGE_SHARDS + 1,
    })
  ) {
    const shard = entry.key[1];
    if (typeof shard === "number" && shard < layout.shards) entries[shard] = entry;
  }
  return new ChangeHeads(layout, entries);
}

/** The heads of a few shards (each checked on its own; not a snapshot). */
export async function readShardHeads(
  kv: Deno.Kv,
  shards: number[],
): Promise<Map<number, Deno.KvEntryMaybe<number>>> {
  const out = new Map<number, Deno.KvEntryMaybe<number>>();
  const reads: Promise<void>[] = [];
  for (let i = 0; i < shards.length; i += 10) {
    const part = shards.slice(i, i + 10);
    reads.push(
      kv.getMany<number[]>(part.map((s) => keys.changeHead(s))).then((entries) =>
        entries.forEach((e, j) => out.set(part[j], e))
      ),
    );
  }
  await Promise.all(reads);
  return out;
}

/** The shards `changes` go to (shard 0 for a commit without changes). */
export function shardsOf(changes: NewChange[], layout: ChangeLayout): number[] {
  const set = new Set<number>();
  for (const change of changes) set.add(shardOf(change.conversationId, layout.shards));
  return set.size ? [...set].sort((a, b) => a - b) : [0];
}

/**
 * Appends `changes` to `op` after the heads `head(shard)` of the shards they
 * go to, checking those heads and every shard in `checkAlso`, and bumping the
 * touched heads (shard 0's, rewritten as it is, when there are no changes: a
 * commit still moves a head its peers check).
 */
export function appendChanges(
  op: Deno.AtomicOperation,
  layout: ChangeLayout,
  head: (shard: number) => Deno.KvEntryMaybe<number>,
  changes: NewChange[],
  written: WrittenRecords,
  checkAlso: Iterable<number> = [],
): { firstSeq: number; batch: CommittedBatch } {
  const at = new Date().toISOString();
  const checked = new Set<number>();
  const check = (shard: number) => {
    if (checked.has(shard)) return;
    checked.add(shard);
    op.check(head(shard));
  };
  const next = new Map<number, number>();
  const several = changes.length > 1;
  const entries = changes.map((change, i): Change => {
    const shard = shardOf(change.conversationId, layout.shards);
    check(shard);
    const seq = (next.get(shard) ?? head(shard).value ?? 0) + 1;
    next.set(shard, seq);
    return several ? { ...change, seq, shard, order: i, at } : { ...change, seq, shard, at };
  });
  if (entries.length === 0) next.set(0, head(0).value ?? 0);
  for (const shard of checkAlso) check(shard);
  for (const entry of entries) {
    op.set(changeKey(entry.shard, entry.seq), entry, { expireIn: CHANGE_TTL_MS });
  }
  const heads: Record<number, number> = {};
  for (const [shard, value] of next) {
    check(shard);
    op.set(keys.changeHead(shard), value);
    heads[shard] = value;
  }
  return { firstSeq: entries[0]?.seq ?? 0, batch: { changes: entries, written, heads } };
}

/**
 * Adds `changes` to `op` (an atomic operation the caller has filled with its
 * own checks and mutations), checking every shard's head in `head` (from
 * {@link readHead}, read before the caller's own reads) and bumping the heads
 * of the shards the changes go to. Commit the op afterwards; on success each
 * change has the next seq of its shard (`firstSeq`: the first change's).
 */
export function withChanges(
  op: Deno.AtomicOperation,
  head: ChangeHeads,
  changes: NewChange[],
  /** The records the op writes (an engine op notes them: lib/store/engine/op.ts). */
  written: WrittenRecords = { conversations: [], messages: [] },
): { op: Deno.AtomicOperation; firstSeq: number; batch: CommittedBatch } {
  const all = head.entries.map((_, s) => s);
  const { firstSeq, batch } = appendChanges(
    op,
    head.layout,
    (s) => head.entries[s],
    changes,
    written,
    all,
  );
  return { op, firstSeq, batch };
}

/** What {@link readChangesSince} found. */
export interface ChangesRead {
  /** In commit order. */
  changes: Change[];
  /** The heads read (where the log ends now). */
  head: Cursor;
  /** The cursor after `changes` (the heads when `more` is false). */
  next: Cursor;
  /** A page ended before the heads: read again from `next`. */
  more: boolean;
  /**
   * The log no longer holds everything after the cursor (it expired), or the
   * cursor is beyond the heads (another store's): reload, then go on from `head`.
   */
  reset: boolean;
  /** The versionstamps of `changes`, in the same order. */
  versionstamps: string[];
}

/** Orders a read's entries as they were committed, and as made within a commit. */
export function byCommit(a: { vs: string; c: Change }, b: { vs: string; c: Change }): number {
  if (a.vs !== b.vs) return a.vs < b.vs ? -1 : 1;
  return (a.c.order ?? 0) - (b.c.order ?? 0) || a.c.shard - b.c.shard || a.c.seq - b.c.seq;
}

/**
 * Changes after `cursor` (one seq per shard), in commit order, at most
 * `limit` per shard. `heads` may be given when just read.
 */
export async function readChangesSince(
  kv: Deno.Kv,
  cursor: Cursor,
  limit = 500,
  heads?: ChangeHeads,
): Promise<ChangesRead> {
  const read = heads ?? await readHead(kv);
  const head = read.cursor;
  const n = head.length;
  const resetAnswer = (): ChangesRead => ({
    changes: [],
    head,
    next: head,
    more: false,
    reset: true,
    versionstamps: [],
  });
  if (cursor.length !== n) return resetAnswer();
  for (let s = 0; s < n; s++) if (cursor[s] > head[s]) return resetAnswer();
  const pending = head.map((_, s) => s).filter((s) => head[s] > cursor[s]);
  const found: { vs: string; c: Change }[] = [];
  let cutoff: string | null = null;
  let expired = false;
  await Promise.all(pending.map(async (s) => {
    const entries: Deno.KvEntry<Change>[] = [];
    for await (
      const entry of kv.list<Change>({
        start: changeKey(s, cursor[s] + 1),
        end: changeKey(s, head[s] + 1),
      }, { limit, batchSize: Math.min(limit, 500) })
    ) entries.push(entry);
    if (entries.length === 0 || entries[0].value.seq !== cursor[s] + 1) {
      expired = true;
      return;
    }
    for (const entry of entries) found.push({ vs: entry.versionstamp, c: entry.value });
    const last = entries[entries.length - 1];
    if (last.value.seq < head[s] && (cutoff === null || last.versionstamp < cutoff)) {
      cutoff = last.versionstamp; // a full page: later commits wait for the next read
    }
  }));
  if (expired) return resetAnswer();
  const taken = cutoff === null ? found : found.filter((f) => f.vs <= cutoff!);
  taken.sort(byCommit);
  const next = [...cursor];
  for (const { c } of taken) next[c.shard] = c.seq;
  return {
    changes: taken.map((f) => f.c),
    head,
    next,
    more: cutoff !== null,
    reset: false,
    versionstamps: taken.map((f) => f.vs),
  };
}

/**
 * Runs `attempt` until it reports success, at most `times` times. Each attempt
 * re-reads what it depends on, so a lost race is simply tried again.
 * Returns the successful attempt's result, or throws `onGiveUp()`.
 */
export async function retryCommit<T>(
  attempt: () => Promise<{ ok: true; value: T } | { ok: false }>,
  onGiveUp: () => Error,
  times = 50,
): Promise<T> {
  for (let i = 0; i < times; i++) {
    const result = await attempt();
    if (result.ok) return result.value;
    if (i > 3) await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** i)));
  }
  throw onGiveUp();
}
