/**
 * An engine attempt's writes, recorded before they become a KV atomic
 * operation: the checks, the mutations and the queue messages, plus the
 * records written (for this instance's own readers, lib/store/changes.ts
 * WrittenRecords). `mutate` (./tx.ts) turns it into one `kv.atomic()` with the
 * change-log entries; because the keys are known, the committer can tell
 * which attempts touch the same records.
 *
 * The methods mirror Deno.AtomicOperation's, so a build reads like one.
 */
import type { Conversation, Message } from "../../domain/engine_types.ts";
import type { WrittenRecords } from "../changes.ts";

/**
 * Search postings one op writes at most (./search_index.ts): a bot hand-off
 * appends up to 100 messages in one op, and Deno KV takes 1000 mutations.
 */
export const MAX_INDEX_WRITES = 400;

/** A queue message enqueued with the commit. */
interface Enqueued {
  value: unknown;
  options?: Parameters<Deno.AtomicOperation["enqueue"]>[1];
}

export class EngineOp {
  readonly checks: Deno.AtomicCheck[] = [];
  readonly mutations: Deno.KvMutation[] = [];
  readonly enqueued: Enqueued[] = [];
  readonly written: WrittenRecords = { conversations: [], messages: [] };
  /** Where each search-index key set by {@link index} sits in `mutations`. */
  readonly #indexed = new Map<string, number>();

  check(...checks: Deno.AtomicCheck[]): this {
    this.checks.push(...checks);
    return this;
  }

  set(key: Deno.KvKey, value: unknown, options?: { expireIn?: number }): this {
    this.mutations.push({ type: "set", key, value, ...options });
    return this;
  }

  /** Adds `n` to a KvU64 counter (metrics: ./metrics.ts); sums never conflict with each other. */
  sum(key: Deno.KvKey, n: bigint): this {
    this.mutations.push({ type: "sum", key, value: new Deno.KvU64(n) });
    return this;
  }

  /**
   * Sets a search-index key (./search_index.ts): a key set twice in one op
   * (a term in two messages of one hand-off) is written once, with the later
   * value; past {@link MAX_INDEX_WRITES} distinct keys the rest are left out
   * (false), so the index never makes a commit too big to land.
   */
  index(key: Deno.KvKey, value: unknown): boolean {
    const id = JSON.stringify(key);
    const at = this.#indexed.get(id);
    if (at !== undefined) {
      this.mutations[at] = { type: "set", key, value };
      return true;
    }
    if (this.#indexed.size >= MAX_INDEX_WRITES) return false;
    this.#indexed.set(id, this.mutations.length);
    this.mutations.push({ type: "set", key, value });
    return true;
  }

  delete(key: Deno.KvKey): this {
    this.mutations.push({ type: "delete", key });
    return this;
  }

  enqueue(value: unknown, options?: Enqueued["options"]): this {
    this.enqueued.push({ value, options });
    return this;
  }

  /**
   * Notes that this op writes this conversation or message record (called by
   * the one writer of each: writeConversation and appendToLog), so the
   * committing instance hands it to its own readers without reading it back.
   */
  noteWritten(record: { conversation: Conversation } | { message: Message }): void {
    if ("conversation" in record) {
      // A later write of the same conversation in one op replaces the earlier one.
      const list = this.written.conversations;
      const i = list.findIndex((c) => c.id === record.conversation.id);
      if (i >= 0) list[i] = record.conversation;
      else list.push(record.conversation);
    } else {
      this.written.messages.push(record.message);
    }
  }

  /** Adds everything recorded to `op` (a fresh `kv.atomic()`), in order; returns it. */
  applyTo(op: Deno.AtomicOperation): Deno.AtomicOperation {
    op.check(...this.checks);
    op.mutate(...this.mutations);
    for (const { value, options } of this.enqueued) op.enqueue(value, options);
    return op;
  }
}
