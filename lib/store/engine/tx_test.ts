import assert from "node:assert/strict";
import { readChangesSince, readHead, withChanges } from "../changes.ts";
import { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { mutate } from "./tx.ts";

/** One engine-style change: a record and its change-log entry in one commit. */
const note = (engine: Engine, label: string) =>
  mutate(engine, () =>
    Promise.resolve({
      op: new EngineOp().set(["notes", label], label),
      changes: [{ type: "test.note", data: { label } }],
      value: label,
    }));

Deno.test("[engine] commits skip the head read while this process moved it last, and recover when another did", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const kvA = await Deno.openKv(path);
  const kvB = await Deno.openKv(path);
  const a = new Engine(kvA);
  try {
    await note(a, "a1");
    await note(a, "a2");
    assert.deepEqual(a.changes.knownHead(), await readHead(kvA), "the head as A's commit left it");

    // Another instance moves the head: A's remembered head is stale, its next commit must
    // still land, with the next seq, and nothing may be lost or numbered twice.
    const head = await readHead(kvB);
    const { op } = withChanges(kvB.atomic(), head, [{ type: "test.note", data: { label: "b1" } }]);
    assert.equal((await op.commit()).ok, true);
    await note(a, "a3");
    await Promise.all([note(a, "a4"), note(a, "a5")]);

    const { changes, reset } = await readChangesSince(kvA, (await readHead(kvA)).cursor.fill(0));
    assert.equal(reset, false);
    assert.deepEqual(changes.map((c) => c.seq), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(changes.map((c) => c.data?.label), ["a1", "a2", "b1", "a3", "a4", "a5"]);
    for (const label of ["a1", "a2", "a3", "a4", "a5"]) {
      assert.equal((await kvA.get(["notes", label])).value, label);
    }
    assert.deepEqual(a.changes.knownHead(), await readHead(kvA));
  } finally {
    kvA.close();
    kvB.close();
    await Deno.remove(path).catch(() => {});
  }
});
