/**
 * The contact profile beside a conversation (issue 18, gap 1): who the
 * customer is across channels, since when, how many conversations, and the
 * staff's corrections to their name and email. Staff reach a contact through
 * a conversation they may see, so the conversation rules (canView) decide
 * who may read or correct it; merging stays in ./contacts.ts (supervisors).
 */
import type { Agent } from "../agents.ts";
import type { Channel, Contact, Conversation } from "../../domain/engine_types.ts";
import { CHANNELS } from "../../domain/engine_types.ts";
import { notFound } from "../../errors.ts";
import { keys } from "../keys.ts";
import { getConversationFor } from "./queries.ts";
import { mutate } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { indexContact } from "./search_index.ts";

/** How far the profile counts a contact's conversations (the history pages beyond). */
const COUNT_LIMIT = 1000;

export interface ContactProfile {
  contact: Contact;
  /** Channels the contact has written from (a channel id, or a conversation on it). */
  channels: Channel[];
  /** When Parley first heard from this person (their first conversation, or the record). */
  firstSeenAt: string;
  /** Their conversations, this one included (at most 1000 counted: `conversationCountCapped`). */
  conversationCount: number;
  conversationCountCapped: boolean;
}

async function contactOf(kv: Deno.Kv, conv: Conversation): Promise<Deno.KvEntryMaybe<Contact>> {
  const entry = await kv.get<Contact>(keys.contact(conv.contactId));
  if (!entry.value) throw notFound("Contact");
  return entry;
}

/** The profile of the contact of a conversation the viewer may see (404/403 as the conversation). */
export async function getContactProfile(
  kv: Deno.Kv,
  viewer: Agent,
  conversationId: string,
): Promise<ContactProfile> {
  const conv = await getConversationFor(kv, viewer, conversationId);
  const contact = (await contactOf(kv, conv)).value!;
  const channels = new Set<Channel>();
  if (contact.webVisitorId) channels.add("webchat");
  if (contact.whatsappId) channels.add("whatsapp");
  let count = 0;
  let firstId: string | null = null;
  for await (
    const e of kv.list<string>({ prefix: keys.contactConversationsPrefix(contact.id) }, {
      limit: COUNT_LIMIT + 1,
    })
  ) {
    count++;
    firstId ??= e.key[2] as string;
    if (CHANNELS.includes(e.value as Channel)) channels.add(e.value as Channel);
  }
  let firstSeenAt = contact.createdAt;
  if (firstId) {
    const first = (await kv.get<Conversation>(keys.conversation(firstId))).value;
    if (first && first.createdAt < firstSeenAt) firstSeenAt = first.createdAt;
  }
  return {
    contact,
    channels: CHANNELS.filter((c) => channels.has(c)),
    firstSeenAt,
    conversationCount: Math.min(count, COUNT_LIMIT),
    conversationCountCapped: count > COUNT_LIMIT,
  };
}

/**
 * Corrects a contact's name or email (staff who may see the conversation);
 * `null` clears one. The change reaches every open workspace as
 * `contact.updated` on this conversation. Returns the contact.
 */
export async function updateContactDetails(
  engine: Engine,
  actor: Agent,
  conversationId: string,
  patch: { name?: string | null; email?: string | null },
): Promise<Contact> {
  const { kv } = engine;
  return await mutate(engine, async () => {
    const conv = await getConversationFor(kv, actor, conversationId);
    const entry = await contactOf(kv, conv);
    const before = entry.value!;
    const next: Contact = { ...before };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.email !== undefined) next.email = patch.email;
    if (next.name === before.name && next.email === before.email) return { value: before };
    next.updatedAt = new Date().toISOString();
    const op = new EngineOp().check(entry).set(entry.key, next);
    indexContact(op, next, conv.id, before); // the corrected details are searchable at once
    return {
      op,
      value: next,
      changes: [{
        type: "contact.updated",
        conversationId: conv.id,
        ...(conv.status === "active" && conv.assigneeId ? { agentId: conv.assigneeId } : {}),
        data: { contactId: next.id },
      }],
    };
  });
}
