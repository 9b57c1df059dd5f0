import assert from "node:assert/strict";
import type { Conversation } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";
import { appendStaffMessage, closeConversation, listConversations, setAgentStatus } from "./mod.ts";
import { statusIndexKey, upgradeStatusIndex } from "./status_index.ts";
import { customerSays, randomAgent, withKv } from "./test_util.ts";

Deno.test("[engine] a message does not move its chat in the status index; lists still show newest activity first", async () => {
  await withKv(async (kv, engine) => {
    const boss = await randomAgent(kv, "supervisor");
    const agent = await randomAgent(kv, "agent", { maxChats: 5 });
    await setAgentStatus(engine, agent.id, "online");
    const first = await customerSays(engine, "first", "v-order-1");
    const second = await customerSays(engine, "second", "v-order-2");
    const before = await indexKeys(kv);
    await appendStaffMessage(engine, first.conversation.id, agent, { text: "Hi", clientId: "r1" });
    await customerSays(engine, "again", "v-order-1");
    assert.deepEqual(await indexKeys(kv), before, "messages leave the index alone");
    const active = await listConversations(kv, boss, { status: "active" });
    assert.deepEqual(active.items.map((c) => c.id), [
      first.conversation.id,
      second.conversation.id,
    ]);
  });
});

Deno.test("[engine] a store indexed by last activity is moved to the new order once, each chat listed once", async () => {
  await withKv(async (kv, engine) => {
    const boss = await randomAgent(kv, "supervisor");
    const agent = await randomAgent(kv, "agent", { maxChats: 5 });
    await setAgentStatus(engine, agent.id, "online");
    const chats = [];
    for (let i = 0; i < 4; i++) {
      chats.push((await customerSays(engine, `hi ${i}`, `v-up-${i}`)).conversation);
    }
    await closeConversation(engine, chats[3].id, boss, { notes: "done" });
    // Rewrite the index the way the previous version kept it: by last activity.
    for await (const e of kv.list({ prefix: ["conversations_by_status"] })) await kv.delete(e.key);
    for (const { id } of chats) {
      const conv = (await kv.get<Conversation>(keys.conversation(id))).value!;
      const oldKey = keys.conversationByStatus(
        conv.status,
        Date.parse(conv.lastActivityAt) + 1,
        id,
      );
      await kv.set(oldKey, true);
    }
    await kv.delete(keys.statusIndexVersion());

    assert.equal(await upgradeStatusIndex(kv), 4);
    assert.equal(await upgradeStatusIndex(kv), 0, "once");
    for (const { id } of chats) {
      const conv = (await kv.get<Conversation>(keys.conversation(id))).value!;
      assert.equal((await kv.get(statusIndexKey(conv))).value, true);
    }
    assert.equal((await indexKeys(kv)).length, 4, "no entry left behind");
    const active = await listConversations(kv, boss, { status: "active" });
    assert.equal(active.items.length, 3);
    assert.equal(new Set(active.items.map((c) => c.id)).size, 3);
  });
});

async function indexKeys(kv: Deno.Kv): Promise<string[]> {
  const out: string[] = [];
  for await (const e of kv.list({ prefix: ["conversations_by_status"] })) {
    out.push(JSON.stringify(e.key));
  }
  return out;
}
