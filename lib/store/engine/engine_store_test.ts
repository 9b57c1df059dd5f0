import assert from "node:assert/strict";
import { AppError } from "../../errors.ts";
import { keys } from "../keys.ts";
import { noteCustomerMessage } from "../../channels/whatsapp_window.ts";
import {
  appendStaffMessage,
  closeConversation,
  expireStalePresence,
  getContactHistory,
  getConversation,
  getLoad,
  getPresence,
  heartbeatAgent,
  listMessagesForCustomer,
  listMessagesForStaff,
  markRead,
  mergeContext,
  pickupConversation,
  receiveCustomerMessage,
  requeueUnanswered,
  setAgentStatus,
  transferConversation,
  unreadCounts,
  updateMessageDelivery,
  updateSettings,
} from "./mod.ts";
import {
  ageHeartbeat,
  allChanges,
  customerSays,
  randomAgent,
  rejects,
  withKv,
} from "./test_util.ts";

Deno.test("[engine] a customer's chat: pending, assigned, continued, closed, then a new one with history", async () => {
  await withKv(async (kv, engine) => {
    const first = await customerSays(engine, "Hi there", "visitor-1");
    assert.equal(first.created, true);
    assert.equal(first.conversation.status, "pending", "nobody online: it waits");
    const agent = await randomAgent(kv, "agent", { name: "Ann" });
    await setAgentStatus(engine, agent.id, "online");
    let conv = (await getConversation(kv, first.conversation.id))!;
    assert.equal(conv.status, "active", "going Online picks up the queue");
    assert.equal(conv.assigneeId, agent.id);
    const again = await receiveCustomerMessage(engine, {
      channel: "webchat",
      contact: { webVisitorId: "visitor-1", name: "Bob", email: "bob@example.test" },
      clientId: "m2",
      text: "Still there?",
    });
    assert.equal(again.created, false);
    assert.equal(again.conversation.id, conv.id);
    assert.equal(again.contact.name, "Bob");
    assert.ok(
      (await allChanges(kv)).some((c) =>
        c.type === "contact.updated" && c.data?.contactId === first.contact.id
      ),
      "the contact's new name is announced",
    );
    await appendStaffMessage(engine, conv.id, agent, { text: "Yes!", clientId: "r1" });
    conv = await closeConversation(engine, conv.id, agent, {
      notes: "Answered",
      tags: ["billing"],
    });
    assert.equal(conv.status, "closed");
    assert.deepEqual(conv.wrapUp?.tags, ["billing"]);
    assert.equal((await getLoad(kv, agent.id)).conversationIds.length, 0, "close frees capacity");
    const later = await customerSays(engine, "One more thing", "visitor-1");
    assert.equal(later.created, true, "writing after close opens a new conversation");
    assert.notEqual(later.conversation.id, conv.id);
    assert.equal(later.contact.id, first.contact.id);
    assert.equal(later.conversation.assigneeId, agent.id);
    const history = await getContactHistory(kv, agent, later.conversation.id);
    assert.equal(history.items.length, 1);
    assert.equal(history.items[0].conversation.wrapUp?.notes, "Answered");
    assert.deepEqual(
      history.items[0].messages.filter((m) => m.type === "message").map((m) => m.text),
      ["Hi there", "Still there?", "Yes!"],
    );
    const customerView = await listMessagesForCustomer(kv, conv.id);
    assert.deepEqual(customerView.map((m) => m.kind), [
      "text",
      "assigned",
      "text",
      "text",
      "closed",
    ]);
    assert.equal(customerView[1].text, "Ann joined the conversation.");
  });
});

