/**
 * What one process knows of the change log beyond KV (./changes.ts): the
 * newest heads it saw, and the local doorbell its own commits ring, so its
 * own readers need not wait for `kv.watch` or read back what it just wrote.
 */
import { keys } from "./keys.ts";
import type { ChangeLayout } from "./change_shards.ts";
import { ChangeHeads, type CommittedBatch } from "./changes.ts";

/** The bell's event: `batch` is what the commit added, when the committer hands it over. */
export class ChangeBellEvent extends Event {
  constructor(
    readonly batch: CommittedBatch | null,
    /** The batch's commit (orders it among the log's entries). */
    readonly versionstamp: string | null = null,
  ) {
    super("change");
  }
}

/**
 * What this process knows of the change log beyond KV, for one store (held by
 * the engine object, lib/store/engine/engine.ts): the newest head it saw of
 * each shard, and its local doorbell, which the committing instance rings at
 * once so its own hub need not wait for `kv.watch`.
 */
export class LocalChanges {
  #known = new Map<number, Deno.KvEntryMaybe<number>>();
  #layout: ChangeLayout | null = null;
  /** Rung with a {@link ChangeBellEvent} after every local commit that added changes. */
  readonly bell = new EventTarget();

  /**
   * The newest heads this process knows of every shard (its own last commits
   * left them, or the hub's watch saw them), or null when one is unknown. A
   * guess that saves a read: a commit that checks them fails if anyone has
   * bumped one since (then call {@link forgetHead} and read them).
   */
  knownHead(): ChangeHeads | null {
    const layout = this.#layout;
    if (!layout) return null;
    const entries: Deno.KvEntryMaybe<number>[] = [];
    for (let s = 0; s < layout.shards; s++) {
      const entry = this.#known.get(s);
      if (!entry) return null;
      entries.push(entry);
    }
    return new ChangeHeads(layout, entries);
  }

  /** The known head of one shard, if any. */
  knownShard(shard: number): Deno.KvEntryMaybe<number> | undefined {
    return this.#known.get(shard);
  }

  /**
   * Heads seen elsewhere (a snapshot read, the hub's watch): each remembered
   * when it is newer than the known one.
   */
  learnHead(seen: ChangeHeads | Deno.KvEntryMaybe<number>): void {
    if (seen instanceof ChangeHeads) {
      this.#layout = seen.layout;
      for (const entry of seen.entries) this.learnHead(entry);
      return;
    }
    const shard = seen.key[1];
    if (typeof shard !== "number" || seen.key[0] !== "change_heads") return;
    const known = this.#known.get(shard);
    if (seen.versionstamp === null) {
      if (!known) this.#known.set(shard, seen); // nothing appended there yet
      return;
    }
    if (typeof seen.value !== "number") return;
    if (known?.versionstamp && known.versionstamp >= seen.versionstamp) return;
    this.#known.set(shard, seen);
  }

  forgetHead(): void {
    this.#known.clear();
  }

  /**
   * Call after a successful commit of `batch` (from {@link withChanges}):
   * remembers the heads it left and rings the local bell with the batch.
   */
  announce(batch: CommittedBatch, versionstamp: string): void {
    for (const [shard, value] of Object.entries(batch.heads)) {
      const s = Number(shard);
      this.#known.set(s, { key: keys.changeHead(s), value, versionstamp });
    }
    this.ring(batch, versionstamp);
  }

  /**
   * Call after a successful commit that added changes (or use
   * {@link announce}). With its `batch` (from {@link withChanges}) and the
   * commit's versionstamp, this instance's readers take the changes and the
   * records as committed instead of reading them back from KV. Without it,
   * the heads this process knew are forgotten too (the commit moved one).
   */
  ring(batch: CommittedBatch | null = null, versionstamp: string | null = null): void {
    if (!batch) this.forgetHead();
    this.bell.dispatchEvent(
      new ChangeBellEvent(batch && versionstamp ? batch : null, versionstamp),
    );
  }
}
