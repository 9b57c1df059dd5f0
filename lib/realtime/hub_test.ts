import assert from "node:assert/strict";
import {
  type Change,
  changeKey,
  readHead,
  withChanges,
  type WrittenRecords,
} from "../store/changes.ts";
import { Engine } from "../store/engine/engine.ts";
import { Hub } from "./hub.ts";

/**
 * Commits `n` changes through an instance (its KV handle and its engine
 * object's bell). `ring`: true rings the local bell (the hub reads the
 * log), "batch" hands it the committed batch as the engine does, false leaves
 * it to the watch.
 */
async function commitChange(
  { kv, changes: local }: Engine,
  n = 1,
  ring: boolean | "batch" = true,
): Promise<number> {
  for (;;) {
    const head = await readHead(kv);
    const { op, firstSeq, batch } = withChanges(
      kv.atomic(),
      head,
      Array.from({ length: n }, (_, i) => ({ type: "test.change", data: { i } })),
    );
    // Two SQLite handles writing at once may see "database is locked": try again.
    const result = await op.commit().catch((err) => {
      if (String(err).includes("locked")) return { ok: false as const };
      throw err;
    });
    if (result.ok) {
      if (ring === "batch") local.announce(batch, result.versionstamp);
      else if (ring) local.ring();
      return firstSeq + n - 1;
    }
  }
}

/** Collects what a subscriber receives; `until(seq)` resolves once it has seen `seq`. */
function collector() {
  const seqs: number[] = [];
  const resets: number[] = [];
  let waiters: { seq: number; resolve: () => void }[] = [];
  const check = () => {
    const last = Math.max(seqs.at(-1) ?? 0, resets.at(-1) ?? 0);
    waiters = waiters.filter((w) => (w.seq <= last ? (w.resolve(), false) : true));
  };
  return {
    seqs,
    resets,
    listener: {
      onChanges(changes: Change[]) {
        seqs.push(...changes.map((c) => c.seq));
        check();
      },
      onReset(head: number[]) {
        resets.push(head[0]); // the test's changes are about no conversation: all in shard 0
        check();
      },
    },
    until(seq: number) {
      return new Promise<void>((resolve) => {
        waiters.push({ seq, resolve });
        check();
      });
    },
  };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The cursor at `seq` of shard 0 (where changes about no conversation go), nothing elsewhere. */
const at = (hub: Hub, seq: number) => [seq, ...Array(hub.layout.shards - 1).fill(0)];

Deno.test("[realtime] hub delivers every change once, in order, live and from a cursor", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  const hub = new Hub(kv, engine.changes);
  try {
    await commitChange(engine, 3); // before the hub starts
    await hub.start();
    assert.deepEqual(hub.cursor, at(hub, 3));
    const live = collector();
    hub.subscribe(null, live.listener);
    const fromStart = collector();
    hub.subscribe(at(hub, 0), fromStart.listener);
    // Commits race the catch-up of `fromStart`.
    await Promise.all(range(1, 20).map(() => commitChange(engine, 1)));
    const resumed = collector();
    hub.subscribe(at(hub, 10), resumed.listener);
    await Promise.all([live.until(23), fromStart.until(23), resumed.until(23)]);
    assert.deepEqual(live.seqs, range(4, 23));
    assert.deepEqual(fromStart.seqs, range(1, 23));
    assert.deepEqual(resumed.seqs, range(11, 23));
    assert.deepEqual(fromStart.resets, []);
  } finally {
    await hub.close();
    kv.close();
  }
});

Deno.test("[realtime] hub sends a reset for a cursor the log no longer holds or never had", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  const hub = new Hub(kv, engine.changes);
  try {
    await commitChange(engine, 5);
    await kv.delete(changeKey(0, 1)); // expired
    await kv.delete(changeKey(0, 2));
    await hub.start();
    const old = collector();
    hub.subscribe(at(hub, 0), old.listener);
    const future = collector();
    hub.subscribe(at(hub, 99), future.listener);
    await Promise.all([old.until(5), future.until(5)]);
    assert.deepEqual(old.resets, [5]);
    assert.deepEqual(future.resets, [5]);
    await commitChange(engine, 1);
    await Promise.all([old.until(6), future.until(6)]);
    assert.deepEqual(old.seqs, [6], "after a reset only new changes follow");
    assert.deepEqual(future.seqs, [6]);
  } finally {
    await hub.close();
    kv.close();
  }
});

