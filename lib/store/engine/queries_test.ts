import assert from "node:assert/strict";
import { closeConversation, getContactHistory, listConversations } from "./mod.ts";
import { customerSays, randomAgent, withKv } from "./test_util.ts";

Deno.test("[engine] history pages newest first across channels", async () => {
  await withKv(async (kv, engine) => {
    const boss = await randomAgent(kv, "supervisor");
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await customerSays(engine, `chat ${i}`, "visitor-h");
      ids.push(r.conversation.id);
      await closeConversation(engine, r.conversation.id, boss, { notes: `n${i}` });
    }
    const current = await customerSays(engine, "now", "visitor-h");
    const page1 = await getContactHistory(kv, boss, current.conversation.id, { pageSize: 3 });
    assert.deepEqual(page1.items.map((i) => i.conversation.id), [ids[3], ids[2], ids[1]]);
    assert.ok(page1.cursor);
    const page2 = await getContactHistory(kv, boss, current.conversation.id, {
      pageSize: 3,
      cursor: page1.cursor!,
    });
    assert.deepEqual(page2.items.map((i) => i.conversation.id), [ids[0]]);
    assert.equal(page2.cursor, null);
  });
});

Deno.test("[engine] conversation lists page by cursor, newest activity first, only what the viewer may see", async () => {
  await withKv(async (kv, engine) => {
    const boss = await randomAgent(kv, "supervisor");
    const agent = await randomAgent(kv, "agent", { teamId: "a" });
    const closed: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = (await customerSays(engine, `c${i}`)).conversation;
      await closeConversation(engine, c.id, boss, { notes: "n" });
      closed.push(c.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    for (let page = 0; page < 10; page++) {
      const res = await listConversations(kv, boss, { status: "closed", limit: 3, cursor });
      sizes.push(res.items.length);
      seen.push(...res.items.map((c) => c.id));
      if (!res.cursor) break;
      cursor = res.cursor;
    }
    assert.deepEqual(seen, [...closed].reverse(), "all of them, newest first, once each");
    assert.ok(sizes.every((n) => n <= 3), "never more than the limit");
    for (let i = 0; i < 3; i++) await customerSays(engine, `open ${i}`);
    for (let i = 0; i < 3; i++) {
      await customerSays(engine, `team b ${i}`, undefined, { teamId: "b" });
    }
    await customerSays(engine, "team a", undefined, { teamId: "a" });
    const mine = await listConversations(kv, agent, { status: "pending", order: "queue" });
    assert.deepEqual(
      mine.items.map((c) => c.lastMessage?.text),
      ["open 0", "open 1", "open 2", "team a"],
      "queue order; another team's chats hidden",
    );
    const all = await listConversations(kv, boss, { status: "pending" });
    assert.equal(all.items.length, 7);
    assert.equal(all.items[0].lastMessage?.text, "team a", "newest activity first");
  });
});
