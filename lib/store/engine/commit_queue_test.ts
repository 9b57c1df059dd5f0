/**
 * Group commit (commit_queue.ts) under racing calls: messages that arrive
 * together share commits, yet each lands once, in order per conversation, and
 * one attempt whose checks fail never takes its neighbours down with it.
 */
import assert from "node:assert/strict";
import { keys } from "../keys.ts";
import { appendStaffMessage, listMessagesForStaff } from "./mod.ts";
import { EngineOp } from "./op.ts";
import { customerSays, randomAgent, withKv } from "./test_util.ts";
import { mutate } from "./tx.ts";

/** The versionstamps of a conversation's message entries: one per commit that wrote them. */
async function commitsOf(kv: Deno.Kv, conversationId: string, seqs: number[]) {
  const entries = await Promise.all(seqs.map((s) => kv.get(keys.message(conversationId, s))));
  return entries.map((e) => e.versionstamp!);
}

Deno.test("[engine] group commit: racing messages across and within chats land once each, in order, sharing commits", async () => {
  await withKv(async (kv, engine) => {
    const agent = await randomAgent(kv, "supervisor"); // may write in every chat
    const VISITORS = 8;
    const EACH = 10;
    // Every visitor's first message opens a chat; all are sent at once, in this order.
    const sent: Promise<Awaited<ReturnType<typeof customerSays>>>[] = [];
    for (let m = 0; m < EACH; m++) {
      for (let v = 0; v < VISITORS; v++) {
        sent.push(customerSays(engine, `v${v} m${m}`, `visitor-${v}`, { clientId: `v${v}-${m}` }));
      }
    }
    const results = await Promise.all(sent);
    const chats = new Map<number, string>();
    results.forEach((r, i) => {
      const v = i % VISITORS;
      assert.equal(r.duplicate, false);
      if (chats.has(v)) assert.equal(r.conversation.id, chats.get(v), "one chat per visitor");
      chats.set(v, r.conversation.id);
    });

    // The agent answers in every chat at once, several times.
    const replies = [];
    for (let r = 0; r < 5; r++) {
      for (const id of chats.values()) {
        replies.push(
          appendStaffMessage(engine, id, agent, { text: `reply ${r}`, clientId: `r${r}` }),
        );
      }
    }
    await Promise.all(replies);

    const stamps = new Set<string>();
    for (const [v, id] of chats) {
      const log = await listMessagesForStaff(kv, id, 0, 500);
      const customer = log.filter((m) => m.author.type === "customer").map((m) => m.text);
      assert.deepEqual(customer, Array.from({ length: EACH }, (_, m) => `v${v} m${m}`));
      const staff = log.filter((m) => m.author.type === "agent").map((m) => m.text);
      assert.deepEqual(staff, ["reply 0", "reply 1", "reply 2", "reply 3", "reply 4"]);
      assert.deepEqual(log.map((m) => m.seq), log.map((_, i) => i + 1), "seqs without gaps");
      for (const s of await commitsOf(kv, id, log.map((m) => m.seq))) stamps.add(s);
    }
    const messages = VISITORS * EACH + VISITORS * 5;
    // One commit per message was the old way; here messages that waited went together.
    assert.ok(stamps.size < messages / 2, `${stamps.size} commits for ${messages} messages`);
  });
});

Deno.test("[engine] group commit: the same clientId several times in one group is stored once", async () => {
  await withKv(async (kv, engine) => {
    await customerSays(engine, "first", "visitor-dup", { clientId: "c0" });
    const calls = [];
    for (let i = 0; i < 5; i++) {
      calls.push(customerSays(engine, "same", "visitor-dup", { clientId: "same" }));
      calls.push(customerSays(engine, `other ${i}`, `visitor-other-${i}`));
    }
    const results = await Promise.all(calls);
    const same = results.filter((_, i) => i % 2 === 0);
    assert.equal(same.filter((r) => !r.duplicate).length, 1, "exactly one stored");
    assert.equal(new Set(same.map((r) => r.message.id)).size, 1, "the others name it");
    const log = await listMessagesForStaff(kv, same[0].conversation.id, 0, 100);
    assert.deepEqual(log.filter((m) => m.type === "message").map((m) => m.text), ["first", "same"]);
    for (const r of results.filter((_, i) => i % 2 === 1)) assert.equal(r.duplicate, false);
  });
});

Deno.test("[engine] group commit: an attempt whose check fails never fails its neighbours", async () => {
  await withKv(async (kv, engine) => {
    await kv.set(["probe"], "exists");
    await customerSays(engine, "warm up", "visitor-warm");
    const settled: string[] = [];
    let badTries = 0;
    // Its first 20 attempts check that ["probe"] is absent (it is not): their commits fail.
    const bad = mutate(engine, () => {
      badTries++;
      const op = new EngineOp().set(["bad"], badTries);
      if (badTries <= 20) op.check({ key: ["probe"], versionstamp: null });
      return Promise.resolve({ op, changes: [{ type: "test.bad" }], value: "bad" });
    }, { group: true }).then((v) => settled.push(v));
    const good = Array.from(
      { length: 30 },
      (_, i) =>
        customerSays(engine, `good ${i}`, `visitor-good-${i % 10}`, { clientId: `g${i}` })
          .then((r) => {
            settled.push(`good ${i}`);
            return r;
          }),
    );
    const results = await Promise.all(good);
    await bad;
    assert.equal(settled.at(-1), "bad", "every good message landed before the bad one did");
    assert.equal(badTries, 21);
    assert.equal((await kv.get(["bad"])).value, 21, "the bad attempt landed once, on its own");
    for (let v = 0; v < 10; v++) {
      const log = await listMessagesForStaff(kv, results[v].conversation.id, 0, 100);
      const texts = log.filter((m) => m.type === "message").map((m) => m.text);
      assert.deepEqual(texts, [`good ${v}`, `good ${v + 10}`, `good ${v + 20}`]);
    }
  });
});

Deno.test("[engine] group commit: a write the store refuses fails alone; the messages beside it land", async () => {
  await withKv(async (kv, engine) => {
    await customerSays(engine, "warm up", "visitor-warm");
    const say = (i: number) =>
      customerSays(engine, `good ${i}`, `visitor-big-${i}`, { clientId: `b${i}` });
    // Deno KV refuses a value over 64 KiB at commit: the whole group's commit throws.
    const good = Array.from({ length: 10 }, (_, i) => say(i)); // the first goes alone, ...
    const tooBig = mutate(engine, () =>
      // ... this one waits with the others: one group
      Promise.resolve({
        op: new EngineOp().set(["too_big"], "x".repeat(70_000)),
        changes: [{ type: "test.big" }],
        value: "big",
      }), { group: true });
    good.push(...Array.from({ length: 10 }, (_, i) => say(10 + i)));
    await assert.rejects(tooBig, /too large/i);
    const results = await Promise.all(good);
    assert.equal((await kv.get(["too_big"])).value, null, "nothing of it was written");
    for (const [i, r] of results.entries()) {
      const log = await listMessagesForStaff(kv, r.conversation.id, 0, 10);
      assert.deepEqual(log.filter((m) => m.type === "message").map((m) => m.text), [`good ${i}`]);
    }
  });
});