Deno.test("[engine] notes, questions and staff events never reach the customer", async () => {
  await withKv(async (kv, engine) => {
    const agent = await randomAgent(kv);
    const other = await randomAgent(kv);
    const boss = await randomAgent(kv, "supervisor");
    await setAgentStatus(engine, agent.id, "online");
    const { conversation } = await customerSays(engine, "hi");
    await appendStaffMessage(engine, conversation.id, agent, {
      text: "note",
      clientId: "n",
      internal: true,
    });
    await appendStaffMessage(engine, conversation.id, agent, {
      text: "Refund allowed?",
      clientId: "q",
      toSupervisor: true,
    });
    let conv = (await getConversation(kv, conversation.id))!;
    assert.ok(conv.openQuestionSeq !== null, "the question is open");
    await appendStaffMessage(engine, conversation.id, boss, {
      text: "Yes",
      clientId: "a",
      internal: true,
    });
    conv = (await getConversation(kv, conversation.id))!;
    assert.equal(
      conv.openQuestionSeq,
      null,
      "a supervisor's note answers it, without taking the chat",
    );
    assert.equal(conv.assigneeId, agent.id);
    await setAgentStatus(engine, other.id, "online");
    await transferConversation(engine, conversation.id, agent, {
      toAgentId: other.id,
      note: "VIP",
    });
    const visible = await listMessagesForCustomer(kv, conversation.id);
    assert.deepEqual(visible.map((m) => m.kind), ["text", "assigned", "assigned"]);
    assert.ok(!JSON.stringify(visible).includes("VIP"));
    assert.ok(!JSON.stringify(visible).includes("Refund"));
    const staff = await listMessagesForStaff(kv, conversation.id);
    const transfer = staff.find((m) => m.kind === "transferred")!;
    assert.equal(transfer.data?.note, "VIP");
    assert.equal(transfer.data?.fromAgentId, agent.id);
    assert.equal(transfer.data?.toAgentId, other.id);
    await rejects(
      appendStaffMessage(engine, conversation.id, agent, { text: "x", clientId: "late" }),
      403,
      "not_your_chat",
    );
  });
});

Deno.test("[engine] lost heartbeat: Offline, chats to the front of the queue; a beat restores Online", async () => {
  await withKv(async (kv, engine) => {
    const a = await randomAgent(kv);
    const b = await randomAgent(kv);
    await setAgentStatus(engine, a.id, "online");
    const held = await customerSays(engine, "first");
    assert.equal(held.conversation.assigneeId, a.id);
    await setAgentStatus(engine, a.id, "busy");
    const waiting = await customerSays(engine, "second");
    assert.equal(waiting.conversation.status, "pending", "Busy receives nothing new");
    await ageHeartbeat(kv, a.id, 61_000);
    assert.deepEqual(await expireStalePresence(engine), [a.id]);
    assert.equal((await getPresence(kv, a.id))?.status, "offline");
    assert.equal((await getConversation(kv, held.conversation.id))?.status, "pending");
    await setAgentStatus(engine, b.id, "online");
    assert.equal(
      (await getConversation(kv, held.conversation.id))?.assigneeId,
      b.id,
      "the requeued chat went ahead of the older arrival",
    );
    const assignedOrder = (await allChanges(kv))
      .filter((c) => c.type === "conversation.assigned" && c.agentId === b.id)
      .map((c) => c.conversationId);
    assert.deepEqual(assignedOrder, [held.conversation.id, waiting.conversation.id]);
    assert.equal(await heartbeatAgent(engine, a.id), "busy", "a beat restores the status it had");
    await ageHeartbeat(kv, a.id, 61_000);
    await expireStalePresence(engine);
    await setAgentStatus(engine, a.id, "offline"); // the agent chose Offline meanwhile
    assert.equal(await heartbeatAgent(engine, a.id), "offline", "a chosen Offline stays Offline");
  });
});

Deno.test("[engine] requeueOnOffline off keeps the chats; going Offline by hand requeues them when on", async () => {
  await withKv(async (kv, engine) => {
    const a = await randomAgent(kv);
    await setAgentStatus(engine, a.id, "online");
    const c = await customerSays(engine, "hi");
    await updateSettings(engine, { requeueOnOffline: false });
    await setAgentStatus(engine, a.id, "offline");
    assert.equal((await getConversation(kv, c.conversation.id))?.assigneeId, a.id);
    await setAgentStatus(engine, a.id, "online");
    await updateSettings(engine, { requeueOnOffline: true });
    await setAgentStatus(engine, a.id, "offline");
    assert.equal((await getConversation(kv, c.conversation.id))?.status, "pending");
    assert.equal((await getLoad(kv, a.id)).conversationIds.length, 0);
    // More chats than one atomic op takes: all of them still go back.
    await updateSettings(engine, { maxChatsPerAgent: 30 });
    await setAgentStatus(engine, a.id, "online");
    for (let i = 0; i < 24; i++) await customerSays(engine, `more ${i}`);
    assert.equal((await getLoad(kv, a.id)).conversationIds.length, 25);
    await setAgentStatus(engine, a.id, "offline");
    assert.equal((await getLoad(kv, a.id)).conversationIds.length, 0);
    let queued = 0;
    for await (const _ of kv.list({ prefix: keys.queuePrefix() })) queued++;
    assert.equal(queued, 25);
  });
});

