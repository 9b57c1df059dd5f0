/**
 * The change log's shards: so that no single key is bumped by every commit.
 *
 * The log is split by conversation into N shards (a conversation's changes
 * always go to the same one: `shardOf`), each with its own head and seqs:
 *
 *   ["change_heads", shard]       -> number  the seq of the shard's newest change
 *   ["change_log", shard, seq]    -> Change  (expireIn = CHANGE_TTL_MS)
 *   ["schema", "change_log"]      -> ChangeLayout { shards, legacyHead }
 *
 * Changes about no conversation (agents, presence, settings, sites, audit)
 * go to shard 0. N is fixed when a store's log is first opened (from
 * `CHANGE_SHARDS`, default {@link DEFAULT_CHANGE_SHARDS}) and recorded in the
 * layout record; a different `CHANGE_SHARDS` later is ignored with a warning
 * (the cursors clients hold name a position per shard, so N cannot change
 * under them). A position in the log, the **cursor**, is one seq per shard:
 * in text "12.0.7.3..." (N numbers, dots between), the SSE event id.
 *
 * Stores from before the shards kept one log, ["change_head"] and
 * ["changes", seq]. Opening such a store (the first call of
 * {@link changeLayout}; `startServer` does it before serving) makes that log
 * shard 0 with the same seqs: its newest entries (at most
 * {@link MIGRATED_ENTRIES}) are copied to ["change_log", 0, seq] with the time
 * they had left, shard 0's head becomes the old head, recorded as
 * `legacyHead`, and the old head key is deleted in the same atomic operation
 * (the old entries expire by themselves). A single-number cursor from before
 * (a client's Last-Event-ID, the webhook dispatcher's cursor) means "seq g of
 * shard 0, nothing of the others": every later change in other shards is new
 * to it, so it resumes gap-free; a single number above `legacyHead` was never
 * handed out and is answered with a reset.
 */
import { keys } from "./keys.ts";

export const DEFAULT_CHANGE_SHARDS = 8;
export const MAX_CHANGE_SHARDS = 32;
/** How long a change stays in the log. */
export const CHANGE_TTL_MS = 60 * 60_000;
/** The newest entries of a pre-shard log copied at the move (older cursors get a reset). */
export const MIGRATED_ENTRIES = 20_000;

/** How a store's change log is laid out (recorded once, never changed). */
export interface ChangeLayout {
  shards: number;
  /** The old single log's head when it became shard 0 (0: the store never had one). */
  legacyHead: number;
}

/** A position in the change log: per shard, the seq of the last change read. */
export type Cursor = number[];

const LEGACY_HEAD: Deno.KvKey = ["change_head"];
const LEGACY_PREFIX: Deno.KvKey = ["changes"];

/** The shard count `CHANGE_SHARDS` asks for (default 8), within 1..32. */
export function configuredShards(): number {
  let raw: string | undefined;
  try {
    raw = Deno.env.get("CHANGE_SHARDS");
  } catch { /* no env permission: the default */ }
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n < 1) return DEFAULT_CHANGE_SHARDS;
  return Math.min(n, MAX_CHANGE_SHARDS);
}

