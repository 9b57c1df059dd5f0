/**
 * Where the hub's changes come from: the KV change log (lib/store/changes.ts)
 * read from a cursor, and the batches this instance committed itself, handed
 * over by the local bell with the records they wrote.
 *
 * A batch that starts right after the cursor is taken as it is (its seqs are
 * gap-free and were checked against the head: exactly what the log holds),
 * without reading the log or the records back. A batch after a gap (another
 * instance's changes not read yet) waits: the log is read first, and the
 * batch is dropped once the log read has passed it.
 */
import {
  type Change,
  changeKey,
  type CommittedBatch,
  readChangesSince,
  type WrittenRecords,
} from "../store/changes.ts";

const PAGE = 500;
/** Own batches kept while the hub is busy (beyond this, the log is read instead). */
const MAX_OWN_BATCHES = 1_000;

/** Changes after a cursor; `written` only for an own batch. */
export interface FeedRead {
  changes: Change[];
  head: number;
  reset: boolean;
  written?: WrittenRecords;
}

/**
 * The changes after `cursor` in one KV read in the usual case (the entries and
 * the head are committed together, so a contiguous run starting at cursor + 1
 * is exact); an empty or gapped answer falls back to `readChangesSince`,
 * which reads the head to tell "nothing new" from "expired" (reset).
 */
export async function readAfter(
  kv: Deno.Kv,
  cursor: number,
  /** The hub's own pump: an empty answer just means "nothing new" (no head read). */
  live = false,
): Promise<FeedRead> {
  const changes: Change[] = [];
  for await (
    const entry of kv.list<Change>({
      start: changeKey(cursor + 1),
      end: changeKey(Number.MAX_SAFE_INTEGER),
    }, { limit: PAGE })
  ) changes.push(entry.value);
  if (changes.length > 0 && changes[0].seq === cursor + 1) {
    // More may follow when the page is full; the callers loop until they reach the head.
    const last = changes[changes.length - 1].seq;
    return { changes, head: changes.length === PAGE ? last + 1 : last, reset: false };
  }
  // (A log that expired entirely shows up as a gap at the next commit.)
  if (live && changes.length === 0) return { changes, head: cursor, reset: false };
  return await readChangesSince(kv, cursor, PAGE);
}

/** The hub's live source: own batches when they continue the cursor, else the log. */
export class ChangeFeed {
  /** Batches this instance committed, not taken yet, in commit order. */
  #own: CommittedBatch[] = [];

  constructor(readonly kv: Deno.Kv) {}

  /** Keeps an own batch for {@link after} (an empty one added nothing to the log). */
  addOwn(batch: CommittedBatch): void {
    if (batch.changes.length > 0 && this.#own.length < MAX_OWN_BATCHES) this.#own.push(batch);
  }

  /** True while own batches wait to be taken. */
  get hasOwn(): boolean {
    return this.#own.length > 0;
  }

  /** The changes after `cursor`: the own batch that continues it, or a read of the log. */
  async after(cursor: number): Promise<FeedRead> {
    const own = this.#nextOwn(cursor);
    if (!own) return await readAfter(this.kv, cursor, true);
    const head = own.changes[own.changes.length - 1].seq;
    return { changes: own.changes, head, reset: false, written: own.written };
  }

  #nextOwn(cursor: number): CommittedBatch | null {
    while (this.#own.length > 0) {
      const batch = this.#own[0];
      const first = batch.changes[0].seq;
      const last = batch.changes[batch.changes.length - 1].seq;
      if (last <= cursor) {
        this.#own.shift(); // passed: the log read covered it
        continue;
      }
      if (first !== cursor + 1) return null; // after a gap: read the log first
      this.#own.shift();
      return batch;
    }
    return null;
  }
}
