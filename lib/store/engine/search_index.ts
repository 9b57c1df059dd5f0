/**
 * The search index's writes (issue 18, gap 2; docs/engine.md "Search"): an
 * inverted index from folded terms (lib/domain/search_text.ts) to the
 * conversations they occur in, kept in the SAME atomic op as the record that
 * brings the text, so search never shows what was not committed, nor misses
 * what was.
 *
 *   ["search", term, conversationId] -> seq of the latest message with the term | "c" | "w"
 *
 * One key per term and conversation (not per message): a word said twenty
 * times in one chat costs one key, the list of a term is ordered by
 * conversation id (time-ordered: newest last) and intersecting two terms is a
 * walk down both lists (./search_query.ts). The writers:
 * - messages and internal notes: `appendToLog` (./log.ts), the one place every
 *   log entry is made (system events are not indexed);
 * - the contact's name, email and phone: when a conversation begins and when
 *   the details change (customer messages, hand-offs, staff corrections,
 *   merges) — indexed for the conversation(s) concerned, and listed under
 *   ["search_contact_terms", conversationId, term] so an erasure can find them;
 * - wrap-up notes and tags: `writeConversation` (./records.ts) when they change;
 * - who held a chat: `writeConversation`, ["search_held", agentId, conversationId]
 *   (an agent's search covers the chats they hold or held).
 *
 * Erasure (retention / GDPR, built elsewhere): call
 * {@link removeConversationFromSearch} BEFORE a conversation's messages or
 * wrap-up are deleted or anonymised (it reads them to know which keys to
 * remove), or add {@link searchKeysOfConversation}'s keys to the erasing op;
 * {@link removeContactFromSearch} drops a contact's details from the index of
 * all its conversations. Search also skips a conversation whose record is gone.
 */
import type { Contact, Conversation, Message } from "../../domain/engine_types.ts";
import { phoneTermsOf, termsOf } from "../../domain/search_text.ts";
import { keys } from "../keys.ts";
import type { EngineOp } from "./op.ts";

/** The posting value of a term found in the contact's details. */
export const CONTACT_HIT = "c";
/** The posting value of a term found in the wrap-up notes or tags. */
export const WRAP_UP_HIT = "w";
/** Where a term was last seen in a conversation: a message seq, the contact, or the wrap-up. */
export type PostingValue = number | typeof CONTACT_HIT | typeof WRAP_UP_HIT;

/**
 * Whether the writers above index at all. Always on in the app; the search
 * benchmark (bench/search_bench.ts) turns it off for its same-run baseline.
 */
export const searchIndexing = { enabled: true };

/** Log entries search finds: what people wrote (messages and internal notes), not system events. */
export function isSearchable(m: Pick<Message, "type">): boolean {
  return m.type === "message" || m.type === "note";
}

/** What search reads of a message: its text, and the names of the files it carries. */
export function searchableText(m: Pick<Message, "text" | "attachments">): string {
  const names = (m.attachments ?? []).map((a) => a.filename);
  return names.length > 0 ? `${m.text} ${names.join(" ")}`.trim() : m.text;
}

/** Indexes a message's text (and file names) for its conversation (in the op that appends it). */
export function indexMessage(op: EngineOp, message: Message): void {
  if (!searchIndexing.enabled || !isSearchable(message)) return;
  for (const term of termsOf(searchableText(message))) {
    op.index(keys.searchPosting(term, message.conversationId), message.seq);
  }
}

/** The terms of a contact's name, email and phone. */
export function contactTermsOf(contact: Pick<Contact, "name" | "email" | "phone">): string[] {
  const terms = new Set<string>();
  if (contact.name) { for (const t of termsOf(contact.name)) terms.add(t); }
  if (contact.email) { for (const t of termsOf(contact.email)) terms.add(t); }
  if (contact.phone) { for (const t of phoneTermsOf(contact.phone)) terms.add(t); }
  return [...terms];
}

/**
 * Indexes the contact's details for a conversation: when it begins, and when
 * the details change (`before` given: only terms it did not have are written).
 */
export function indexContact(
  op: EngineOp,
  contact: Pick<Contact, "name" | "email" | "phone">,
  conversationId: string,
  before?: Pick<Contact, "name" | "email" | "phone"> | null,
): void {
  if (!searchIndexing.enabled) return;
  const had = new Set(before ? contactTermsOf(before) : []);
  for (const term of contactTermsOf(contact)) {
    if (had.has(term)) continue;
    if (op.index(keys.searchPosting(term, conversationId), CONTACT_HIT)) {
      op.index(keys.searchContactTerm(conversationId, term), true);
    }
  }
}

/** The terms of a wrap-up: its notes and its tags. */
export function wrapUpTermsOf(wrapUp: Conversation["wrapUp"]): string[] {
  if (!wrapUp) return [];
  return termsOf(`${wrapUp.tags.join(" ")} ${wrapUp.notes}`);
}

/**
 * Keeps the conversation's own searchable parts in step with its record
 * (called by writeConversation): the wrap-up when it changes, and the agent
 * who holds it now (kept after they stop holding it).
 */
