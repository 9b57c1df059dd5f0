/**
 * How every engine state change commits: one atomic operation that checks
 * what it depends on, writes the records and their indexes, and appends its
 * change-log entries (lib/store/changes.ts) by checking and bumping the change
 * head. Because the head is checked too, a commit only lands when nothing
 * changed since the attempt read the head; a lost race re-reads and retries.
 */
import { AppError, conflict } from "../../errors.ts";
import { type CommittedBatch, type NewChange, readHead, withChanges } from "../changes.ts";
import { isStoreBusy } from "../sqlite_busy.ts";
import type { Engine } from "./engine.ts";
import { AttemptReads } from "./entry_cache.ts";
import type { EngineOp } from "./op.ts";

/** What one attempt wants to commit. Without `op`, nothing is written and `value` is returned. */
export interface Plan<T> {
  op?: EngineOp;
  changes?: NewChange[];
  value: T;
}

/** Attempts before giving up with a 409 `busy`. */
export const MAX_ATTEMPTS = 1000;

/**
 * Runs `fn` when this process's previous engine attempt on `kv` is done: one
 * read-decide-commit attempt at a time per process. Every commit bumps the
 * one change head, so concurrent attempts in one process would mostly undo
 * each other; taking turns leaves lost races to other instances (and other
 * modules' writers), where the checks and retries still decide.
 */
export function inTurn<T>(engine: Engine, fn: () => Promise<T>): Promise<T> {
  return engine.turns.run(fn);
}

/**
 * Runs `build` (which reads, checks the rules and fills an atomic op) until
 * its commit lands. Errors thrown by `build` (typed 4xx) stop at once.
 * `build` only reads: it must never call `mutate` itself (it runs in its
 * turn, and would wait for itself).
 *
 * What `build` reads through `reads` (./entry_cache.ts) may come from memory
 * on the first attempt, and is checked in the commit here, so a stale entry
 * only costs a failed commit; a refusal or a plan without `op` decided on
 * remembered entries is confirmed on fresh reads before it counts.
 */
export async function mutate<T>(
  engine: Engine,
  build: (reads: AttemptReads) => Promise<Plan<T>>,
): Promise<T> {
  const { kv, changes: local } = engine;
  let useCache = true;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const reads = new AttemptReads(kv, engine.entries, useCache);
    useCache = false;
    const outcome = await inTurn(engine, async (): Promise<{ done: boolean; value?: T }> => {
      try {
        // The head this process's last commit left saves a read; if anyone moved it since,
        // the commit's head check fails and the next attempt reads it.
        const head = local.knownHead() ?? await readHead(kv);
        const plan = await build(reads);
        if (!plan.op) return reads.usedCache ? { done: false } : { done: true, value: plan.value };
        const op = plan.op.applyTo(kv.atomic());
        for (const entry of reads.entries) op.check(entry);
        const { batch } = withChanges(op, head, plan.changes ?? [], plan.op.written);
        const result = await op.commit();
        if (!result.ok) {
          local.forgetHead();
          reads.forgetRemembered();
          return { done: false };
        }
        // Still in turn: this process's commits reach its hub in commit order.
        landed(engine, batch, result.versionstamp);
        return { done: true, value: plan.value };
      } catch (err) {
        if (reads.usedCache && err instanceof AppError) return { done: false }; // confirm it
        if (!isStoreBusy(err)) throw err;
        local.forgetHead();
        return { done: false };
      }
    });
    if (outcome.done) return outcome.value as T;
    if (reads.usedCache) continue; // at once, on fresh reads
    // Lost a race (every commit bumps the one change head, so most losses are
    // unrelated changes): retry soon, with a little jitter so contenders spread.
    // (lib/store/changes.ts retryCommit backs off up to 50 ms, which under ten
    // concurrent writers cut throughput several-fold; see bench/engine_bench.ts.)
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(10, attempt)));
  }
  throw conflict("busy", "Too many changes at the same moment; try again.");
}

/**
 * After an engine commit of `batch` landed: remember the records it wrote
 * (./entry_cache.ts), and announce it (the known head, the local bell).
 */
export function landed(engine: Engine, batch: CommittedBatch, versionstamp: string): void {
  engine.entries.rememberWritten(batch.written, versionstamp);
  engine.changes.announce(batch, versionstamp);
}

/** Runs a plain write (no checks), retrying while the local KV file is busy. */
export async function writeRetrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isStoreBusy(err) || attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10));
    }
  }
}

/** A typed error from a pure-rule refusal. */
export function refusalError(r: { status: 403 | 409; code: string; message: string }): AppError {
  return new AppError(r.status, r.code, r.message);
}