Deno.test("[engine] settings take effect live: lowering and raising max chats, dynamic assignment off", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { maxChatsPerAgent: 3 });
    const a = await randomAgent(kv);
    await setAgentStatus(engine, a.id, "online");
    const convs = [];
    for (let i = 0; i < 3; i++) convs.push((await customerSays(engine, `c${i}`)).conversation);
    assert.ok(convs.every((c) => c.assigneeId === a.id));
    await updateSettings(engine, { maxChatsPerAgent: 2 });
    await closeConversation(engine, convs[0].id, a, { notes: "ok" });
    const next = await customerSays(engine, "new");
    assert.equal(next.conversation.status, "pending", "still at the lowered max (2 held)");
    await updateSettings(engine, { maxChatsPerAgent: 4 });
    assert.equal((await getConversation(kv, next.conversation.id))?.assigneeId, a.id);
    await updateSettings(engine, { dynamicAssignment: false });
    const manual = await customerSays(engine, "manual");
    assert.equal(manual.conversation.status, "pending");
    await pickupConversation(engine, manual.conversation.id, a);
    const capped = await customerSays(engine, "capped");
    await rejects(pickupConversation(engine, capped.conversation.id, a), 409, "at_capacity");
    const b = await randomAgent(kv);
    await setAgentStatus(engine, b.id, "online");
    await pickupConversation(engine, capped.conversation.id, b);
    await rejects(pickupConversation(engine, capped.conversation.id, a), 409, "not_pending");
  });
});

Deno.test("[engine] unanswered chats go back to the queue for someone else", async () => {
  await withKv(async (kv, engine) => {
    const a = await randomAgent(kv);
    const b = await randomAgent(kv);
    await setAgentStatus(engine, a.id, "online");
    const c = (await customerSays(engine, "hello?")).conversation;
    assert.deepEqual(await requeueUnanswered(engine, Date.now() + 60_000), [], "120 s by default");
    await updateSettings(engine, { unansweredTimeoutSeconds: 0 });
    assert.deepEqual(await requeueUnanswered(engine, Date.now() + 3_600_000), [], "0 turns it off");
    await updateSettings(engine, { unansweredTimeoutSeconds: 30 });
    assert.deepEqual(await requeueUnanswered(engine, Date.now() + 10_000), [], "not yet");
    await setAgentStatus(engine, b.id, "online");
    // b got nothing yet (a holds the only chat); a's chat times out now:
    const requeued = await requeueUnanswered(engine, Date.now() + 31_000);
    assert.deepEqual(requeued, [c.id]);
    const { runAssignment } = await import("./assignment.ts");
    await runAssignment(engine);
    assert.equal((await getConversation(kv, c.id))?.assigneeId, b.id, "someone else gets it");
    await appendStaffMessage(engine, c.id, b, { text: "Hi!", clientId: "r" });
    assert.deepEqual(
      await requeueUnanswered(engine, Date.now() + 3_600_000),
      [],
      "a reply stops the timer",
    );
  });
});

