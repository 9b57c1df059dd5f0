/**
 * Search on the real engine and a real (in-memory) KV: what each kind of
 * record makes findable, who finds it, paging, and taking data out again.
 */
import assert from "node:assert/strict";
import { type ParsedQuery, parseSearchQuery } from "../../domain/search_text.ts";
import type { Agent } from "../agents.ts";
import { storeAttachment } from "../attachments.ts";
import { keys } from "../keys.ts";
import {
  appendStaffMessage,
  closeConversation,
  mergeContacts,
  pickupConversation,
  receiveCustomerMessage,
  transferConversation,
  updateSettings,
} from "./mod.ts";
import { setAgentStatus } from "./presence.ts";
import { handOffConversation } from "./handoff.ts";
import { MAX_INDEX_WRITES } from "./op.ts";
import { removeContactFromSearch, removeConversationFromSearch } from "./search_index.ts";
import { searchConversations } from "./search_query.ts";
import type { Engine } from "./engine.ts";
import { customerSays, randomAgent, withKv } from "./test_util.ts";

function q(text: string): ParsedQuery {
  const parsed = parseSearchQuery(text);
  if ("code" in parsed) throw new Error(parsed.message);
  return parsed;
}

async function ids(kv: Deno.Kv, viewer: Agent, text: string): Promise<string[]> {
  const page = await searchConversations(kv, viewer, { query: q(text), limit: 50 });
  return page.items.map((i) => i.conversation.id);
}

/** A chat the agent picks up (dynamic assignment off, so it is theirs alone). */
async function chatWith(engine: Engine, agent: Agent, text: string, contact = {}) {
  const { conversation } = await receiveCustomerMessage(engine, {
    channel: "webchat",
    contact: { webVisitorId: crypto.randomUUID(), ...contact },
    clientId: crypto.randomUUID(),
    text,
  });
  await pickupConversation(engine, conversation.id, agent);
  return conversation.id;
}

async function setup(engine: Engine) {
  const boss = await randomAgent(engine.kv, "supervisor");
  await updateSettings(engine, { dynamicAssignment: false });
  const ann = await randomAgent(engine.kv, "agent", { maxChats: 50 });
  const bob = await randomAgent(engine.kv, "agent", { maxChats: 50 });
  for (const a of [ann, bob, boss]) await setAgentStatus(engine, a.id, "online");
  return { boss, ann, bob };
}

Deno.test("[search] message words fold case and accents; the last word matches as a prefix", async () => {
  await withKv(async (kv, engine) => {
    const { boss } = await setup(engine);
    const a = (await customerSays(engine, "¿Dónde está mi PEDIDO? Número 4711")).conversation.id;
    const b = (await customerSays(engine, "Refund please, the parcel never came")).conversation.id;
    assert.deepEqual(await ids(kv, boss, "donde esta"), [a]);
    assert.deepEqual(await ids(kv, boss, "Pedido número"), [a]);
    assert.deepEqual(await ids(kv, boss, "DÓNDE"), [a]);
    assert.deepEqual(await ids(kv, boss, "4711"), [a]);
    assert.deepEqual(await ids(kv, boss, "refu"), [b], "typing: a prefix");
    assert.deepEqual(await ids(kv, boss, "refu "), [], "a finished word matches whole");
    assert.deepEqual(await ids(kv, boss, "parcel refund"), [b], "every word, any order");
    assert.deepEqual(await ids(kv, boss, "parcel pedido"), [], "all words must occur");
    const page = await searchConversations(kv, boss, { query: q("donde") });
    const m = page.items[0].match;
    assert.equal(m.field, "message");
    assert.equal(m.text.slice(m.highlights[0][0], m.highlights[0][1]), "Dónde");
  });
});

Deno.test("[search] contact details, tags and wrap-up notes are found, newest first", async () => {
  await withKv(async (kv, engine) => {
    const { boss, ann } = await setup(engine);
    const older = await chatWith(engine, ann, "Hello", {
      name: "Zoë Lindqvist",
      email: "zoe.lindqvist@example.org",
      phone: "+34 600 123 456",
    });
    const newer = await chatWith(engine, ann, "Hi there", { email: "other@example.org" });
    assert.deepEqual(await ids(kv, boss, "zoe lindqvist"), [older]);
    assert.deepEqual(await ids(kv, boss, "zoe.lindqvist@example.org"), [older]);
    assert.deepEqual(await ids(kv, boss, "34600123456"), [older], "the phone's digits");
    assert.deepEqual(await ids(kv, boss, "example.org"), [newer, older], "newest first");
    const contactHit = (await searchConversations(kv, boss, { query: q("lindqvist") })).items[0];
    assert.equal(contactHit.match.field, "contact");
    assert.equal(contactHit.contact.email, "zoe.lindqvist@example.org");

    await closeConversation(engine, older, ann, {
      notes: "Customer wanted a chargeback",
      tags: ["Billing-dispute"],
    });
    assert.deepEqual(await ids(kv, boss, "chargeback"), [older]);
    assert.deepEqual(await ids(kv, boss, "billing dispute"), [older]);
    const wrap = (await searchConversations(kv, boss, { query: q("chargeback") })).items[0];
    assert.equal(wrap.match.field, "wrap_up");
    assert.deepEqual(wrap.conversation.tags, ["Billing-dispute"]);
  });
});

