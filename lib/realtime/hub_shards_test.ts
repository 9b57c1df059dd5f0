import assert from "node:assert/strict";
import { type Change, readHead, withChanges } from "../store/changes.ts";
import { changeLayout, covers } from "../store/change_shards.ts";
import { Engine } from "../store/engine/engine.ts";
import { allChanges } from "../store/engine/test_util.ts";
import { Hub } from "./hub.ts";

/** Commits one change about `conversationId` through an instance (retrying lost races). */
async function commitAbout(engine: Engine, conversationId: string, ring: boolean) {
  const { kv, changes: local } = engine;
  for (;;) {
    const head = await readHead(kv);
    const { op, batch } = withChanges(kv.atomic(), head, [{ type: "test.change", conversationId }]);
    const result = await op.commit();
    if (!result.ok) continue;
    if (ring) local.announce(batch, result.versionstamp);
    return;
  }
}

/** Collects "shard:seq" as received; `until(cursor)` resolves once it has passed `cursor`. */
function collector() {
  const got: string[] = [];
  const cursor: number[] = [];
  let waiters: { target: number[]; resolve: () => void }[] = [];
  const check = () => {
    waiters = waiters.filter((w) => (covers(cursor, w.target) ? (w.resolve(), false) : true));
  };
  return {
    got,
    resets: 0,
    listener: {
      onChanges(changes: Change[]) {
        for (const c of changes) {
          got.push(`${c.shard}:${c.seq}`);
          cursor[c.shard] = c.seq;
        }
        check();
      },
      onReset() {
        throw new Error("no reset expected");
      },
    },
    until(target: number[]) {
      return new Promise<void>((resolve) => {
        waiters.push({ target, resolve });
        check();
      });
    },
  };
}

const conversations = Array.from({ length: 12 }, (_, i) => `conv-${i}`);

Deno.test("[realtime] resume from a mixed cursor: every change after it once, in commit order, while two instances commit", async () => {
  const kv = await Deno.openKv(":memory:");
  await changeLayout(kv, 8);
  const [a, b] = [new Engine(kv), new Engine(kv)];
  const hub = new Hub(kv, a.changes);
  try {
    await hub.start();
    const everything = collector();
    const sub = hub.subscribe(null, everything.listener);
    for (let i = 0; i < 24; i++) await commitAbout(a, conversations[i % 12], true);
    await everything.until((await readHead(kv)).cursor);
    const mixed = [...sub.cursor];
    assert.ok(new Set(mixed).size > 1, `a cursor with different seqs per shard: ${mixed}`);

    // Both instances commit (A through its bell, B heard only by the watch) while a
    // subscriber resumes from the mixed cursor.
    const racing = Promise.all([
      ...conversations.map((id) => commitAbout(a, id, true)),
      ...conversations.map((id) => commitAbout(b, id, false)),
    ]);
    const resumed = collector();
    hub.subscribe(mixed, resumed.listener);
    await racing;
    const head = (await readHead(kv)).cursor;
    await Promise.all([everything.until(head), resumed.until(head)]);

    const log = (await allChanges(kv)).map((c) => `${c.shard}:${c.seq}`);
    const after = (await allChanges(kv)).filter((c) => c.seq > mixed[c.shard])
      .map((c) => `${c.shard}:${c.seq}`);
    assert.equal(after.length, 24);
    assert.deepEqual(resumed.got, after, "from the mixed cursor: each change once, in order");
    assert.deepEqual(everything.got, log, "live from the start: each change once, in order");
  } finally {
    await hub.close();
    kv.close();
  }
});

Deno.test("[realtime] an old single-number cursor resumes shard 0 and takes every other shard from the start", async () => {
  const kv = await Deno.openKv(":memory:");
  await changeLayout(kv, 4);
  const engine = new Engine(kv);
  const hub = new Hub(kv, engine.changes);
  try {
    await hub.start();
    for (const id of conversations) await commitAbout(engine, id, true);
    const got = collector();
    hub.subscribe([0], got.listener); // "0": the beginning, as a client from before would send
    await got.until((await readHead(kv)).cursor);
    assert.deepEqual(got.got, (await allChanges(kv)).map((c) => `${c.shard}:${c.seq}`));
  } finally {
    await hub.close();
    kv.close();
  }
});
