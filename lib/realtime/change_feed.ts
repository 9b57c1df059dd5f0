/**
 * Where the hub's changes come from: the KV change log (lib/store/changes.ts)
 * read from a cursor (one seq per shard), and the batches this instance
 * committed itself, handed over by the local bell with the records they wrote.
 *
 * Each read starts with one snapshot of every shard's head. When this
 * instance's own batches hold exactly what the log gained up to those heads
 * (the usual case with one instance: nobody else appended), they are taken
 * as they are, without reading the log or the records back. Otherwise (another
 * instance's changes in between) the log is read up to the heads, and own
 * batches the read passed are dropped. Either way the changes come in commit
 * order: one consistent prefix of the store's commits per read.
 */
import {
  byCommit,
  type Change,
  type ChangeHeads,
  type CommittedBatch,
  type Cursor,
  readChangesSince,
  readHead,
  type WrittenRecords,
} from "../store/changes.ts";

const PAGE = 500;
/** Own batches kept while the hub is busy (beyond this, the log is read instead). */
const MAX_OWN_BATCHES = 1_000;

/** Changes after a cursor; `written` only when they are all own batches'. */
export interface FeedRead {
  /** In commit order. */
  changes: Change[];
  /** The cursor after `changes`. */
  next: Cursor;
  /** The heads read. */
  head: Cursor;
  /** More follow beyond `next` (a full page). */
  more: boolean;
  /** The cursor cannot be resumed (expired, or beyond the heads): go on from `head`. */
  reset: boolean;
  written?: WrittenRecords;
}

/** The changes after `cursor`, up to the heads as read now (or as given). */
export async function readAfter(
  kv: Deno.Kv,
  cursor: Cursor,
  heads?: ChangeHeads,
): Promise<FeedRead> {
  const read = await readChangesSince(kv, cursor, PAGE, heads);
  return {
    changes: read.changes,
    next: read.next,
    head: read.head,
    more: read.more,
    reset: read.reset,
  };
}

interface OwnBatch {
  batch: CommittedBatch;
  versionstamp: string;
}

/** The hub's live source: own batches when they are all that is new, else the log. */
export class ChangeFeed {
  /** Batches this instance committed, not taken yet, in commit order. */
  #own: OwnBatch[] = [];

  constructor(readonly kv: Deno.Kv) {}

  /** Keeps an own batch for {@link after} (an empty one added nothing to the log). */
  addOwn(batch: CommittedBatch, versionstamp: string): void {
    if (batch.changes.length > 0 && this.#own.length < MAX_OWN_BATCHES) {
      this.#own.push({ batch, versionstamp });
    }
  }

  /** True while own batches wait to be taken. */
  get hasOwn(): boolean {
    return this.#own.length > 0;
  }

  /** The changes after `cursor` up to the heads as read now: own batches, or a read of the log. */
  async after(cursor: Cursor): Promise<FeedRead> {
    const heads = await readHead(this.kv);
    const head = heads.cursor;
    // Own batches the cursor passed (a log read covered them) go.
    this.#own = this.#own.filter(({ batch }) =>
      batch.changes.some((c) => c.seq > (cursor[c.shard] ?? 0))
    );
    let ahead = false;
    let news = false;
    for (let s = 0; s < head.length; s++) {
      if ((cursor[s] ?? 0) > head[s]) ahead = true;
      if (head[s] > (cursor[s] ?? 0)) news = true;
    }
    if (!ahead && !news && cursor.length === head.length) {
      return { changes: [], next: cursor, head, more: false, reset: false };
    }
    const own = this.#ownUpTo(cursor, head);
    if (own && !ahead) return own;
    return await readAfter(this.kv, cursor, heads);
  }

  /** The own batches that hold exactly what the log gained from `cursor` to `head`, if they do. */
  #ownUpTo(cursor: Cursor, head: Cursor): FeedRead | null {
    // Batches within the heads read (a commit is all within them or all after them).
    const inside = this.#own.filter(({ batch }) =>
      batch.changes.every((c) => c.seq <= (head[c.shard] ?? 0))
    );
    if (inside.length === 0) return null;
    const found: { vs: string; c: Change }[] = [];
    const reached = [...cursor];
    for (const { batch, versionstamp } of inside) {
      for (const c of batch.changes) {
        if (c.seq <= cursor[c.shard]) continue;
        if (c.seq !== reached[c.shard] + 1) return null; // a gap: someone else appended
        reached[c.shard] = c.seq;
        found.push({ vs: versionstamp, c });
      }
    }
    for (let s = 0; s < head.length; s++) if (reached[s] !== head[s]) return null;
    found.sort(byCommit);
    const written: WrittenRecords = { conversations: [], messages: [] };
    for (const { batch } of inside) {
      written.conversations.push(...batch.written.conversations);
      written.messages.push(...batch.written.messages);
    }
    this.#own = this.#own.filter((o) => !inside.includes(o));
    return {
      changes: found.map((f) => f.c),
      next: reached,
      head,
      more: false,
      reset: false,
      written,
    };
  }
}