Deno.test("[search] agents find only chats they hold or held; notes only as staff see them", async () => {
  await withKv(async (kv, engine) => {
    const { boss, ann, bob } = await setup(engine);
    const annChat = await chatWith(engine, ann, "My invoice is wrong");
    const bobChat = await chatWith(engine, bob, "My invoice is late");
    const waiting = (await customerSays(engine, "invoice question")).conversation.id;
    await appendStaffMessage(engine, annChat, ann, {
      text: "Escalate to finance team",
      clientId: "n1",
      internal: true,
    });
    assert.deepEqual(await ids(kv, ann, "invoice"), [annChat]);
    assert.deepEqual(await ids(kv, bob, "invoice"), [bobChat]);
    assert.deepEqual(await ids(kv, boss, "invoice"), [waiting, bobChat, annChat]);
    assert.deepEqual(await ids(kv, ann, "finance"), [annChat], "the note, for its author");
    assert.deepEqual(await ids(kv, bob, "finance"), [], "never another agent's note");
    const note = (await searchConversations(kv, boss, { query: q("finance") })).items[0];
    assert.equal(note.match.field, "note");

    // Transferred to Bob: hidden from Ann while Bob holds it, hers to find again once closed.
    await transferConversation(engine, annChat, ann, { toAgentId: bob.id });
    assert.deepEqual(await ids(kv, ann, "invoice"), []);
    assert.deepEqual(await ids(kv, bob, "invoice"), [bobChat, annChat]);
    await closeConversation(engine, annChat, bob, { notes: "Fixed" });
    assert.deepEqual(await ids(kv, ann, "invoice"), [annChat]);
  });
});

Deno.test("[search] pages follow each other without repeats or gaps, also for a prefix", async () => {
  await withKv(async (kv, engine) => {
    const { boss } = await setup(engine);
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      const text = i % 2 === 0 ? `shipping delay ${i}` : `shipment lost ${i}`;
      made.push((await customerSays(engine, text)).conversation.id);
      await customerSays(engine, "unrelated chatter");
    }
    const cases: [string, string[]][] = [["ship", made], [
      "shipping",
      made.filter((_, i) => i % 2 === 0),
    ]];
    for (const [text, want] of cases) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await searchConversations(kv, boss, { query: q(text), cursor, limit: 5 });
        seen.push(...page.items.map((i) => i.conversation.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, [...want].reverse(), `"${text}": every match once, newest first`);
    }
  });
});

Deno.test("[search] erasure takes a conversation, or a contact's details, out of the index", async () => {
  await withKv(async (kv, engine) => {
    const { boss, ann } = await setup(engine);
    const id = await chatWith(engine, ann, "Call me about the gadget, Mallory", {
      name: "Mallory Kessler",
      email: "mallory@example.net",
    });
    const other = await chatWith(engine, ann, "gadget broken");
    assert.deepEqual(await ids(kv, boss, "kessler"), [id]);
    await removeContactFromSearch(
      kv,
      (await kv.get<{ contactId: string }>(keys.conversation(id)))
        .value!.contactId,
    );
    assert.deepEqual(await ids(kv, boss, "kessler"), [], "the name is gone");
    assert.deepEqual(await ids(kv, boss, "mallory@example.net"), [], "the email is gone");
    assert.deepEqual(await ids(kv, boss, "mallory"), [id], "a word the customer wrote stays");

    await removeConversationFromSearch(kv, id);
    assert.deepEqual(await ids(kv, boss, "gadget"), [other]);
    for await (const e of kv.list({ prefix: ["search"] })) {
      assert.notEqual(e.key[2], id, `left behind: ${JSON.stringify(e.key)}`);
    }
  });
});

Deno.test("[search] merged conversations are found by the kept contact's details", async () => {
  await withKv(async (kv, engine) => {
    const { boss } = await setup(engine);
    const keep = await receiveCustomerMessage(engine, {
      channel: "whatsapp",
      contact: { whatsappId: "15550001111", name: "Priya Raman" },
      clientId: "w1",
      text: "hello",
    });
    const web = await customerSays(engine, "the other channel");
    await mergeContacts(engine, boss, keep.contact.id, web.contact.id);
    assert.deepEqual(await ids(kv, boss, "priya channel"), [web.conversation.id]);
  });
});