Deno.test("[engine] context merge bounds, delivery states, WhatsApp outbound job, unread counts", async () => {
  await withKv(async (kv, engine) => {
    const jobs: unknown[] = [];
    const got = new Promise<void>((resolve) => {
      kv.listenQueue((m) => {
        jobs.push(m);
        resolve();
      });
    });
    const a = await randomAgent(kv);
    await setAgentStatus(engine, a.id, "online");
    // As the WhatsApp channel does: the customer's 24-hour window opens before the message.
    await noteCustomerMessage(kv, "15550001", new Date().toISOString());
    const r = await receiveCustomerMessage(engine, {
      channel: "whatsapp",
      contact: { whatsappId: "15550001", name: "Wa" },
      clientId: "wamid.1",
      text: "hola",
      context: { lang: "es" },
    });
    assert.deepEqual(r.conversation.context, { lang: "es" });
    assert.deepEqual(await mergeContext(engine, r.conversation.id, { plan: "pro", lang: null }), {
      plan: "pro",
    });
    await rejects(
      mergeContext(engine, r.conversation.id, { big: "x".repeat(2000) }),
      400,
      "context_value_too_large",
    );
    const dup = await receiveCustomerMessage(engine, {
      channel: "whatsapp",
      contact: { whatsappId: "15550001" },
      clientId: "wamid.1",
      text: "hola",
    });
    assert.equal(dup.duplicate, true);
    assert.equal(dup.message.id, r.message.id);

    const reply = await appendStaffMessage(engine, r.conversation.id, a, {
      text: "¡Hola!",
      clientId: "x",
    });
    assert.equal(reply.message.delivery?.status, "sending");
    await got;
    assert.deepEqual(jobs[0], {
      type: "whatsapp.outbound",
      payload: {
        conversationId: r.conversation.id,
        seq: reply.message.seq,
        messageId: reply.message.id,
      },
    });
    assert.equal(
      (await updateMessageDelivery(engine, reply.message.id, { status: "delivered" })).changed,
      true,
    );
    assert.equal(
      (await updateMessageDelivery(engine, reply.message.id, { status: "sent" })).changed,
      false,
    );
    const failed = await updateMessageDelivery(engine, reply.message.id, {
      status: "failed",
      code: "131047",
    });
    assert.equal(failed.changed, false, "a delivered message did not fail");
    const read = await updateMessageDelivery(engine, reply.message.id, { status: "read" });
    assert.equal(read.message.delivery?.status, "read");
    await rejects(
      updateMessageDelivery(engine, r.message.id, { status: "read" }),
      409,
      "no_delivery",
    );
    await rejects(updateMessageDelivery(engine, "nope", { status: "read" }), 404, "not_found");

    for (let i = 2; i <= 4; i++) {
      await receiveCustomerMessage(engine, {
        channel: "whatsapp",
        contact: { whatsappId: "15550001" },
        clientId: `wamid.${i}`,
        text: `m${i}`,
      });
    }
    let conv = (await getConversation(kv, r.conversation.id))!;
    assert.equal((await unreadCounts(kv, [conv], a.id)).get(conv.id), 4);
    await markRead(engine, conv.id, a.id, reply.message.seq);
    assert.equal((await unreadCounts(kv, [conv], a.id)).get(conv.id), 3);
    await markRead(engine, conv.id, a.id, 1);
    assert.equal((await unreadCounts(kv, [conv], a.id)).get(conv.id), 3, "never moves back");
    await markRead(engine, conv.id, a.id, 10_000);
    conv = (await getConversation(kv, r.conversation.id))!;
    assert.equal((await unreadCounts(kv, [conv], a.id)).get(conv.id), 0);
    await closeConversation(engine, conv.id, a, { notes: "done" });
    await rejects(mergeContext(engine, conv.id, { a: 1 }), 409, "conversation_closed");
    assert.ok((await kv.get(keys.contactByChannel("whatsapp", "15550001"))).value);
  });
});

Deno.test("[engine] bad customer input is refused and stores nothing", async () => {
  await withKv(async (kv, engine) => {
    const bad = [
      { channel: "webchat", contact: {}, clientId: "c", text: "hi" },
      { channel: "webchat", contact: { webVisitorId: "v" }, clientId: "", text: "hi" },
      { channel: "webchat", contact: { webVisitorId: "v" }, clientId: "c", text: "   " },
      { channel: "webchat", contact: { webVisitorId: "v" }, clientId: "c", text: "x".repeat(4097) },
      { channel: "sms", contact: { webVisitorId: "v" }, clientId: "c", text: "hi" },
      { channel: "whatsapp", contact: { webVisitorId: "v" }, clientId: "c", text: "hi" },
      {
        channel: "webchat",
        contact: { webVisitorId: "v" },
        clientId: "c",
        text: "hi",
        context: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      },
    ];
    for (const input of bad) {
      // deno-lint-ignore no-explicit-any
      await assert.rejects(receiveCustomerMessage(engine, input as any), (err: unknown) => {
        assert.ok(
          err instanceof AppError && err.status === 400,
          JSON.stringify(input).slice(0, 80),
        );
        return true;
      });
    }
    const left = [];
    for await (const e of kv.list({ prefix: [] })) left.push(e.key);
    assert.deepEqual(left, [], "nothing stored");
  });
});