export function indexConversation(
  op: EngineOp,
  before: Conversation | null,
  after: Conversation,
  holderNow: string | null,
  holderBefore: string | null,
): void {
  if (!searchIndexing.enabled) return;
  if (after.wrapUp && after.wrapUp !== before?.wrapUp) {
    for (const term of wrapUpTermsOf(after.wrapUp)) {
      op.index(keys.searchPosting(term, after.id), WRAP_UP_HIT);
    }
  }
  if (holderNow && holderNow !== holderBefore) {
    op.index(keys.searchHeld(holderNow, after.id), true);
  }
}

/** Agents who held a chat, as its record and log tell (for the backfill). */
export function holdersOf(conv: Conversation, log: Message[]): Set<string> {
  const out = new Set<string>();
  if (conv.assigneeId && conv.status !== "pending") out.add(conv.assigneeId);
  if (conv.pickedUpBy) out.add(conv.pickedUpBy);
  for (const m of log) {
    if (m.type !== "event" || !m.data) continue;
    for (const field of ["fromAgentId", "toAgentId"]) {
      const id = m.data[field];
      if (typeof id === "string" && id.length > 0) out.add(id);
    }
  }
  return out;
}

/**
 * Every search-index key of a conversation, from its stored messages, wrap-up
 * and the contact terms listed for it (postings, their listing, and held marks
 * of the agents its log and record name). Read it before erasing the texts.
 */
export async function searchKeysOfConversation(
  kv: Deno.Kv,
  conversationId: string,
): Promise<Deno.KvKey[]> {
  const terms = new Set<string>();
  const out: Deno.KvKey[] = [];
  const log: Message[] = [];
  for await (const e of kv.list<Message>({ prefix: keys.messagesPrefix(conversationId) })) {
    log.push(e.value);
    if (isSearchable(e.value)) { for (const t of termsOf(searchableText(e.value))) terms.add(t); }
  }
  for await (const e of kv.list({ prefix: keys.searchContactTermsPrefix(conversationId) })) {
    terms.add(e.key[2] as string);
    out.push(e.key);
  }
  const conv = (await kv.get<Conversation>(keys.conversation(conversationId))).value;
  if (conv) {
    for (const t of wrapUpTermsOf(conv.wrapUp)) terms.add(t);
    for (const agentId of holdersOf(conv, log)) out.push(keys.searchHeld(agentId, conv.id));
  }
  for (const t of terms) out.push(keys.searchPosting(t, conversationId));
  return out;
}

/** Deletes keys in atomic batches (well under Deno KV's 1000 mutations). */
async function deleteAll(kv: Deno.Kv, list: Deno.KvKey[]): Promise<void> {
  for (let i = 0; i < list.length; i += 500) {
    const op = kv.atomic();
    for (const key of list.slice(i, i + 500)) op.delete(key);
    await op.commit();
  }
}

/**
 * Takes a conversation out of search (erasure, retention): call it before its
 * messages and wrap-up are deleted or anonymised. Returns the keys removed.
 */
export async function removeConversationFromSearch(
  kv: Deno.Kv,
  conversationId: string,
): Promise<number> {
  const list = await searchKeysOfConversation(kv, conversationId);
  await deleteAll(kv, list);
  return list.length;
}

/**
 * Takes a contact's details (name, email, phone: every value they were ever
 * indexed with) out of the index of all the contact's conversations, e.g.
 * when the contact is anonymised. A detail that is also a word of the
 * conversation's messages or wrap-up stays findable by those. Returns the
 * keys removed or rewritten.
 */
export async function removeContactFromSearch(kv: Deno.Kv, contactId: string): Promise<number> {
  let touched = 0;
  for await (const c of kv.list({ prefix: keys.contactConversationsPrefix(contactId) })) {
    const conversationId = c.key[2] as string;
    const listed: string[] = [];
    for await (const e of kv.list({ prefix: keys.searchContactTermsPrefix(conversationId) })) {
      listed.push(e.key[2] as string);
    }
    if (listed.length === 0) continue;
    // Where else each term occurs in the conversation: its latest message, or the wrap-up.
    const elsewhere = new Map<string, PostingValue>();
    const conv = (await kv.get<Conversation>(keys.conversation(conversationId))).value;
    for (const t of wrapUpTermsOf(conv?.wrapUp ?? null)) elsewhere.set(t, WRAP_UP_HIT);
    for await (const e of kv.list<Message>({ prefix: keys.messagesPrefix(conversationId) })) {
      if (isSearchable(e.value)) {
        for (const t of termsOf(searchableText(e.value))) elsewhere.set(t, e.value.seq);
      }
    }
    for (let i = 0; i < listed.length; i += 400) {
      const op = kv.atomic();
      for (const term of listed.slice(i, i + 400)) {
        op.delete(keys.searchContactTerm(conversationId, term));
        const other = elsewhere.get(term);
        if (other !== undefined) op.set(keys.searchPosting(term, conversationId), other);
        else op.delete(keys.searchPosting(term, conversationId));
        touched += 2;
      }
      await op.commit();
    }
  }
  return touched;
}
