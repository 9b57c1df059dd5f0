/**
 * How every engine state change commits: one atomic operation that checks
 * what it depends on, writes the records and their indexes, and appends its
 * change-log entries (lib/store/changes.ts) by checking and bumping the change
 * head. Because the head is checked too, a commit only lands when nothing
 * changed since the attempt read the head; a lost race re-reads and retries.
 * Attempts wait in the engine's commit queue, where messages arriving while a
 * commit is in flight are committed together (./commit_queue.ts).
 */
import { AppError } from "../../errors.ts";
import type { CommittedBatch } from "../changes.ts";
import { isStoreBusy } from "../sqlite_busy.ts";
import type { Plan } from "./commit_queue.ts";
import type { Engine } from "./engine.ts";
import type { AttemptReads } from "./entry_cache.ts";

export { MAX_ATTEMPTS, type Plan } from "./commit_queue.ts";

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
 * Runs `build` (which reads, checks the rules and fills an EngineOp) until
 * its commit lands, and resolves with its plan's value then. Errors thrown by
 * `build` (typed 4xx) stop at once. `build` only reads: it must never call
 * `mutate` itself (it runs in its turn, and would wait for itself).
 *
 * What `build` reads through `reads` (./entry_cache.ts) may come from memory
 * on the first attempt, and is checked in the commit, so a stale entry only
 * costs a failed commit; a refusal or a plan without `op` decided on
 * remembered entries is confirmed on fresh reads before it counts.
 *
 * With `group`, the attempt may be committed together with others waiting at
 * the same moment (./commit_queue.ts): only for builds that read everything
 * they decide on through `reads` (customer and staff messages).
 */
export function mutate<T>(
  engine: Engine,
  build: (reads: AttemptReads) => Promise<Plan<T>>,
  options: { group?: boolean } = {},
): Promise<T> {
  return engine.commits.submit(build, options.group === true);
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