/** The shard of a change: by conversation (FNV-1a of its id), shard 0 for the rest. */
export function shardOf(conversationId: string | undefined, shards: number): number {
  if (!conversationId || shards <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < conversationId.length; i++) {
    h ^= conversationId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

const layouts = new WeakMap<Deno.Kv, Promise<ChangeLayout>>();
/** How many entries of an old single log this process moved to shard 0, per handle. */
const movedBy = new WeakMap<Deno.Kv, number>();

/**
 * The store's layout, set up on first use (and an old single log moved to
 * shard 0: see the module doc). `shards` overrides `CHANGE_SHARDS` for a new
 * store (tests, benchmarks). Cached per KV handle: the record never changes.
 */
export function changeLayout(kv: Deno.Kv, shards?: number): Promise<ChangeLayout> {
  let layout = layouts.get(kv);
  if (!layout) {
    layout = openChangeLog(kv, shards ?? configuredShards()).then(({ layout, moved }) => {
      if (moved !== null) movedBy.set(kv, moved);
      return layout;
    });
    layouts.set(kv, layout);
    layout.catch(() => layouts.delete(kv));
  }
  return layout;
}

/**
 * Opens the store's change log before serving (`startServer`): the layout,
 * and how many entries of an old single log were moved to shard 0 now (null:
 * none to move).
 */
export async function prepareChangeLog(
  kv: Deno.Kv,
): Promise<{ layout: ChangeLayout; moved: number | null }> {
  const layout = await changeLayout(kv);
  return { layout, moved: movedBy.get(kv) ?? null };
}

async function openChangeLog(
  kv: Deno.Kv,
  wanted: number,
): Promise<{ layout: ChangeLayout; moved: number | null }> {
  for (let attempt = 0;; attempt++) {
    const [recorded, legacy] = await kv.getMany<[ChangeLayout, number]>([
      keys.changeLogLayout(),
      LEGACY_HEAD,
    ]);
    if (recorded.value) {
      if (recorded.value.shards !== wanted && attempt === 0) {
        console.warn(
          `change log: this store has ${recorded.value.shards} shards, fixed when it was created;` +
            ` ${wanted} asked for (CHANGE_SHARDS) is ignored`,
        );
      }
      return { layout: recorded.value, moved: null };
    }
    const legacyHead = legacy.value ?? 0;
    const moved = legacy.value !== null ? await copyLegacyEntries(kv) : null;
    const shards = Math.min(Math.max(1, wanted), MAX_CHANGE_SHARDS);
    const layout: ChangeLayout = { shards, legacyHead };
    const op = kv.atomic().check(recorded, legacy).set(keys.changeLogLayout(), layout);
    if (legacy.value !== null) op.set(keys.changeHead(0), legacyHead).delete(LEGACY_HEAD);
    try {
      if ((await op.commit()).ok) return { layout, moved };
    } catch (err) {
      if (attempt > 50) throw err; // e.g. a busy local file: try again a little later
    }
    await new Promise((r) => setTimeout(r, Math.random() * 20));
  }
}

/** Copies the newest entries of a pre-shard log to shard 0 (idempotent: same keys, same values). */
async function copyLegacyEntries(kv: Deno.Kv): Promise<number> {
  const now = Date.now();
  let op = kv.atomic();
  let inOp = 0;
  let copied = 0;
  for await (
    const entry of kv.list<Record<string, unknown>>({ prefix: LEGACY_PREFIX }, {
      reverse: true,
      limit: MIGRATED_ENTRIES,
      batchSize: 500,
    })
  ) {
    const seq = entry.key[1];
    if (typeof seq !== "number" || !entry.value) continue;
    const left = Date.parse(String(entry.value.at)) + CHANGE_TTL_MS - now;
    if (!(left > 0)) continue;
    op.set(keys.changeEntry(0, seq), { ...entry.value, shard: 0 }, { expireIn: left });
    copied++;
    if (++inOp === 100) {
      await op.commit();
      op = kv.atomic();
      inOp = 0;
    }
  }
  if (inOp > 0) await op.commit();
  return copied;
}

/** The cursor as text: one seq per shard, dots between ("12.0.7.3"). */
export function encodeCursor(cursor: readonly number[]): string {
  return cursor.join(".");
}

/**
 * Reads a cursor's text (`Last-Event-ID`, `?after=`): one to 32 groups of
 * digits with dots between; null when absent, "invalid" for anything else.
 * Which store position it names is decided by {@link resolveCursor}.
 */
export function parseCursorText(raw: string | undefined | null): number[] | null | "invalid" {
  if (raw === undefined || raw === null || raw.trim() === "") return null;
  const text = raw.trim();
  if (!/^\d{1,15}(\.\d{1,15}){0,31}$/.test(text)) return "invalid";
  return text.split(".").map(Number);
}

/**
 * The position `parts` names in this store: N numbers as they are; a single
 * number from before the shards (see the module doc) as shard 0's seq; null
 * for a cursor this store never handed out (another shard count, a single
 * number above the old head): the reader answers it with a reset.
 */
export function resolveCursor(parts: readonly number[], layout: ChangeLayout): Cursor | null {
  const n = layout.shards;
  if (parts.length === n) return [...parts];
  if (parts.length !== 1 || parts[0] > layout.legacyHead) return null;
  const cursor = new Array<number>(n).fill(0);
  cursor[0] = parts[0];
  return cursor;
}

/** True when `a` is at or after `b` in every shard. */
export function covers(a: readonly number[], b: readonly number[]): boolean {
  for (let s = 0; s < b.length; s++) if ((a[s] ?? 0) < b[s]) return false;
  return true;
}
