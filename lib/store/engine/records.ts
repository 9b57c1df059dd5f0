/**
 * Reads and index-keeping writes of engine records (keys in ../keys.ts).
 * {@link writeConversation} is the one place that keeps a conversation's
 * indexes (status, queue, assignee, closed-by, search) in step with the record.
 */
import type {
  AgentLoad,
  Contact,
  Conversation,
  Message,
  Presence,
  Settings,
} from "../../domain/engine_types.ts";
import { EMPTY_LOAD } from "../../domain/routing.ts";
import { withDefaults } from "../../domain/settings.ts";
import type { EngineOp } from "./op.ts";
import { keys } from "../keys.ts";
import { countWrite } from "./metrics.ts";
import { indexConversation } from "./search_index.ts";
import { statusIndexKey, statusSinceMs } from "./status_index.ts";

export async function getConversation(kv: Deno.Kv, id: string): Promise<Conversation | null> {
  return (await kv.get<Conversation>(keys.conversation(id))).value;
}

export async function getContact(kv: Deno.Kv, id: string): Promise<Contact | null> {
  return (await kv.get<Contact>(keys.contact(id))).value;
}

/** The contact known by a channel identity (web visitor id or WhatsApp id), or null. */
export async function findContact(
  kv: Deno.Kv,
  channel: "webchat" | "whatsapp",
  externalId: string,
): Promise<Contact | null> {
  const id = (await kv.get<string>(keys.contactByChannel(channel, externalId))).value;
  return id ? await getContact(kv, id) : null;
}

/** The contact's open (Pending or Active) conversation on a channel, or null. */
export async function getOpenConversation(
  kv: Deno.Kv,
  contactId: string,
  channel: "webchat" | "whatsapp",
): Promise<Conversation | null> {
  const id = (await kv.get<string>(keys.contactOpen(contactId, channel))).value;
  const conv = id ? await getConversation(kv, id) : null;
  return conv && conv.status !== "closed" ? conv : null;
}

export async function getMessage(
  kv: Deno.Kv,
  conversationId: string,
  seq: number,
): Promise<Message | null> {
  return (await kv.get<Message>(keys.message(conversationId, seq))).value;
}

/** A message by its id, or null. */
export async function getMessageById(kv: Deno.Kv, messageId: string): Promise<Message | null> {
  const ref = (await kv.get<{ conversationId: string; seq: number }>(keys.messageById(messageId)))
    .value;
  return ref ? await getMessage(kv, ref.conversationId, ref.seq) : null;
}

export async function getSettingsEntry(
  kv: Deno.Kv,
): Promise<{ entry: Deno.KvEntryMaybe<Partial<Settings>>; settings: Settings }> {
  const entry = await kv.get<Partial<Settings>>(keys.routingSettings());
  return { entry, settings: withDefaults(entry.value) };
}

/** The routing settings now (defaults for what was never set). */
export async function getSettings(kv: Deno.Kv): Promise<Settings> {
  return (await getSettingsEntry(kv)).settings;
}

export async function getPresence(kv: Deno.Kv, agentId: string): Promise<Presence | null> {
  return (await kv.get<Presence>(keys.presence(agentId))).value;
}

export async function getLoad(kv: Deno.Kv, agentId: string): Promise<AgentLoad> {
  return (await kv.get<AgentLoad>(keys.agentLoad(agentId))).value ?? EMPTY_LOAD;
}

/** Reads many keys, 10 per call (the getMany limit), keeping the order. */
export async function getManyEntries<T>(
  kv: Deno.Kv,
  keyList: Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const out: Deno.KvEntryMaybe<T>[] = [];
  for (let i = 0; i < keyList.length; i += 10) {
    out.push(...await kv.getMany<T[]>(keyList.slice(i, i + 10)));
  }
  return out;
}

export const closedMs = (c: Conversation): number => Date.parse(c.closedAt ?? c.lastActivityAt);

/** An agent holds a chat while it is Active and assigned to them. */
const holder = (c: Conversation | null): string | null =>
  c && c.status === "active" ? c.assigneeId : null;

/**
 * Sets `after` in `op` and keeps every index of the conversation in step
 * with it, given the record as it was read (`before`, null when new).
 */
export function writeConversation(
  op: EngineOp,
  before: Conversation | null,
  after: Conversation,
): void {
  op.set(keys.conversation(after.id), after);
  op.noteWritten({ conversation: after });
  // The metrics counters of what this write did (the log entries are appended first).
  countWrite(op, before, after);
  // The status index moves only when the status (or when it began) changes: ./status_index.ts.
  if (
    !before || before.status !== after.status || statusSinceMs(before) !== statusSinceMs(after)
  ) {
    if (before) op.delete(statusIndexKey(before));
    op.set(statusIndexKey(after), true);
  }
  if (before?.queueRank !== after.queueRank || before?.teamId !== after.teamId) {
    if (before?.queueRank != null) op.delete(keys.queueEntry(before.queueRank, before.id));
    if (after.queueRank != null) op.set(keys.queueEntry(after.queueRank, after.id), after.teamId);
  }
  const was = holder(before);
  const now = holder(after);
  if (was !== now) {
    if (was) op.delete(keys.conversationByAssignee(was, after.id));
    if (now) op.set(keys.conversationByAssignee(now, after.id), true);
  }
  if (after.status === "closed" && before?.status !== "closed" && after.assigneeId) {
    op.set(keys.closedByAgent(after.assigneeId, closedMs(after), after.id), true);
  }
  // Search: the wrap-up's words and who held the chat (./search_index.ts).
  indexConversation(op, before, after, now, was);
}

/** A load with `conversationId` added (and marked transferred when it came by transfer). */
export function loadWith(
  load: AgentLoad,
  conversationId: string,
  opts: { transferred: boolean; now: number },
): AgentLoad {
  return {
    conversationIds: [
      ...load.conversationIds.filter((id) => id !== conversationId),
      conversationId,
    ],
    transferredIds: opts.transferred
      ? [...load.transferredIds.filter((id) => id !== conversationId), conversationId]
      : load.transferredIds.filter((id) => id !== conversationId),
    lastAssignedAt: opts.now,
  };
}

/** A load without `conversationId`. */
export function loadWithout(load: AgentLoad, conversationId: string): AgentLoad {
  return {
    conversationIds: load.conversationIds.filter((id) => id !== conversationId),
    transferredIds: load.transferredIds.filter((id) => id !== conversationId),
    lastAssignedAt: load.lastAssignedAt,
  };
}
