/**
 * Group commit: the engine's attempts wait in one queue per process, and
 * while one commit is in flight the attempts that arrive meanwhile gather, to
 * be built and committed together in ONE atomic operation (one head bump, one
 * round trip to the store) instead of one after another. Under load this is
 * what keeps a stalled commit from queueing every message behind it.
 *
 * The rules stay each attempt's own: every attempt reads, decides and fills
 * its own EngineOp as if alone; the group is formed afterwards, and only of
 * attempts that touch different keys (what they read, checked or wrote). An
 * attempt whose keys meet an earlier one's waits for the next group, as does
 * everything after it that meets its keys, so per-conversation order holds,
 * a repeated clientId is decided on the first one's result, and capacity and
 * assignee rules are decided on records no one else in the group writes.
 * Only attempts that read everything through `reads` (customer and staff
 * messages: `mutate(..., { group: true })`) may join a group; every other
 * attempt commits alone, in its place in the queue.
 *
 * A group stays within Deno KV's limits for one atomic operation
 * (./commit_size.ts). A group whose commit fails is tried again on
 * fresh reads; when the head it checked had not moved (so some attempt's own
 * check failed), the next group takes only half of it, down to one attempt,
 * and an attempt that fails alone goes behind the others waiting: one bad
 * attempt never fails its neighbours for long. Each attempt is acknowledged
 * (its promise settles) only after its own group's commit.
 *
 * Change-log heads (../changes.ts): a group of messages checks and bumps only
 * the heads of the shards its changes go to (its reads are all checked), so
 * instances committing messages of conversations in different shards never
 * conflict. An attempt that commits alone checks every shard's head, read
 * before it builds, as the single head did: it lands only if nothing was
 * appended anywhere meanwhile, so what it read without checking still holds.
 */
import { AppError, conflict } from "../../errors.ts";
import {
  appendChanges,
  type ChangeHeads,
  type CommittedBatch,
  type NewChange,
  readHead,
  readShardHeads,
  shardsOf,
  type WrittenRecords,
} from "../changes.ts";
import { changeLayout } from "../change_shards.ts";
import type { LocalChanges } from "../local_changes.ts";
import { isStoreBusy } from "../sqlite_busy.ts";
import { type Cost, fitsTogether, keyId, keysOf, NO_COST, sizeOfAttempt } from "./commit_size.ts";
import { AttemptReads, type EntryCache } from "./entry_cache.ts";
import type { EngineOp } from "./op.ts";

/** What one attempt wants to commit. Without `op`, nothing is written and `value` is returned. */
export interface Plan<T> {
  op?: EngineOp;
  changes?: NewChange[];
  value: T;
}

/** Attempts (failed commits or fresh-read confirmations) before giving up with a 409 `busy`. */
export const MAX_ATTEMPTS = 1000;
/**
 * Times an attempt that lost its commit alone is retried in its place (ahead of later attempts of
 * its conversation) before it goes behind the others waiting.
 */
const ALONE_LOSSES_IN_PLACE = 3;

/** At most this many attempts in one group. */
export const MAX_GROUP = 64;

/** One read-decide-commit at a time per process (see ./tx.ts `inTurn`). */
export class Turns {
  #last: Promise<unknown> = Promise.resolve();

  /** Runs `fn` when the previous turn is done (whether it succeeded or not). */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#last.then(fn, fn);
    this.#last = run.catch(() => {});
    return run;
  }
}

/** What the queue needs of the engine object (./engine.ts). */
export interface CommitParts {
  kv: Deno.Kv;
  turns: Turns;
  changes: LocalChanges;
  entries: EntryCache;
}

interface Pending {
  build: (reads: AttemptReads) => Promise<Plan<unknown>>;
  group: boolean;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  attempts: number;
  /** Commits it lost on its own (see {@link ALONE_LOSSES_IN_PLACE}). */
  aloneLosses: number;
  useCache: boolean;
}

/** What one attempt's build came to. */
type Built =
  | { kind: "fail"; error: unknown }
  /** Decided on remembered entries, or the store was busy: build again on fresh reads. */
  | { kind: "again"; keys: Set<string> }
  | { kind: "done"; value: unknown; keys: Set<string> }
  | { kind: "write"; plan: Plan<unknown>; reads: AttemptReads; keys: Set<string>; cost: Cost };

/** Runs the engine's attempts in groups (one per engine object: ./engine.ts). */
export class CommitQueue {
  #queue: Pending[] = [];
  #draining = false;
  #limit: number;
  /**
   * Commits tried, those that failed (a moved head or record, or the store busy), and of
   * those the ones the local store refused as busy (SQLite's one writer; benchmarks, tests).
   */
  readonly stats = { commits: 0, failed: 0, busy: 0 };

