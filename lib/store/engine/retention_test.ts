/** Retention and erasure (issue 16, item 6): anonymised, batched, idempotent, counters kept. */
import assert from "node:assert/strict";
import { keys } from "../keys.ts";
import type { Engine } from "./engine.ts";
import {
  appendStaffMessage,
  closeConversation,
  getContact,
  getConversation,
  listMessagesForStaff,
  mergeContext,
  setAgentStatus,
  updateSettings,
} from "./mod.ts";
import { eraseContact, exportContactData } from "./contact_data.ts";
import { readMetrics } from "./metrics_read.ts";
import { runRetention } from "./retention.ts";
import { customerSays, randomAgent, rejects, whatsappCustomerSays, withKv } from "./test_util.ts";
import type { Agent } from "../agents.ts";
import { type ParsedQuery, parseSearchQuery } from "../../domain/search_text.ts";
import { searchConversations } from "./search_query.ts";

/** Conversation ids a supervisor's search for `q` finds. */
async function found(kv: Deno.Kv, boss: Agent, q: string): Promise<string[]> {
  const query = parseSearchQuery(q) as ParsedQuery;
  return (await searchConversations(kv, boss, { query })).items.map((i) => i.conversation.id);
}

const DAY = 86_400_000;

/** A closed web chat with `n` more customer/agent exchanges, a note and page context. */
async function closedChat(engine: Engine, agent: Agent, visitor: string, n = 2) {
  const chat = (await customerSays(engine, "My name is Carla, email carla@example.com", visitor))
    .conversation;
  await mergeContext(engine, chat.id, { plan: "gold", pageUrl: "https://shop.test/orders/77" });
  for (let i = 0; i < n; i++) {
    await appendStaffMessage(engine, chat.id, agent, {
      text: `Reply ${i}`,
      clientId: crypto.randomUUID(),
    });
    await customerSays(engine, `Secret ${i}`, visitor);
  }
  await appendStaffMessage(engine, chat.id, agent, {
    text: "Customer seems upset",
    clientId: crypto.randomUUID(),
    internal: true,
  });
  await closeConversation(engine, chat.id, agent, { notes: "Refunded Carla", tags: ["refund"] });
  return chat.id;
}

async function metricTotals(kv: Deno.Kv) {
  const from = Math.floor(Date.now() / DAY) * DAY - DAY;
  return JSON.stringify(await readMetrics(kv, "all", "d", from, from + 3 * DAY));
}

Deno.test("[retention] off by default; on, closed chats past N days are anonymised in batches, once, counters kept", async () => {
  await withKv(async (kv, engine) => {
    const agent = await randomAgent(kv, "agent");
    await setAgentStatus(engine, agent.id, "online");
    const old = await closedChat(engine, agent, "v-old", 30); // > 40 messages: several batches
    const open = (await customerSays(engine, "still here", "v-open")).conversation.id;
    const before = await metricTotals(kv);

    assert.deepEqual(await runRetention(engine, Date.now() + 400 * DAY), {
      anonymised: 0,
      more: false,
    });
    assert.match((await listMessagesForStaff(kv, old))[0].text, /Carla/);

    await updateSettings(engine, { retentionDays: 30 });
    assert.deepEqual(await runRetention(engine, Date.now() + 10 * DAY), {
      anonymised: 0,
      more: false,
    }, "too recent");
    assert.deepEqual(await runRetention(engine, Date.now() + 31 * DAY), {
      anonymised: 1,
      more: false,
    });
    const conv = (await getConversation(kv, old))!;
    assert.ok(conv.anonymisedAt);
    assert.equal(conv.status, "closed");
    assert.deepEqual(conv.context, {});
    assert.equal(conv.wrapUp?.notes, "");
    assert.deepEqual(conv.wrapUp?.tags, ["refund"], "tags stay: reports count them");
    const log = await listMessagesForStaff(kv, old, 0, 1000);
    assert.ok(log.length > 60, "every message kept, in order");
    for (const m of log) {
      assert.equal(m.text, "", `seq ${m.seq} scrubbed`);
      assert.equal(m.author.name, m.author.type === "customer" ? undefined : m.author.name);
    }
    assert.ok(
      JSON.stringify(log).indexOf("Carla") < 0 && JSON.stringify(log).indexOf("Secret") < 0,
    );
    assert.equal(await metricTotals(kv), before, "the metrics counters are untouched");
    const stillOpen = (await getConversation(kv, open))!;
    assert.equal(stillOpen.anonymisedAt, undefined, "open chats are never touched");
    assert.equal((await listMessagesForStaff(kv, open))[0].text, "still here");

    assert.deepEqual(await runRetention(engine, Date.now() + 31 * DAY), {
      anonymised: 0,
      more: false,
    }, "idempotent");
    // A run limit leaves the rest for the next run.
    await closedChat(engine, agent, "v-a", 0);
    await closedChat(engine, agent, "v-b", 0);
    assert.deepEqual(await runRetention(engine, Date.now() + 31 * DAY, 1), {
      anonymised: 1,
      more: true,
    });
    assert.deepEqual(await runRetention(engine, Date.now() + 31 * DAY, 1), {
      anonymised: 1,
      more: true,
    });
    assert.deepEqual(await runRetention(engine, Date.now() + 31 * DAY, 1), {
      anonymised: 0,
      more: false,
    });
  });
});

