import assert from "node:assert/strict";
import {
  getHeldDetails,
  type HeldDetails,
  holdCustomerDetails,
  moveWidgetPendingDetails,
} from "./held_details.ts";
import { keys } from "../keys.ts";
import { getContact, getConversation } from "./records.ts";
import type { Engine } from "./engine.ts";
import { customerSays, withKv } from "./test_util.ts";

const say = (engine: Engine, visitor: string, clientId: string) =>
  customerSays(engine, `message ${clientId}`, visitor, { clientId });

Deno.test("[engine] details held before a message go with it once; a repeated message takes nothing", async () => {
  await withKv(async (kv, engine) => {
    await holdCustomerDetails(kv, "webchat", "v-held", {
      context: { plan: "gold" },
      user: { name: "Ana", email: "ana@example.test" },
    });
    const first = await say(engine, "v-held", "c1");
    assert.deepEqual(first.conversation.context, { plan: "gold" });
    assert.equal(first.contact.name, "Ana");
    assert.equal((await getContact(kv, first.contact.id))?.email, "ana@example.test");
    assert.equal(first.message.author.name, "Ana");
    assert.equal(await getHeldDetails(kv, "webchat", "v-held"), null, "taken by the message");

    // Held again while the chat is open: a repeat of an old message must not take them.
    await holdCustomerDetails(kv, "webchat", "v-held", { user: { name: "Ana Lima" } });
    const repeat = await say(engine, "v-held", "c1");
    assert.equal(repeat.duplicate, true);
    assert.equal((await getHeldDetails(kv, "webchat", "v-held"))?.user?.name, "Ana Lima");
    const next = await say(engine, "v-held", "c2");
    assert.equal(next.contact.name, "Ana Lima");
    assert.equal(await getHeldDetails(kv, "webchat", "v-held"), null);
  });
});

Deno.test("[engine] details held while messages are stored are never lost: in the chat or still held", async () => {
  await withKv(async (kv, engine) => {
    const visitor = "v-race";
    let conversationId = "";
    for (let i = 0; i < 40; i++) {
      const [stored] = await Promise.all([
        say(engine, visitor, `m${i}`),
        holdCustomerDetails(kv, "webchat", visitor, { context: { [`k${i}`]: i } }),
      ]);
      conversationId = stored.conversation.id;
    }
    const conv = await getConversation(kv, conversationId);
    const held = await getHeldDetails(kv, "webchat", visitor);
    for (let i = 0; i < 40; i++) {
      const inChat = conv?.context[`k${i}`] === i;
      const stillHeld = held?.context[`k${i}`] === i;
      assert.ok(inChat || stillHeld, `k${i} is neither in the chat nor held`);
      assert.ok(!(inChat && stillHeld), `k${i} is both in the chat and still held`);
    }
  });
});

Deno.test("[engine] web chat details held under the first key move once at start and go with the next message", async () => {
  await withKv(async (kv, engine) => {
    // What the previous version left: two visitors' details under ["widget_pending", visitorId],
    // one of whom also has details under the new key (an upgraded instance ran meanwhile).
    const old = (context: Record<string, string>, name: string): HeldDetails => ({
      context,
      user: { name },
    });
    await kv.set(["widget_pending", "v-old-1"], old({ plan: "gold" }, "Ana"));
    await kv.set(["widget_pending", "v-old-2"], old({ plan: "free", cart: "2" }, "Bo"));
    await holdCustomerDetails(kv, "webchat", "v-old-2", {
      context: { plan: "pro" },
      user: { email: "bo@example.test" },
    });
    await kv.delete(keys.heldDetailsVersion());

    assert.equal(await moveWidgetPendingDetails(kv), 2);
    assert.equal(await moveWidgetPendingDetails(kv), 0, "once");
    const left = [];
    for await (const e of kv.list({ prefix: ["widget_pending"] })) left.push(e.key);
    assert.deepEqual(left, [], "nothing left under the old key");
    assert.deepEqual(await getHeldDetails(kv, "webchat", "v-old-2"), {
      context: { plan: "pro", cart: "2" },
      user: { name: "Bo", email: "bo@example.test" },
    });

    const first = await say(engine, "v-old-1", "c1");
    assert.deepEqual(first.conversation.context, { plan: "gold" });
    assert.equal(first.contact.name, "Ana");
    assert.equal(await getHeldDetails(kv, "webchat", "v-old-1"), null, "taken by the message");
  });
});
