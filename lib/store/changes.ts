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
 * Adds `changes` to `op` (an atomic operation the caller has filled with its
 * own checks and mutations), checking and bumping the head. Commit the op
 * afterwards; on success the changes have seqs `head.value + 1 ...`.
 */
export function withChanges(
  op: Deno.AtomicOperation,
  head: Deno.KvEntryMaybe<number>,
  changes: NewChange[],
): { op: Deno.AtomicOperation; firstSeq: number } {
  const base = head.value ?? 0;
  const at = new Date().toISOString();
  op.check(head);
  changes.forEach((change, i) => {
    op.set(changeKey(base + i + 1), { ...change, seq: base + i + 1, at }, {
      expireIn: CHANGE_TTL_MS,
    });
  });
  op.set(CHANGE_HEAD_KEY, base + changes.length);
  return { op, firstSeq: base + 1 };
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

/** Process-local doorbells, one per KV handle: the committing instance rings its own at once. */
const bells = new WeakMap<Deno.Kv, EventTarget>();

export function localBell(kv: Deno.Kv): EventTarget {
  let bell = bells.get(kv);
  if (!bell) bells.set(kv, bell = new EventTarget());
  return bell;
}

/** Call after a successful commit that added changes. */
export function ringLocalBell(kv: Deno.Kv): void {
  localBell(kv).dispatchEvent(new Event("change"));
}
