/**
 * Several KV handles on one local SQLite file (two instances of the app on
 * one machine, or the two-instance test) can fail a write with "database is
 * locked" (SQLITE_BUSY): Deno KV's SQLite backend does not wait for the
 * other handle's write to finish. A write that failed this way did not happen,
 * so trying it again is safe (an atomic operation re-runs its checks). This
 * module makes every KV write of the process do that, a bounded number of
 * times with a short random backoff, so such a collision never becomes a 500.
 * Deno Deploy's managed KV never says "database is locked"; there this is a
 * no-op.
 *
 * Installed once by lib/server.ts: `installSqliteBusyRetry()`.
 */

const ATTEMPTS = 20;

/**
 * True for SQLite's "database is locked" (or busy), which a local KV file
 * answers when another handle is writing at that moment: the write did not
 * happen, so it is a lost race like any other and may be tried again. The one
 * test for it: the engine's own retries (lib/store/engine/tx.ts) use it too.
 */
export function isStoreBusy(err: unknown): boolean {
  return err instanceof Error && /database is (locked|busy)|SQLITE_BUSY/i.test(err.message);
}

async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isStoreBusy(err) || attempt >= ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}

let installed = false;

/** Wraps the write methods of Deno.Kv and Deno.AtomicOperation (once per process). */
export function installSqliteBusyRetry(): void {
  if (installed) return;
  installed = true;
  const atomic = Deno.AtomicOperation.prototype;
  const commit = atomic.commit;
  atomic.commit = function (this: Deno.AtomicOperation) {
    return retrying(() => commit.call(this));
  };
  const kv = Deno.Kv.prototype;
  const set = kv.set;
  kv.set = function (this: Deno.Kv, ...args: Parameters<Deno.Kv["set"]>) {
    return retrying(() => set.apply(this, args));
  };
  const del = kv.delete;
  kv.delete = function (this: Deno.Kv, ...args: Parameters<Deno.Kv["delete"]>) {
    return retrying(() => del.apply(this, args));
  };
  const enqueue = kv.enqueue;
  kv.enqueue = function (this: Deno.Kv, ...args: Parameters<Deno.Kv["enqueue"]>) {
    return retrying(() => enqueue.apply(this, args));
  };
}
