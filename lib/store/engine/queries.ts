/**
 * Reading conversations for staff: lists by status (what the caller may see,
 * paged by cursor), one conversation with its contact and log, and the
 * contact's history (rule 8).
 */
import type { Agent } from "../agents.ts";
import type {
  Contact,
  Conversation,
  ConversationStatus,
  Message,
} from "../../domain/engine_types.ts";
import { canView, isSupervisor } from "../../domain/permissions.ts";
import { badRequest, forbidden, notFound } from "../../errors.ts";
import { keys } from "../keys.ts";
import { listMessagesForStaff, unreadCounts } from "./messages.ts";
import { getContact, getConversation, getManyEntries } from "./records.ts";

/** A conversation as staff lists show it. */
export interface ConversationSummary extends Conversation {
  contact: Contact | null;
  /** Customer messages after the caller's read marker. */
  unread: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null at the end. */
  cursor: string | null;
}

/**
 * Conversations with `status` the viewer may see, newest activity first
 * (`order: "queue"` lists Pending ones in queue order instead: who goes next
 * first). Agents: Pending ones in their queue (no team or their team), their
 * own Active ones, the Closed ones they held; supervisors and admins: all.
 */
export async function listConversations(
  kv: Deno.Kv,
  viewer: Agent,
  opts: {
    status: ConversationStatus;
    cursor?: string;
    limit?: number;
    order?: "activity" | "queue";
  },
): Promise<Page<ConversationSummary>> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const supervisor = isSupervisor(viewer.role);
  let selector: Deno.KvListSelector;
  let idAt: number;
  let reverse = true;
  if (opts.status === "pending" && opts.order === "queue") {
    selector = { prefix: keys.queuePrefix() };
    idAt = 2;
    reverse = false;
  } else if (opts.status === "active" && !supervisor) {
    selector = { prefix: keys.conversationsByAssigneePrefix(viewer.id) };
    idAt = 2;
  } else if (opts.status === "closed" && !supervisor) {
    selector = { prefix: keys.closedByAgentPrefix(viewer.id) };
    idAt = 3;
  } else {
    selector = { prefix: keys.conversationsByStatusPrefix(opts.status) };
    idAt = 3;
  }
  const items: Conversation[] = [];
  let cursor: string | null = null;
  let iter: Deno.KvListIterator<unknown>;
  try {
    iter = kv.list(selector, { reverse, cursor: opts.cursor });
  } catch {
    throw badRequest("invalid_cursor", "That cursor is not valid here.");
  }
  let scanned = 0;
  let done = false;
  try {
    // Chunks never larger than what the page still needs, so the cursor sits right after
    // the last item returned; a page stops early after scanning 5 × limit hidden entries.
    while (!done && items.length < limit && scanned < limit * 5) {
      const want = Math.min(10, limit - items.length);
      const batch: string[] = [];
      while (batch.length < want) {
        const next = await iter.next();
        if (next.done) {
          done = true;
          break;
        }
        batch.push(next.value.key[idAt] as string);
      }
      scanned += batch.length;
      const convs = await getManyEntries<Conversation>(kv, batch.map(keys.conversation));
      for (const c of convs) {
        if (c.value && c.value.status === opts.status && canView(viewer, c.value)) {
          items.push(c.value);
        }
      }
      cursor = done ? null : iter.cursor;
    }
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) {
      throw badRequest("invalid_cursor", "That cursor is not valid here.");
    }
    throw err;
  }
  if (cursor === "") cursor = null;
  // Pages come in index order (an agent's active chats by id, the others since their status began:
  // ./status_index.ts); within a page, newest activity first. Closed chats no longer change.
  if (opts.status !== "closed" && opts.order !== "queue") {
    items.sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
  }
  return { items: await summaries(kv, items, viewer.id), cursor };
}

async function summaries(
  kv: Deno.Kv,
  items: Conversation[],
  viewerId: string,
): Promise<ConversationSummary[]> {
  const contacts = await getManyEntries<Contact>(kv, items.map((c) => keys.contact(c.contactId)));
  const unread = await unreadCounts(kv, items, viewerId);
  return items.map((c, i) => ({ ...c, contact: contacts[i].value, unread: unread.get(c.id) ?? 0 }));
}

/** A conversation the viewer may see (404 unknown, 403 not theirs to see). */
export async function getConversationFor(
  kv: Deno.Kv,
  viewer: Agent,
  conversationId: string,
): Promise<Conversation> {
  const conv = await getConversation(kv, conversationId);
  if (!conv) throw notFound("Conversation");
  if (!canView(viewer, conv)) throw forbidden("This conversation is not yours to see.");
  return conv;
}

/** One conversation with its contact, unread count and log (staff view, oldest first). */
export async function getConversationDetail(
  kv: Deno.Kv,
  viewer: Agent,
  conversationId: string,
  opts: { afterSeq?: number; limit?: number } = {},
): Promise<{ conversation: ConversationSummary; messages: Message[]; hasMore: boolean }> {
  const conv = await getConversationFor(kv, viewer, conversationId);
  const limit = opts.limit ?? 1000;
  const [summary] = await summaries(kv, [conv], viewer.id);
  const messages = await listMessagesForStaff(kv, conv.id, opts.afterSeq ?? 0, limit + 1);
  const hasMore = messages.length > limit;
  return { conversation: summary, messages: messages.slice(0, limit), hasMore };
}

export interface HistoryItem {
  conversation: Conversation;
  messages: Message[];
  /** True when the conversation has more messages than shown. */
  truncated: boolean;
}

/**
 * The contact's other conversations, across channels, newest first, with
 * their messages and wrap-ups; `pageSize` per page, paged by cursor.
 */
export async function getContactHistory(
  kv: Deno.Kv,
  viewer: Agent,
  conversationId: string,
  opts: { cursor?: string; pageSize?: number; messagesPer?: number } = {},
): Promise<{ contact: Contact | null; items: HistoryItem[]; cursor: string | null }> {
  const conv = await getConversationFor(kv, viewer, conversationId);
  const pageSize = Math.min(Math.max(opts.pageSize ?? 5, 1), 20);
  const messagesPer = opts.messagesPer ?? 200;
  const ids: string[] = [];
  let iter: Deno.KvListIterator<unknown>;
  try {
    iter = kv.list({ prefix: keys.contactConversationsPrefix(conv.contactId) }, {
      reverse: true,
      cursor: opts.cursor,
    });
    while (ids.length < pageSize) {
      const next = await iter.next();
      if (next.done) break;
      const id = next.value.key[2] as string;
      if (id !== conv.id) ids.push(id);
    }
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) {
      throw badRequest("invalid_cursor", "That cursor is not valid here.");
    }
    throw err;
  }
  const pageEnd = iter.cursor;
  const more = ids.length === pageSize && !(await iter.next()).done;
  const cursor = more && pageEnd ? pageEnd : null;
  const convs = await getManyEntries<Conversation>(kv, ids.map(keys.conversation));
  const items: HistoryItem[] = [];
  for (const e of convs) {
    if (!e.value) continue;
    const messages = await listMessagesForStaff(kv, e.value.id, 0, messagesPer + 1);
    items.push({
      conversation: e.value,
      messages: messages.slice(0, messagesPer),
      truncated: messages.length > messagesPer,
    });
  }
  return { contact: await getContact(kv, conv.contactId), items, cursor };
}