  constructor(private readonly parts: CommitParts, readonly maxGroup = MAX_GROUP) {
    this.#limit = maxGroup;
  }

  /**
   * Runs `build` until its commit lands (in a group when `group` is set and
   * others are waiting); resolves with its plan's value once committed.
   */
  submit<T>(build: (reads: AttemptReads) => Promise<Plan<T>>, group: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        build,
        group,
        resolve: resolve as (value: unknown) => void,
        reject,
        attempts: 0,
        aloneLosses: 0,
        useCache: true,
      });
      if (!this.#draining) this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    let lost = 0;
    try {
      while (this.#queue.length > 0) {
        const group = this.#takeGroup();
        const landed = await this.parts.turns.run(() => this.#run(group)).catch((err) => {
          // Never expected (#run settles its attempts itself): fail this group's attempts with
          // the error rather than leave them waiting, and go on with the others.
          for (const item of group) item.reject(err);
          return true;
        });
        lost = landed ? 0 : lost + 1;
        // Lost races in a row (other instances): spread out a little before the next go.
        if (lost > 1) await new Promise((r) => setTimeout(r, Math.random() * Math.min(10, lost)));
      }
    } finally {
      this.#draining = false;
    }
  }

  /** The next group: the first attempt, and the groupable ones right after it. */
  #takeGroup(): Pending[] {
    const first = this.#queue.shift()!;
    const group = [first];
    if (!first.group) return group;
    while (
      group.length < this.#limit && this.#queue.length > 0 && this.#queue[0].group
    ) group.push(this.#queue.shift()!);
    return group;
  }

  /** Builds and commits one group; false when its commit lost a race. */
  async #run(group: Pending[]): Promise<boolean> {
    const { kv, changes: local } = this.parts;
    /** An attempt alone (not a message) checks every head, as read before it builds. */
    let heads: ChangeHeads | null = null;
    try {
      if (!group[0].group) {
        // The heads this process's last commits left save a read; if anyone moved one since,
        // the commit's head check fails and the next attempt reads them.
        heads = local.knownHead();
        if (!heads) {
          heads = await readHead(kv);
          local.learnHead(heads);
        }
      }
    } catch (err) {
      if (!isStoreBusy(err)) {
        for (const item of group) item.reject(err);
        return true;
      }
      this.#queue.unshift(...group);
      return false;
    }
    // An attempt alone meets no one and always fits: its keys and size are not worked out.
    const alone = group.length === 1;
    const built = await Promise.all(group.map((item) => this.#build(item, !alone)));

    // Form the commit: in queue order, each write whose keys meet no earlier one's.
    const taken = new Set<string>();
    const waiting = new Set<string>();
    const meets = (keys: Set<string>) => {
      for (const k of keys) if (taken.has(k) || waiting.has(k)) return true;
      return false;
    };
    let total: Cost = NO_COST;
    const writes: { item: Pending; plan: Plan<unknown>; reads: AttemptReads }[] = [];
    const noOps: { item: Pending; value: unknown }[] = [];
    const again: Pending[] = [];
    group.forEach((item, i) => {
      const b = built[i];
      if (b.kind === "fail") return item.reject(b.error);
      const wait = () => {
        for (const k of b.keys) waiting.add(k);
        again.push(item);
      };
      if (b.kind === "again") return wait();
      if (meets(b.keys)) return wait();
      if (b.kind === "done") {
        // Nothing to write: settled with the group, in order (its keys stay free).
        noOps.push({ item, value: b.value });
        return;
      }
      const together = fitsTogether(total, b.cost);
      if (writes.length > 0 && !together) return wait();
      for (const k of b.keys) taken.add(k);
      total = together ?? total;
      writes.push({ item, plan: b.plan, reads: b.reads });
    });

    let landed = true;
    if (writes.length > 0) {
      const outcome = await this.#commit(heads, writes);
      if (typeof outcome === "object") {
        writes[0].item.reject(outcome.error); // alone, and the store refused it outright
      } else if (outcome === "landed") {
        this.#limit = this.maxGroup;
        for (const w of writes) w.item.resolve(w.plan.value);
      } else {
        landed = false;
        local.forgetHead();
        for (const w of writes) w.reads.forgetRemembered();
        if (writes.length > 1 && outcome === "own check") {
          // Some attempt's own check failed: try smaller groups until it is alone.
          this.#limit = Math.max(1, Math.floor(writes.length / 2));
        }
        for (const w of writes) {
          w.item.useCache = false;
          if (++w.item.attempts >= MAX_ATTEMPTS) {
            w.item.reject(conflict("busy", "Too many changes at the same moment; try again."));
          } else if (writes.length > 1) again.push(w.item);
          // Alone and lost: a lost race (its next attempt reads afresh) keeps its place, so the
          // messages queued after it in its conversation stay after it. Only one that keeps
          // losing alone goes behind the others waiting, so a hopeless one holds no one up.
          else if (++w.item.aloneLosses <= ALONE_LOSSES_IN_PLACE) again.push(w.item);
          else this.#queue.push(w.item);
        }
      }
    }
    for (const n of noOps) n.item.resolve(n.value);
    // Back to the front, in their queue order (per-conversation order).
    again.sort((a, b) => group.indexOf(a) - group.indexOf(b));
    this.#queue.unshift(...again);
    return landed;
  }

  /**
   * Runs one attempt's build (it only reads) and, when it shares a group
   * (`sized`), the keys it meets and what it would write.
   */
  async #build(item: Pending, sized: boolean): Promise<Built> {
    const reads = new AttemptReads(this.parts.kv, this.parts.entries, item.useCache);
    const readKeys = () => sized ? keysOf(reads.entries) : new Set<string>();
    try {
      const plan = await item.build(reads);
      if (!plan.op) {
        if (reads.usedCache) {
          item.useCache = false;
          return { kind: "again", keys: readKeys() };
        }
        return { kind: "done", value: plan.value, keys: readKeys() };
      }
      if (!sized) return { kind: "write", plan, reads, keys: new Set(), cost: NO_COST };
      return { kind: "write", plan, reads, ...sizeOfAttempt(reads.entries, plan.op, plan.changes) };
    } catch (err) {
      if (reads.usedCache && err instanceof AppError) {
        // A refusal decided on remembered entries: confirm it on fresh reads.
        item.useCache = false;
        return { kind: "again", keys: readKeys() };
      }
      if (!isStoreBusy(err)) return { kind: "fail", error: err };
      if (++item.attempts >= MAX_ATTEMPTS) {
        return { kind: "fail", error: conflict("busy", "Too many changes at the same moment.") };
      }
      return { kind: "again", keys: readKeys() };
    }
  }

  /**
   * Commits the writes as one atomic operation with their changes: after
   * `heads` (checking all of them) for an attempt alone, else after the heads
   * of the shards the changes go to.
   */
  async #commit(
    heads: ChangeHeads | null,
    writes: { plan: Plan<unknown>; reads: AttemptReads }[],
  ): Promise<"landed" | "head moved" | "own check" | { error: unknown }> {
    const { kv, changes: local } = this.parts;
    const op = kv.atomic();
    const checked = new Set<string>();
    const changes: NewChange[] = [];
    const written: WrittenRecords = { conversations: [], messages: [] };
    let used = new Map<number, Deno.KvEntryMaybe<number>>();
    let batch: CommittedBatch;
    this.stats.commits++;
    try {
      for (const { plan, reads } of writes) {
        plan.op!.applyTo(op);
        for (const entry of reads.entries) {
          const id = `${keyId(entry.key)} ${entry.versionstamp}`;
          if (checked.has(id)) continue;
          checked.add(id);
          op.check(entry);
        }
        changes.push(...plan.changes ?? []);
        written.conversations.push(...plan.op!.written.conversations);
        written.messages.push(...plan.op!.written.messages);
      }
      const layout = await changeLayout(kv);
      if (heads) {
        heads.entries.forEach((e, s) => used.set(s, e));
      } else {
        const touched = shardsOf(changes, layout);
        const missing = touched.filter((s) => !local.knownShard(s));
        used = missing.length ? await readShardHeads(kv, missing) : used;
        for (const s of touched) if (!used.has(s)) used.set(s, local.knownShard(s)!);
        for (const s of missing) local.learnHead(used.get(s)!);
      }
      batch = appendChanges(op, layout, (s) => used.get(s)!, changes, written, used.keys()).batch;
      const result = await op.commit();
      if (result.ok) {
        // Still in turn: this process's commits reach its hub in commit order.
        this.parts.entries.rememberWritten(batch.written, result.versionstamp);
        local.announce(batch, result.versionstamp);
        return "landed";
      }
    } catch (err) {
      this.stats.failed++;
      // A busy local file is a lost race; a group the store refused (over a limit we misjudged,
      // or one attempt's bad write) is split until the culprit is alone.
      if (isStoreBusy(err)) {
        this.stats.busy++;
        return "head moved";
      }
      return writes.length === 1 ? { error: err } : "own check";
    }
    this.stats.failed++;
    const shards = [...used.keys()];
    const now = await readShardHeads(kv, shards).catch(() => null);
    if (!now) return "head moved";
    const moved = shards.some((s) => now.get(s)?.versionstamp !== used.get(s)?.versionstamp);
    return moved ? "head moved" : "own check";
  }
}
