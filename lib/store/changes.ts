/**
 * The change log: a short-lived, gap-free, ordered record of every state
 * change, which the real-time layer reads from a cursor (the `seq`).
 *
 *   ["change_head"]   -> number   the seq of the newest change (the doorbell key to `watch`)
 *   ["changes", seq]  -> Change   (expireIn = CHANGE_TTL_MS)
 *
 * Every state change commits its records and its change entries in one atomic
 * operation that also checks and bumps the head, so seqs are never reused and
 * become visible in order on every instance. A caller whose commit fails (its
 * own checks or a concurrent head bump) re-reads and tries again; see
 * {@link retryCommit}.
 */

import type { Conversation, Message } from "../domain/engine_types.ts";

export const CHANGE_TTL_MS = 60 * 60_000;
export const CHANGE_HEAD_KEY: Deno.KvKey = ["change_head"];
export const changeKey = (seq: number): Deno.KvKey => ["changes", seq];

/** What a change is about. Readers filter by it to decide who may see a change. */
export interface Change {
  seq: number;
  at: string;
  /** e.g. "conversation.created", "conversation.assigned", "message.created", "agent.status" */
  type: string;
  conversationId?: string;
  agentId?: string;
  /** Small, JSON-serialisable payload; the records stay the truth. */
  data?: Record<string, unknown>;
}

export type NewChange = Omit<Change, "seq" | "at">;

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
  /** The head once the batch is committed. */
  head: number;
}

/**
 * Adds `changes` to `op` (an atomic operation the caller has filled with its
 * own checks and mutations), checking and bumping the head. Commit the op
 * afterwards; on success the changes have seqs `head.value + 1 ...`.
 */
export function withChanges(
  op: Deno.AtomicOperation,
  head: Deno.KvEntryMaybe<number>,
  changes: NewChange[],
  /** The records the op writes (an engine op notes them: lib/store/engine/op.ts). */
  written: WrittenRecords = { conversations: [], messages: [] },
): { op: Deno.AtomicOperation; firstSeq: number; batch: CommittedBatch } {
  const base = head.value ?? 0;
  const at = new Date().toISOString();
  op.check(head);
  const entries = changes.map((change, i): Change => ({ ...change, seq: base + i + 1, at }));
  for (const entry of entries) op.set(changeKey(entry.seq), entry, { expireIn: CHANGE_TTL_MS });
  op.set(CHANGE_HEAD_KEY, base + changes.length);
  return {
    op,
    firstSeq: base + 1,
    batch: { changes: entries, written, head: base + changes.length },
  };
}

export async function readHead(kv: Deno.Kv): Promise<Deno.KvEntryMaybe<number>> {
  return await kv.get<number>(CHANGE_HEAD_KEY);
}

/**
 * Changes after `cursor`, oldest first, at most `limit`. `reset` is true when
 * the log no longer holds everything after the cursor (it expired), so the
 * reader must reload instead of resuming.
 */
export async function readChangesSince(
  kv: Deno.Kv,
  cursor: number,
  limit = 500,
): Promise<{ changes: Change[]; head: number; reset: boolean }> {
  const head = (await readHead(kv)).value ?? 0;
  if (cursor >= head) return { changes: [], head, reset: cursor > head };
  const changes: Change[] = [];
  for await (
    const entry of kv.list<Change>({ start: changeKey(cursor + 1), end: changeKey(head + 1) }, {
      limit,
    })
  ) changes.push(entry.value);
  const reset = changes.length === 0 || changes[0].seq !== cursor + 1;
  return { changes, head, reset };
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

/** The bell's event: `batch` is what the commit added, when the committer hands it over. */
export class ChangeBellEvent extends Event {
  constructor(readonly batch: CommittedBatch | null) {
    super("change");
  }
}

/**
 * What this process knows of the change log beyond KV, for one store (held by
 * the engine object, lib/store/engine/engine.ts): the newest head it saw, and
 * its local doorbell, which the committing instance rings at once so its own
 * hub need not wait for `kv.watch`.
 */
export class LocalChanges {
  #known: Deno.KvEntry<number> | null = null;
  /** Rung with a {@link ChangeBellEvent} after every local commit that added changes. */
  readonly bell = new EventTarget();

  /**
   * The newest head this process knows (its own last commit left it, or the
   * hub's watch saw it), or null. A guess that saves a read: a commit that
   * checks it fails if anyone has bumped the head since (then call
   * {@link forgetHead} and read it).
   */
  knownHead(): Deno.KvEntry<number> | null {
    return this.#known;
  }

  /** A head seen elsewhere (the hub's watch): remembered when it is newer than the known one. */
  learnHead(entry: Deno.KvEntryMaybe<number>): void {
    const known = this.#known;
    if (entry.versionstamp === null || typeof entry.value !== "number") return;
    if (known && known.versionstamp >= entry.versionstamp) return;
    this.#known = entry as Deno.KvEntry<number>;
  }

  forgetHead(): void {
    this.#known = null;
  }

  /**
   * Call after a successful commit of `batch` (from {@link withChanges}):
   * remembers the head it left and rings the local bell with the batch.
   */
  announce(batch: CommittedBatch, versionstamp: string): void {
    this.#known = { key: CHANGE_HEAD_KEY, value: batch.head, versionstamp };
    this.ring(batch);
  }

  /**
   * Call after a successful commit that added changes (or use
   * {@link announce}). With its `batch` (from {@link withChanges}), this
   * instance's readers take the changes and the records as committed instead
   * of reading them back from KV. Without it, the head this process knew is
   * forgotten too (the commit moved it).
   */
  ring(batch: CommittedBatch | null = null): void {
    if (!batch) this.forgetHead();
    this.bell.dispatchEvent(new ChangeBellEvent(batch));
  }
}
