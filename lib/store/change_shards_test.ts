import assert from "node:assert/strict";
import {
  changeLayout,
  encodeCursor,
  parseCursorText,
  resolveCursor,
  shardOf,
} from "./change_shards.ts";
import { readHead } from "./changes.ts";
import { Engine } from "./engine/engine.ts";
import { EngineOp } from "./engine/op.ts";
import { customerSays } from "./engine/test_util.ts";
import { mutate } from "./engine/tx.ts";

Deno.test("[changes] cursor text: one seq per shard; a single number from before the shards", () => {
  assert.deepEqual(parseCursorText("12.0.7.3"), [12, 0, 7, 3]);
  assert.deepEqual(parseCursorText(" 42 "), [42]);
  assert.equal(parseCursorText(""), null);
  assert.equal(parseCursorText(null), null);
  for (const bad of ["abc", "1..2", "1.2.", "-1", "1.x", "1".repeat(16)]) {
    assert.equal(parseCursorText(bad), "invalid", bad);
  }
  const layout = { shards: 4, legacyHead: 50 };
  assert.deepEqual(resolveCursor([12, 0, 7, 3], layout), [12, 0, 7, 3]);
  assert.deepEqual(resolveCursor([42], layout), [42, 0, 0, 0], "an old cursor is shard 0's seq");
  assert.equal(resolveCursor([51], layout), null, "never handed out: above the old head");
  assert.equal(resolveCursor([1, 2], layout), null, "another shard count");
  assert.deepEqual(resolveCursor([7], { shards: 1, legacyHead: 0 }), [7], "one shard: a number");
  assert.equal(encodeCursor([12, 0, 7, 3]), "12.0.7.3");
  assert.equal(shardOf(undefined, 8), 0, "changes about no conversation go to shard 0");
  assert.equal(shardOf("conv-a", 8), shardOf("conv-a", 8), "a conversation keeps its shard");
});

/** Ten visitors' chats (one engine), as { visitor, conversationId, shard }. */
async function tenChats(engine: Engine) {
  const { shards } = await changeLayout(engine.kv);
  const chats = [];
  for (let i = 0; i < 10; i++) {
    const visitor = `v-${i}-${crypto.randomUUID()}`;
    const { conversation } = await customerSays(engine, "hello", visitor);
    chats.push({
      visitor,
      conversationId: conversation.id,
      shard: shardOf(conversation.id, shards),
    });
  }
  return chats;
}

Deno.test("[changes] messages in different shards never conflict on a head; in one shard they do", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await changeLayout(kv, 8);
    // Two instances on one store: neither hears the other (no hub), each remembers its heads.
    const a = new Engine(kv);
    const b = new Engine(kv);
    const chats = await tenChats(a);
    const apart = chats.flatMap((x) =>
      chats.filter((y) => y.shard !== x.shard).map((y) => [x, y])
    )[0];
    const together = chats.flatMap((x) =>
      chats.filter((y) => y !== x && y.shard === x.shard).map((y) => [x, y])
    )[0];
    assert.ok(apart && together, "ten chats in eight shards: both kinds of pair");

    for (const [pair, conflicts] of [[apart, false], [together, true]] as const) {
      const [x, y] = pair;
      await customerSays(a, "one", x.visitor); // A knows x's shard head as it left it
      const failedBefore = a.commits.stats.failed;
      await customerSays(b, "meanwhile", y.visitor); // B appends to y's shard
      await customerSays(a, "two", x.visitor);
      const failed = a.commits.stats.failed - failedBefore;
      if (conflicts) assert.ok(failed >= 1, "same shard: A's remembered head was stale");
      else assert.equal(failed, 0, "different shards: A's commit landed at once");
    }
    // Every message landed, each once.
    const head = await readHead(kv);
    const total = head.cursor.reduce((sum, seq) => sum + seq, 0);
    assert.ok(total > 0);
  } finally {
    kv.close();
  }
});

Deno.test("[changes] an attempt that commits alone still checks every shard's head", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await changeLayout(kv, 8);
    const a = new Engine(kv);
    const b = new Engine(kv);
    const note = (engine: Engine, label: string) =>
      mutate(engine, () =>
        Promise.resolve({
          op: new EngineOp().set(["notes", label], label),
          changes: [{ type: "test.note", data: { label } }],
          value: label,
        }));
    await note(a, "a1"); // A remembers every head
    await tenChats(b); // B appends to conversations' shards
    const failedBefore = a.commits.stats.failed;
    await note(a, "a2");
    assert.ok(
      a.commits.stats.failed - failedBefore >= 1,
      "what it read unchecked is safe: an append in any shard meanwhile fails its commit",
    );
    assert.equal((await kv.get(["notes", "a2"])).value, "a2");
  } finally {
    kv.close();
  }
});

Deno.test("[changes] the shard count is fixed when the log is first opened", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  try {
    const first = await Deno.openKv(path);
    assert.equal((await changeLayout(first, 3)).shards, 3);
    first.close();
    const again = await Deno.openKv(path);
    assert.equal((await changeLayout(again, 8)).shards, 3, "a later setting is ignored");
    assert.equal((await readHead(again)).entries.length, 3);
    again.close();
  } finally {
    await Deno.remove(path).catch(() => {});
  }
});
