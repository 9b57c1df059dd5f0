/**
 * A contact's data on request (issue 16, item 6; GDPR access and erasure):
 * everything Parley holds about one person as one JSON document, and its
 * erasure. Admins only (the routes check the role and audit both).
 *
 * Erasure anonymises every conversation of the contact (./retention.ts
 * `anonymiseConversation`: texts, names, context, notes and files go; the
 * records' shape stays, so reports and counters still add up), then deletes
 * the contact record, the contacts merged into it, their channel ids, the
 * details held for them and the WhatsApp window record: the person is not
 * recognised when they write again. A contact with an open chat is refused
 * (409 `contact_has_open_chat`): close it first, so nothing they write while
 * the erasure runs is left behind. Erasing again finishes an interrupted one.
 */
import {
  CHANNELS,
  type Contact,
  type Conversation,
  type Message,
} from "../../domain/engine_types.ts";
import { AppError, conflict, notFound } from "../../errors.ts";
import { keys } from "../keys.ts";
import type { Engine } from "./engine.ts";
import { listMessagesForStaff } from "./messages.ts";
import { getManyEntries } from "./records.ts";
import { anonymiseConversation } from "./retention.ts";

/** The export document (`GET /api/v1/admin/contacts/:id/export`). */
export interface ContactExport {
  exportedAt: string;
  contact: Contact;
  /** Contacts merged into this one (the same person on another channel). */
  mergedContacts: Contact[];
  conversations: {
    conversation: Conversation;
    /** What was said with the customer and the system events, oldest first. */
    messages: Message[];
    /** Internal notes of staff about this conversation. */
    notes: Message[];
  }[];
}

/** The contact's conversation ids, oldest first. */
async function conversationIds(kv: Deno.Kv, contactId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of kv.list({ prefix: keys.contactConversationsPrefix(contactId) })) {
    ids.push(e.key[2] as string);
  }
  return ids;
}

/** A contact that can be exported or erased: 404 when unknown or merged into another. */
async function liveContact(kv: Deno.Kv, contactId: string): Promise<Contact> {
  const contact = (await kv.get<Contact>(keys.contact(contactId))).value;
  if (!contact || contact.mergedInto) throw notFound("Contact");
  return contact;
}

/** Everything held about one contact, as one JSON-ready document. 404 when unknown. */
export async function exportContactData(kv: Deno.Kv, contactId: string): Promise<ContactExport> {
  const contact = await liveContact(kv, contactId);
  const merged = await getManyEntries<Contact>(kv, (contact.mergedFrom ?? []).map(keys.contact));
  const convs = await getManyEntries<Conversation>(
    kv,
    (await conversationIds(kv, contactId)).map(keys.conversation),
  );
  const conversations: ContactExport["conversations"] = [];
  for (const e of convs) {
    if (!e.value) continue;
    const log: Message[] = [];
    for (let after = 0;;) {
      const page = await listMessagesForStaff(kv, e.value.id, after, 500);
      log.push(...page);
      if (page.length < 500) break;
      after = page[page.length - 1].seq;
    }
    conversations.push({
      conversation: e.value,
      messages: log.filter((m) => m.type !== "note"),
      notes: log.filter((m) => m.type === "note"),
    });
  }
  return {
    exportedAt: new Date().toISOString(),
    contact,
    mergedContacts: merged.flatMap((m) => m.value ? [m.value] : []),
    conversations,
  };
}

/**
 * Erases a contact (see the module comment). Returns how many conversations
 * were anonymised now. 404 unknown, 409 `contact_has_open_chat`.
 */
export async function eraseContact(
  engine: Engine,
  contactId: string,
): Promise<{ contact: Contact; conversations: number }> {
  const { kv } = engine;
  const contact = await liveContact(kv, contactId);
  const people = [
    contact,
    ...(await getManyEntries<Contact>(kv, (contact.mergedFrom ?? []).map(keys.contact)))
      .flatMap((e) => e.value ? [e.value] : []),
  ];
  await forgetChannelIds(kv, contact, people);
  const ids = await conversationIds(kv, contactId);
  let conversations = 0;
  for (const id of ids) if (await anonymiseConversation(engine, id)) conversations++;
  // The history index, then the records: an interrupted erasure is found again from the contact.
  for (let i = 0; i < ids.length; i += 500) {
    const op = kv.atomic();
    for (const id of ids.slice(i, i + 500)) op.delete(keys.contactConversation(contactId, id));
    await op.commit();
  }
  const op = kv.atomic();
  for (const person of people) op.delete(keys.contact(person.id));
  await op.commit();
  return { contact, conversations };
}

/**
 * First step of an erasure, one atomic op: the channel ids stop finding the
 * contact (its next message makes a new contact), and the held details and
 * WhatsApp window go. It checks the contact's open-chat keys: a message that
 * opens a chat at the same moment makes it look again, and then refuse.
 */
async function forgetChannelIds(kv: Deno.Kv, contact: Contact, people: Contact[]): Promise<void> {
  const ours = new Set(people.map((p) => p.id));
  for (let attempt = 0; attempt < 20; attempt++) {
    const opens = await kv.getMany<string[]>(
      CHANNELS.map((ch) => keys.contactOpen(contact.id, ch)),
    );
    const openConvs = await getManyEntries<Conversation>(
      kv,
      opens.map((e) => keys.conversation(e.value ?? "none")),
    );
    const open = openConvs.find((e) => e.value && e.value.status !== "closed")?.value;
    if (open) {
      throw new AppError(
        409,
        "contact_has_open_chat",
        "This contact has an open conversation: close it first, then erase.",
        { conversationId: open.id },
      );
    }
    const op = kv.atomic();
    opens.forEach((e) => op.check(e).delete(e.key));
    openConvs.forEach((e) => op.check(e));
    for (const person of people) {
      for (const [ch, id] of [["webchat", person.webVisitorId], ["whatsapp", person.whatsappId]]) {
        if (!id) continue;
        const index = await kv.get<string>(keys.contactByChannel(ch!, id));
        if (index.value && ours.has(index.value)) op.check(index).delete(index.key);
        op.delete(keys.heldDetails(ch!, id));
        if (ch === "whatsapp") op.delete(keys.whatsappWindow(id));
      }
    }
    if ((await op.commit()).ok) return;
  }
  throw conflict("busy", "The contact changed many times at once; try again.");
}
