import assert from "node:assert/strict";
import {
  closeConversation,
  findContact,
  getContact,
  getContactHistory,
  getConversation,
  mergeContacts,
  receiveCustomerMessage,
} from "./mod.ts";
import { randomAgent, rejects, withKv } from "./test_util.ts";

const web = (visitor: string, clientId: string, text = "hi") => ({
  channel: "webchat" as const,
  contact: { webVisitorId: visitor },
  clientId,
  text,
});
const wa = (id: string, clientId: string, text = "hola") => ({
  channel: "whatsapp" as const,
  contact: { whatsappId: id, name: "Ana" },
  clientId,
  text,
});

Deno.test("[engine] merging a web visitor and a WhatsApp contact: one history across channels", async () => {
  await withKv(async (kv, engine) => {
    const boss = await randomAgent(kv, "supervisor");
    const agent = await randomAgent(kv);
    const w1 = await receiveCustomerMessage(engine, web("visitor-m", "w1"));
    await closeConversation(engine, w1.conversation.id, boss, { notes: "web chat" });
    const open = await receiveCustomerMessage(engine, wa("15550009", "wamid.1"));
    await rejects(mergeContacts(engine, agent, open.contact.id, w1.contact.id), 403, "forbidden");
    await rejects(
      mergeContacts(engine, boss, open.contact.id, open.contact.id),
      400,
      "same_contact",
    );
    await rejects(mergeContacts(engine, boss, open.contact.id, "nobody"), 404, "not_found");

    const { contact, moved } = await mergeContacts(engine, boss, open.contact.id, w1.contact.id);
    assert.equal(moved, 1);
    assert.equal(contact.webVisitorId, "visitor-m");
    assert.equal(contact.whatsappId, "15550009");
    assert.equal((await getContact(kv, w1.contact.id))?.mergedInto, open.contact.id);
    assert.equal((await findContact(kv, "webchat", "visitor-m"))?.id, open.contact.id);
    assert.equal((await getConversation(kv, w1.conversation.id))?.contactId, open.contact.id);
    const history = await getContactHistory(kv, boss, open.conversation.id);
    assert.deepEqual(history.items.map((i) => i.conversation.id), [w1.conversation.id]);

    // The web visitor writes again: the kept contact, a new web conversation.
    const again = await receiveCustomerMessage(engine, web("visitor-m", "w2"));
    assert.equal(again.contact.id, open.contact.id);
    // A redelivered old message is still recognised after the merge.
    const dup = await receiveCustomerMessage(engine, web("visitor-m", "w1"));
    assert.equal(dup.duplicate, true);
    assert.equal(dup.message.id, w1.message.id);
    // Merging again is a no-op that finishes; merging the tombstone elsewhere is refused.
    assert.equal((await mergeContacts(engine, boss, open.contact.id, w1.contact.id)).moved, 0);
    const other = await receiveCustomerMessage(engine, web("visitor-x", "x1"));
    await rejects(
      mergeContacts(engine, boss, other.contact.id, w1.contact.id),
      409,
      "already_merged",
    );
  });
});

Deno.test("[engine] contacts with open chats on the same channel do not merge", async () => {
  await withKv(async (kv, engine) => {
    const boss = await randomAgent(kv, "supervisor");
    const a = await receiveCustomerMessage(engine, web("va", "a1"));
    const b = await receiveCustomerMessage(engine, web("vb", "b1"));
    await rejects(mergeContacts(engine, boss, a.contact.id, b.contact.id), 409, "both_open");
    await closeConversation(engine, b.conversation.id, boss, { notes: "dup" });
    await mergeContacts(engine, boss, a.contact.id, b.contact.id);
    const next = await receiveCustomerMessage(engine, web("vb", "b2"));
    assert.equal(next.conversation.id, a.conversation.id, "vb now continues a's open chat");
  });
});
