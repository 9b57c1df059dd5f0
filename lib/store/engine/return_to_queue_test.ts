/** Return to queue and predefined wrap-up tags (issue 16, item 7). */
import assert from "node:assert/strict";
import { AppError } from "../../errors.ts";
import { Engine } from "./engine.ts";
import {
  closeConversation,
  getConversation,
  getLoad,
  listMessagesForStaff,
  pickupConversation,
  returnToQueue,
  setAgentStatus,
  updateSettings,
} from "./mod.ts";
import { allChanges, customerSays, randomAgent, rejects, withKv } from "./test_util.ts";
import { installSqliteBusyRetry } from "../sqlite_busy.ts";

// Two handles on one KV file, as two instances: retry "database is locked" as the server does.
installSqliteBusyRetry();

Deno.test("[engine] return to queue: front of its queue, with the note, and not straight back to the agent", async () => {
  await withKv(async (kv, engine) => {
    const ana = await randomAgent(kv, "agent", { name: "Ana" });
    const bo = await randomAgent(kv, "agent", { name: "Bo" });
    await setAgentStatus(engine, ana.id, "online");
    const chat = (await customerSays(engine, "Hallo, sprechen Sie Deutsch?")).conversation;
    assert.equal((await getConversation(kv, chat.id))?.assigneeId, ana.id);
    await rejects(returnToQueue(engine, chat.id, bo, {}), 403, "not_your_chat");
    await rejects(returnToQueue(engine, chat.id, ana, { note: "x".repeat(2001) }), 400, "invalid");
    const back = await returnToQueue(engine, chat.id, ana, { note: "German speaker, please" });
    assert.equal(back.status, "pending", "Ana is the only one Online and is skipped");
    assert.equal(back.skipAgentId, ana.id);
    assert.deepEqual((await getLoad(kv, ana.id)).conversationIds, []);
    const event = (await listMessagesForStaff(kv, chat.id)).at(-1)!;
    assert.equal(event.kind, "requeued");
    assert.equal(event.visibility, "staff", "the customer never sees the note");
    assert.deepEqual(event.data, {
      fromAgentId: ana.id,
      reason: "returned",
      byAgentId: ana.id,
      note: "German speaker, please",
    });
    await rejects(returnToQueue(engine, chat.id, ana, {}), 409, "not_active");
    const later = (await customerSays(engine, "me too")).conversation;
    assert.equal((await getConversation(kv, later.id))?.assigneeId, ana.id, "Ana takes new chats");
    await setAgentStatus(engine, bo.id, "online");
    assert.equal((await getConversation(kv, chat.id))?.assigneeId, bo.id, "the next one gets it");
    await closeConversation(engine, chat.id, bo, { notes: "done" });
    await rejects(returnToQueue(engine, chat.id, bo, {}), 409, "conversation_closed");
  });
});

Deno.test("[engine] wrap-up tags: predefined spelling; free tags refused when off, and nothing changes", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, {
      wrapUpTags: [" Refund ", "refund", "Bug", ""].filter(Boolean),
      allowFreeTags: false,
    });
    const boss = await randomAgent(kv, "supervisor");
    await setAgentStatus(engine, boss.id, "busy");
    const chat = (await customerSays(engine, "refund?")).conversation;
    await pickupConversation(engine, chat.id, boss);
    await assert.rejects(
      closeConversation(engine, chat.id, boss, { notes: "ok", tags: ["refund", "vip"] }),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.status, 400);
        assert.equal(err.code, "tag_not_allowed");
        assert.deepEqual(err.details, { rejected: ["vip"] });
        return true;
      },
    );
    assert.equal((await getConversation(kv, chat.id))?.status, "active", "nothing changed");
    const closed = await closeConversation(engine, chat.id, boss, {
      notes: "Refund issued",
      tags: ["REFUND", "bug"],
    });
    assert.deepEqual(closed.wrapUp?.tags, ["Refund", "Bug"], "the admin's spelling, once each");
  });
});

Deno.test("[engine] race: return to queue and close by the same agent; exactly one wins", async () => {
  const dir = await Deno.makeTempDir({ prefix: "parley-return-race-" });
  const kvOne = await Deno.openKv(`${dir}/shared.kv`);
  const kvTwo = await Deno.openKv(`${dir}/shared.kv`);
  const one = new Engine(kvOne);
  const two = new Engine(kvTwo);
  try {
    await updateSettings(one, { dynamicAssignment: false });
    const ana = await randomAgent(kvOne);
    await setAgentStatus(one, ana.id, "online");
    for (let i = 0; i < 10; i++) {
      const chat = (await customerSays(one, `race ${i}`)).conversation;
      await pickupConversation(one, chat.id, ana);
      const [returned, closed] = await Promise.allSettled([
        returnToQueue(one, chat.id, ana, { note: "someone else" }),
        closeConversation(two, chat.id, ana, { notes: "solved" }),
      ]);
      assert.equal(
        [returned, closed].filter((r) => r.status === "fulfilled").length,
        1,
        `round ${i}: one of the two`,
      );
      const after = (await getConversation(kvTwo, chat.id))!;
      assert.equal(after.status, returned.status === "fulfilled" ? "pending" : "closed");
      assert.deepEqual((await getLoad(kvTwo, ana.id)).conversationIds, []);
    }
  } finally {
    kvOne.close();
    kvTwo.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[engine] race: free tags turned off while a chat closes with one; never both", async () => {
  const dir = await Deno.makeTempDir({ prefix: "parley-tags-race-" });
  const kvOne = await Deno.openKv(`${dir}/shared.kv`);
  const kvTwo = await Deno.openKv(`${dir}/shared.kv`);
  const one = new Engine(kvOne);
  const two = new Engine(kvTwo);
  try {
    const boss = await randomAgent(kvOne, "supervisor");
    await setAgentStatus(one, boss.id, "busy");
    for (let i = 0; i < 8; i++) {
      await updateSettings(one, { wrapUpTags: ["Refund"], allowFreeTags: true });
      const chat = (await customerSays(one, `tags ${i}`)).conversation;
      await pickupConversation(one, chat.id, boss);
      await Promise.allSettled([
        closeConversation(one, chat.id, boss, { notes: "done", tags: ["vip"] }),
        updateSettings(two, { allowFreeTags: false }),
      ]);
    }
    // In commit order: no close carries a free tag after free tags went off.
    let free = true;
    for (const c of await allChanges(kvTwo)) {
      if (c.type === "settings.updated") {
        free = (c.data as { allowFreeTags: boolean }).allowFreeTags;
      }
      if (c.type === "conversation.closed") {
        const tags = (c.data as { tags: string[] }).tags;
        assert.ok(free || tags.every((t) => t === "Refund"), `closed with ${tags} while off`);
      }
    }
  } finally {
    kvOne.close();
    kvTwo.close();
    await Deno.remove(dir, { recursive: true });
  }
});