Deno.test("[retention] export holds contact, conversations, messages and notes; erase forgets the person", async () => {
  await withKv(async (kv, engine) => {
    const agent = await randomAgent(kv, "agent");
    await setAgentStatus(engine, agent.id, "online");
    const first = await closedChat(engine, agent, "v-carla");
    const contactId = (await getConversation(kv, first))!.contactId;
    const again = (await customerSays(engine, "Me again", "v-carla")).conversation;
    const other = await closedChat(engine, agent, "v-other");
    const boss = await randomAgent(kv, "supervisor");
    assert.ok((await found(kv, boss, "Secret")).includes(first), "searchable before");

    const data = await exportContactData(kv, contactId);
    assert.equal(data.contact.id, contactId);
    assert.equal(data.conversations.length, 2);
    const firstDoc = data.conversations.find((c) => c.conversation.id === first)!;
    assert.ok(firstDoc.messages.some((m) => m.text === "Secret 1"));
    assert.deepEqual(firstDoc.notes.map((m) => m.text), ["Customer seems upset"]);
    assert.ok(!firstDoc.messages.some((m) => m.type === "note"));
    await rejects(exportContactData(kv, "nobody"), 404, "not_found");

    await rejects(eraseContact(engine, contactId), 409, "contact_has_open_chat");
    assert.ok(await getContact(kv, contactId), "a refused erasure changes nothing");
    assert.match((await listMessagesForStaff(kv, first))[0].text, /Carla/);
    await closeConversation(engine, again.id, agent, { notes: "done" });
    const closedBefore = await metricTotals(kv);

    const erased = await eraseContact(engine, contactId);
    assert.equal(erased.conversations, 2);
    assert.equal(await getContact(kv, contactId), null);
    assert.equal((await kv.get(keys.contactByChannel("webchat", "v-carla"))).value, null);
    for (const id of [first, again.id]) {
      const conv = (await getConversation(kv, id))!;
      assert.ok(conv.anonymisedAt);
      assert.ok((await listMessagesForStaff(kv, id)).every((m) => m.text === ""));
    }
    assert.match((await listMessagesForStaff(kv, other))[0].text, /Carla/, "others untouched");
    assert.deepEqual(await found(kv, boss, "Secret"), [other], "gone from search, others stay");
    assert.deepEqual(await found(kv, boss, "upset"), [other], "notes too");
    assert.equal(await metricTotals(kv), closedBefore, "the metrics counters are untouched");
    await rejects(eraseContact(engine, contactId), 404, "not_found");
    // Writing again makes a new contact: the person is not recognised.
    const back = await customerSays(engine, "Hello?", "v-carla");
    assert.notEqual(back.contact.id, contactId);
  });
});

Deno.test("[retention] erasing a WhatsApp contact forgets the number and the window", async () => {
  await withKv(async (kv, engine) => {
    const agent = await randomAgent(kv, "agent");
    await setAgentStatus(engine, agent.id, "online");
    const r = await whatsappCustomerSays(engine, "34600999888", "Hola, soy Ana");
    await closeConversation(engine, r.conversation.id, agent, { notes: "ok" });
    await eraseContact(engine, r.contact.id);
    assert.equal((await kv.get(keys.contactByChannel("whatsapp", "34600999888"))).value, null);
    assert.equal((await kv.get(keys.whatsappWindow("34600999888"))).value, null);
    assert.equal((await listMessagesForStaff(kv, r.conversation.id))[0].text, "");
  });
});