Deno.test("[search] a group of wordy messages still commits together, every word indexed", async () => {
  await withKv(async (kv, engine) => {
    const { boss } = await setup(engine);
    // 64 chats at once, each message with 50 distinct words: the group's estimates must hold.
    const words = (i: number) =>
      "common " + Array.from({ length: 60 }, (_, j) => `w${i}x${j}`).join(" ");
    const sent = await Promise.all(
      Array.from({ length: 64 }, (_, i) => customerSays(engine, words(i))),
    );
    assert.equal((await ids(kv, boss, "common")).length, 50, "a page of 50");
    for (const [i, s] of sent.entries()) {
      assert.deepEqual(await ids(kv, boss, `w${i}x0 w${i}x48`), [s.conversation.id]);
    }
    assert.deepEqual(await ids(kv, boss, "w3x55"), [], "past 50 terms a message is not indexed");
  });
});

Deno.test("[search] a file's name finds the message that carries it", async () => {
  await withKv(async (kv, engine) => {
    const { boss, ann } = await setup(engine);
    const id = await chatWith(engine, ann, "hello");
    const bytes = new Uint8Array(100);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const file = await storeAttachment(kv, new Blob([bytes as BlobPart]).stream(), {
      filename: "Rechnung-März.png",
      declaredType: "image/png",
      owner: `agent:${ann.id}`,
      conversationId: id,
      maxBytes: 1024 * 1024,
      scheduleCleanup: async () => {},
    });
    await appendStaffMessage(engine, id, ann, {
      text: "Here it is",
      clientId: "f1",
      attachments: [file.id],
    });
    const page = await searchConversations(kv, boss, { query: q("rechnung marz") });
    assert.deepEqual(page.items.map((i) => i.conversation.id), [id]);
    const m = page.items[0].match;
    assert.deepEqual(m.highlights.map(([s, e]) => m.text.slice(s, e)), ["Rechnung", "März"]);
  });
});

Deno.test("[search] a search cut short by its read budget goes on from there, skipping nothing", async () => {
  await withKv(async (kv, engine) => {
    const { boss } = await setup(engine);
    // "alpha" in even chats, "beta" in odd ones, both in every 15th: the lists interleave,
    // so the walk reads a lot between matches.
    const both: string[] = [];
    for (let i = 0; i < 120; i++) {
      const text = i % 15 === 0 ? "alpha beta" : i % 2 === 0 ? "alpha" : "beta";
      const id = (await customerSays(engine, text)).conversation.id;
      if (i % 15 === 0) both.push(id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let partials = 0;
    for (let pages = 0; pages < 200; pages++) {
      const page = await searchConversations(kv, boss, {
        query: q("alpha beta"),
        cursor,
        limit: 3,
        maxReads: 12,
      });
      seen.push(...page.items.map((i) => i.conversation.id));
      if (page.partial) partials++;
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    assert.ok(partials > 0, "the budget did cut searches short");
    assert.deepEqual(seen, [...both].reverse(), "every match once, in order");
  });
});

Deno.test("[search] a long bot hand-off commits whole; its index stops at the per-commit cap", async () => {
  await withKv(async (kv, engine) => {
    const { boss } = await setup(engine);
    // 100 lines of 50 distinct words: 5,000 terms, more than one commit may write.
    const transcript = Array.from({ length: 100 }, (_, i) => ({
      from: i % 2 === 0 ? "customer" as const : "bot" as const,
      text: Array.from({ length: 50 }, (_, j) => `t${i}y${j}`).join(" "),
    }));
    const result = await handOffConversation(engine, {
      handoffId: "h-1",
      channel: "webchat",
      contact: { webVisitorId: "v-handoff", name: "Hanna Handoff" },
      transcript,
      summary: "Wants a refund",
    }, { id: "bot-1", name: "Botty" });
    assert.equal(result.messages.length, 101, "every line and the summary are stored");
    const id = result.conversation.id;
    assert.deepEqual(await ids(kv, boss, "t0y0 t0y49"), [id], "the first lines are findable");
    assert.deepEqual(await ids(kv, boss, "hanna handoff"), [id], "the contact comes first");
    let postings = 0;
    for await (const e of kv.list({ prefix: ["search"] })) if (e.key[2] === id) postings++;
    // The cap counts the 2 contact-term listings too.
    assert.equal(postings, MAX_INDEX_WRITES - 2);
  });
});
