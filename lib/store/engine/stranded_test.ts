/** Stranded chats (issue 16, item 3): nobody Offline keeps a chat while requeueOnOffline is on. */
import assert from "node:assert/strict";
import { keys } from "../keys.ts";
import {
  getConversation,
  getLoad,
  getSettings,
  listMessagesForStaff,
  pickupConversation,
  requeueStranded,
  requeueUnanswered,
  runAssignment,
  setAgentStatus,
  transferConversation,
  updateSettings,
} from "./mod.ts";
import { Engine } from "./engine.ts";
import { customerSays, randomAgent, rejects, withKv } from "./test_util.ts";
import { installSqliteBusyRetry } from "../sqlite_busy.ts";

// Two handles on one KV file, as two instances: retry "database is locked" as the server does.
installSqliteBusyRetry();

Deno.test("[engine] stranded: a chat held by an Offline admin goes back to the front of the queue", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { dynamicAssignment: false });
    const agent = await randomAgent(kv);
    const admin = await randomAgent(kv, "admin", { name: "Ada Admin" });
    await setAgentStatus(engine, agent.id, "online");
    const chat = (await customerSays(engine, "help")).conversation;
    await pickupConversation(engine, chat.id, agent);
    // The reported defect: the Offline admin was a transfer target.
    await rejects(
      transferConversation(engine, chat.id, agent, { toAgentId: admin.id }),
      409,
      "target_offline",
    );
    await rejects(
      pickupConversation(engine, (await customerSays(engine, "2")).conversation.id, admin),
      409,
      "agent_offline",
    );
    // A chat an Offline admin came to hold some other way (requeueOnOffline was off then).
    await updateSettings(engine, { requeueOnOffline: false });
    await transferConversation(engine, chat.id, admin, { toAgentId: admin.id });
    assert.deepEqual(
      await requeueStranded(engine),
      [],
      "requeueOnOffline off: Offline holders keep chats",
    );
    assert.equal((await getConversation(kv, chat.id))?.assigneeId, admin.id);
    await updateSettings(engine, { requeueOnOffline: true });
    const later = (await customerSays(engine, "later")).conversation;
    assert.deepEqual(await requeueStranded(engine), [chat.id]);
    const back = (await getConversation(kv, chat.id))!;
    assert.equal(back.status, "pending");
    assert.equal(back.assigneeId, null);
    assert.ok(back.queueRank! < later.queueRank!, "to the front, ahead of later arrivals");
    assert.deepEqual((await getLoad(kv, admin.id)).conversationIds, []);
    const event = (await listMessagesForStaff(kv, chat.id)).at(-1)!;
    assert.equal(event.kind, "requeued");
    assert.deepEqual(event.data, { fromAgentId: admin.id, reason: "offline" });
    assert.deepEqual(await requeueStranded(engine), [], "idempotent");
  });
});

Deno.test("[engine] stranded: Online and Busy holders keep their chats", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { dynamicAssignment: false });
    const online = await randomAgent(kv);
    const boss = await randomAgent(kv, "supervisor");
    await setAgentStatus(engine, online.id, "online");
    await setAgentStatus(engine, boss.id, "busy");
    const a = (await customerSays(engine, "a")).conversation;
    const b = (await customerSays(engine, "b")).conversation;
    await pickupConversation(engine, a.id, online);
    await pickupConversation(engine, b.id, boss);
    assert.deepEqual(await requeueStranded(engine), []);
    assert.equal((await getConversation(kv, a.id))?.assigneeId, online.id);
    assert.equal((await getConversation(kv, b.id))?.assigneeId, boss.id);
  });
});

Deno.test("[engine] unanswered timeout: 120 s unless an admin saved another value", async () => {
  await withKv(async (kv, engine) => {
    assert.equal((await getSettings(kv)).unansweredTimeoutSeconds, 120, "a fresh store");
    await updateSettings(engine, { maxChatsPerAgent: 3 });
    assert.equal((await getSettings(kv)).unansweredTimeoutSeconds, 120, "saving another field");
    assert.deepEqual((await kv.get(keys.routingSettings())).value, { maxChatsPerAgent: 3 });
    const a = await randomAgent(kv);
    await setAgentStatus(engine, a.id, "online");
    const c = (await customerSays(engine, "anyone?")).conversation;
    assert.deepEqual(await requeueUnanswered(engine, Date.now() + 121_000), [], "nobody else");
    const b = await randomAgent(kv);
    await setAgentStatus(engine, b.id, "online");
    assert.deepEqual(await requeueUnanswered(engine, Date.now() + 100_000), []);
    assert.deepEqual(await requeueUnanswered(engine, Date.now() + 121_000), [c.id]);
    await runAssignment(engine); // the sweep runs it next
    assert.equal((await getConversation(kv, c.id))?.assigneeId, b.id, "to the one who can answer");
  });
  await withKv(async (kv) => {
    // A store saved by an older version holds every field: its explicit 0 (off) stays.
    await kv.set(keys.routingSettings(), { maxChatsPerAgent: 5, unansweredTimeoutSeconds: 0 });
    assert.equal((await getSettings(kv)).unansweredTimeoutSeconds, 0);
  });
});

Deno.test("[engine] race: a transfer to a supervisor and that supervisor going Offline never strand the chat", async () => {
  const dir = await Deno.makeTempDir({ prefix: "parley-stranded-race-" });
  const kvOne = await Deno.openKv(`${dir}/shared.kv`);
  const kvTwo = await Deno.openKv(`${dir}/shared.kv`);
  const one = new Engine(kvOne);
  const two = new Engine(kvTwo);
  try {
    await updateSettings(one, { dynamicAssignment: false });
    const agent = await randomAgent(kvOne, "agent", { maxChats: 50 }); // refused ones stay with it
    await setAgentStatus(one, agent.id, "online");
    const outcomes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const boss = await randomAgent(kvOne, "supervisor");
      await setAgentStatus(one, boss.id, "busy");
      const chat = (await customerSays(one, `race ${i}`)).conversation;
      await pickupConversation(one, chat.id, agent);
      const [moved] = await Promise.allSettled([
        transferConversation(one, chat.id, agent, { toAgentId: boss.id }),
        setAgentStatus(two, boss.id, "offline"),
      ]);
      const after = (await getConversation(kvTwo, chat.id))!;
      if (moved.status === "rejected") {
        assert.equal((moved.reason as { code?: string }).code, "target_offline");
        assert.equal(after.assigneeId, agent.id, "refused: the chat stays where it was");
        outcomes.add("refused");
      } else {
        // Transferred first: going Offline took it back to the queue in its own commit.
        assert.equal(after.status, "pending", `round ${i}: not left with the Offline supervisor`);
        outcomes.add("requeued");
      }
      assert.deepEqual((await getLoad(kvTwo, boss.id)).conversationIds, []);
    }
    assert.ok(outcomes.size >= 1);
  } finally {
    kvOne.close();
    kvTwo.close();
    await Deno.remove(dir, { recursive: true });
  }
});