Deno.test("[realtime] hubs on two KV handles of one file each see every change (watch)", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const kvA = await Deno.openKv(path);
  const kvB = await Deno.openKv(path);
  const [ea, eb] = [new Engine(kvA), new Engine(kvB)];
  const hubA = new Hub(kvA, ea.changes);
  const hubB = new Hub(kvB, eb.changes);
  try {
    await hubA.start();
    await hubB.start();
    const a = collector();
    const b = collector();
    hubA.subscribe(null, a.listener);
    hubB.subscribe(null, b.listener);
    // Writers on both handles; without ringing the bell, only the watch wakes the hubs.
    await Promise.all([
      ...range(1, 10).map(() => commitChange(ea, 1, false)),
      ...range(1, 10).map(() => commitChange(eb, 2, true)),
    ]);
    await Promise.all([a.until(30), b.until(30)]);
    assert.deepEqual(a.seqs, range(1, 30));
    assert.deepEqual(b.seqs, range(1, 30));
  } finally {
    await hubA.close();
    await hubB.close();
    kvA.close();
    kvB.close();
    await Deno.remove(path).catch(() => {});
  }
});

Deno.test("[realtime] own commits go out from the bell, in order with changes other instances committed first", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const kvA = await Deno.openKv(path);
  const kvB = await Deno.openKv(path);
  const [ea, eb] = [new Engine(kvA), new Engine(kvB)];
  const prepared: { seqs: number[]; written: WrittenRecords | undefined }[] = [];
  let gate: Promise<void> | null = null;
  let entered = () => {};
  const hub = new Hub(kvA, ea.changes, async (changes, written) => {
    prepared.push({ seqs: changes.map((c) => c.seq), written });
    entered();
    await gate;
  });
  try {
    await hub.start();
    const got = collector();
    hub.subscribe(null, got.listener);

    // An own batch is dispatched with what it wrote, without a log read. (Taken while the hub
    // is busy, so the bell's batch is what the hub finds next: a watch that fires before the
    // commit's promise resolves would otherwise make the hub read the log first.)
    let open = () => {};
    gate = new Promise((resolve) => open = resolve);
    const busy = new Promise<void>((resolve) => entered = resolve);
    await commitChange(eb, 1, false); // seq 1: from the log; the hub stops in prepare
    await busy;
    await commitChange(ea, 2, "batch"); // seqs 2, 3: handed over by the bell
    gate = null;
    open();
    await got.until(3);
    assert.deepEqual(prepared, [
      { seqs: [1], written: undefined },
      { seqs: [2, 3], written: { conversations: [], messages: [] } },
    ]);

    // While the hub is busy with seq 4, another instance commits seq 5 and this one seq 6:
    // the own batch after the gap must wait for seq 5 (read from the log), never jump ahead.
    gate = new Promise((resolve) => open = resolve);
    await commitChange(ea, 1, "batch"); // seq 4: the hub stops in prepare
    await commitChange(eb, 1, false); // seq 5: only the log knows it
    await commitChange(ea, 1, "batch"); // seq 6
    gate = null;
    open();
    await got.until(6);
    assert.deepEqual(got.seqs, range(1, 6));

    // Both at once, many times: every change once, in seq order.
    await Promise.all([
      ...range(1, 30).map(() => commitChange(ea, 1, "batch")),
      ...range(1, 30).map(() => commitChange(eb, 2, false)),
    ]);
    await got.until(96);
    assert.deepEqual(got.seqs, range(1, 96));
    assert.deepEqual(got.resets, []);
  } finally {
    await hub.close();
    kvA.close();
    kvB.close();
    await Deno.remove(path).catch(() => {});
  }
});
