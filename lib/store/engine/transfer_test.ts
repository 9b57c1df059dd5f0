import assert from "node:assert/strict";
import {
  closeConversation,
  getConversation,
  getLoad,
  pickupConversation,
  setAgentStatus,
  transferConversation,
  transferToQueue,
  updateSettings,
} from "./mod.ts";
import { customerSays, randomAgent, rejects, withKv } from "./test_util.ts";

Deno.test("[engine] transfers: agent rules and transfer limit; supervisors to anyone", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { maxChatsPerAgent: 2, maxTransfersPerAgent: 1 });
    const a = await randomAgent(kv);
    const b = await randomAgent(kv);
    const boss = await randomAgent(kv, "supervisor");
    await setAgentStatus(engine, a.id, "online");
    const c1 = (await customerSays(engine, "1")).conversation;
    const c2 = (await customerSays(engine, "2")).conversation;
    await rejects(
      transferConversation(engine, c1.id, a, { toAgentId: b.id }),
      409,
      "target_not_online",
    );
    await setAgentStatus(engine, b.id, "online");
    await setAgentStatus(engine, a.id, "busy");
    await transferConversation(engine, c1.id, a, { toAgentId: b.id });
    await rejects(
      transferConversation(engine, c2.id, a, { toAgentId: b.id }),
      409,
      "target_transfer_limit",
    );
    await rejects(
      transferConversation(engine, c2.id, a, { toAgentId: boss.id, note: "please" }),
      409,
      "target_offline",
    );
    await setAgentStatus(engine, boss.id, "busy");
    await transferConversation(engine, c2.id, a, { toAgentId: boss.id, note: "please" });
    assert.equal(
      (await getConversation(kv, c2.id))?.assigneeId,
      boss.id,
      "to a supervisor who is not Offline, whatever its load or Busy",
    );
    await setAgentStatus(engine, b.id, "offline");
    await updateSettings(engine, { requeueOnOffline: false });
    await transferConversation(engine, c2.id, boss, { toAgentId: b.id });
    const loadB = await getLoad(kv, b.id);
    assert.equal(loadB.conversationIds.length, 1, "supervisors transfer even to Offline agents");
    await transferConversation(engine, c2.id, boss, { toAgentId: boss.id });
    assert.equal((await getConversation(kv, c2.id))?.assigneeId, boss.id);
    assert.equal((await getLoad(kv, b.id)).conversationIds.length, 0, "the loser's load drops");
  });
});

Deno.test("[engine] transfer matrix on the store: caller × target Online/Busy/Offline × below/at max", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { dynamicAssignment: false, requeueOnOffline: false });
    const boss = await randomAgent(kv, "supervisor");
    for (const callerRole of ["agent", "supervisor"] as const) {
      for (const status of ["online", "busy", "offline"] as const) {
        for (const atMax of [false, true]) {
          const label = `${callerRole} → agent ${status}, ${atMax ? "at" : "below"} max`;
          const caller = callerRole === "agent" ? await randomAgent(kv) : boss;
          const target = await randomAgent(kv, "agent", { maxChats: 1 });
          await setAgentStatus(engine, caller.id, "online");
          const chat = (await customerSays(engine, label)).conversation;
          await pickupConversation(engine, chat.id, caller);
          await setAgentStatus(engine, target.id, "online");
          if (atMax) {
            const filler = (await customerSays(engine, "filler")).conversation;
            await pickupConversation(engine, filler.id, target);
          }
          await setAgentStatus(engine, target.id, status);
          const allowed = callerRole === "supervisor" || (status === "online" && !atMax);
          const attempt = transferConversation(engine, chat.id, caller, { toAgentId: target.id });
          if (allowed) {
            const moved = await attempt;
            assert.equal(moved.assigneeId, target.id, label);
            assert.ok((await getLoad(kv, target.id)).conversationIds.includes(chat.id), label);
            assert.ok(!(await getLoad(kv, caller.id)).conversationIds.includes(chat.id), label);
          } else {
            await rejects(
              attempt,
              409,
              status !== "online" ? "target_not_online" : "target_at_capacity",
            );
            assert.equal((await getConversation(kv, chat.id))?.assigneeId, caller.id, label);
          }
          if (callerRole === "supervisor") {
            await closeConversation(engine, chat.id, boss, { notes: "reset" }); // keep the boss light
          }
        }
      }
    }
  });
});

Deno.test("[engine] team queues: only the team's agents get a team's chat; transfer back to a queue", async () => {
  await withKv(async (kv, engine) => {
    const sales = await randomAgent(kv, "agent", { teamId: "sales" });
    const other = await randomAgent(kv);
    await setAgentStatus(engine, other.id, "online");
    const chat = await customerSays(engine, "buy", undefined, { teamId: "sales" });
    assert.equal(chat.conversation.status, "pending", "nobody of the team is online");
    const open = await customerSays(engine, "anyone");
    assert.equal(open.conversation.assigneeId, other.id, "a team chat does not block the rest");
    await setAgentStatus(engine, sales.id, "online");
    assert.equal((await getConversation(kv, chat.conversation.id))?.assigneeId, sales.id);
    await rejects(
      transferToQueue(engine, open.conversation.id, other, { toTeamId: "nope" }),
      404,
      "not_found",
    );
    await setAgentStatus(engine, sales.id, "busy");
    const moved = await transferToQueue(engine, open.conversation.id, other, {
      toTeamId: "sales",
      note: "for sales",
    });
    assert.equal(moved.status, "pending");
    assert.equal(moved.teamId, "sales");
    await setAgentStatus(engine, sales.id, "online");
    assert.equal((await getConversation(kv, open.conversation.id))?.assigneeId, sales.id);
  });
});
