/**
 * Staff messages and notes, reading a conversation's log (as staff or as the
 * customer may see it), outbound delivery states, and read markers.
 */
import type { Agent } from "../agents.ts";
import type {
  Contact,
  Conversation,
  CustomerMessage,
  DeliveryStatus,
  Message,
} from "../../domain/engine_types.ts";
import { canMoveDelivery } from "../../domain/delivery.ts";
import { checkWrite, isSupervisor } from "../../domain/permissions.ts";
import { messageWithFiles } from "../../domain/boundary.ts";
import { checkFreeFormReply, windowAt, type WindowRecord } from "../../domain/whatsapp_window.ts";
import type { TemplateMessageData } from "../../domain/whatsapp_templates.ts";
import { AppError, badRequest, conflict, notFound } from "../../errors.ts";
import { parseWith } from "../../validate.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import { appendToLog, messageChange, toCustomerMessage } from "./log.ts";
import { getMessage, getSettings, writeConversation } from "./records.ts";
import { afterStaffReply, inactivityJob } from "../../domain/inactivity.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { mutate, refusalError } from "./tx.ts";
import type { AttemptReads } from "./entry_cache.ts";
import { checkAttachmentIds, claimAttachments, writeClaims } from "./attachments.ts";

/** The job type enqueued (atomically with the message) for each agent reply in a WhatsApp chat. */
export const WHATSAPP_OUTBOUND_JOB = "whatsapp.outbound";

export interface StaffMessageInput {
  text: string;
  clientId: string;
  /** An internal note: staff only, never shown to the customer. */
  internal?: boolean;
  /** An internal note addressed to supervisors as a question (implies internal). */
  toSupervisor?: boolean;
  /**
   * A WhatsApp template message (lib/channels/whatsapp_templates.ts checks it):
   * `text` is the filled-in template; allowed outside the 24-hour window.
   */
  template?: TemplateMessageData;
  /**
   * Ids of files this agent uploaded for this conversation (lib/store/attachments.ts);
   * with files the text may be empty.
   */
  attachments?: string[];
}

/**
 * Appends a staff message: a reply to the customer, an internal note, or a
 * question to supervisors. Allowed for the assignee and supervisors (rule 6);
 * a supervisor's note answers an open question. The same clientId again
 * returns the stored message (`duplicate: true`) and writes nothing.
 * A reply in a WhatsApp chat is refused outside the customer's 24-hour window
 * (409 `window_closed`, see {@link checkWhatsAppWindow}) unless it is a
 * template message (`input.template`, kind "template"); it starts as delivery
 * "sending" and enqueues the
 * `whatsapp.outbound` job `{conversationId, seq, messageId}` in the same
 * atomic op; a webchat reply is "sent" once committed.
 */
export async function appendStaffMessage(
  engine: Engine,
  conversationId: string,
  actor: Agent,
  input: StaffMessageInput,
): Promise<{ message: Message; duplicate: boolean }> {
  const { kv } = engine;
  type Result = { message: Message; duplicate: boolean };
  const { text } = parseWith(messageWithFiles, input);
  const attachmentIds = checkAttachmentIds(input.attachments);
  const toSupervisor = input.toSupervisor === true;
  const internal = toSupervisor || input.internal === true;
  const template = input.template ?? null;
  if (template && internal) throw badRequest("invalid", "A template message cannot be a note.");
  if (template && attachmentIds.length) {
    throw badRequest("invalid", "A template message cannot carry attachments.");
  }
  const clientKey = keys.messageClientId(`staff:${conversationId}`, input.clientId);
  // Nothing is awaited before `mutate`: the call's place in the commit queue is its place in the
  // conversation's order (two replies sent one after the other land in that order).
  return await mutate<Result>(engine, async (reads) => {
    // A public reply (re)starts the inactivity timer. Its settings are read straight from KV, not
    // through `reads` (not checked: a change racing the reply applies from the next reply), so
    // staff messages of different chats still share a group commit.
    const settings = internal ? null : await getSettings(kv);
    const [convEntry, dupEntry] = await reads.getMany<
      [Conversation, { conversationId: string; seq: number }]
    >([keys.conversation(conversationId), clientKey], { presumeAbsent: [1] });
    const conv = convEntry.value;
    if (!conv) throw notFound("Conversation");
    if (dupEntry.value) {
      const stored = await getMessage(kv, conversationId, dupEntry.value.seq);
      if (stored && stored.author.id === actor.id) {
        return { value: { message: stored, duplicate: true } };
      }
      throw conflict("client_id_taken", "That clientId is already used by another message.");
    }
    const refusal = checkWrite(actor, conv);
    if (refusal) throw refusalError(refusal);
    const at = new Date().toISOString();
    if (template && conv.channel !== "whatsapp") {
      throw conflict("not_whatsapp", "Templates are for WhatsApp conversations only.");
    }
    // Templates are how a business writes outside the window; free-form replies wait for it.
    if (!internal && !template && conv.channel === "whatsapp") {
      await checkWhatsAppWindow(reads, conv, at);
    }
    const supervisor = isSupervisor(actor.role);
    const claim = await claimAttachments(reads, attachmentIds, `agent:${actor.id}`, conv.id);
    const op = new EngineOp(); // mutate checks what came through `reads`
    const { conv: appendedConv, message } = appendToLog(op, conv, {
      type: internal ? "note" : "message",
      kind: template ? "template" : "text",
      author: { type: "agent", id: actor.id, name: actor.name },
      text,
      ...(template ? { data: { template } } : {}),
      visibility: internal ? "staff" : "public",
      toSupervisor,
      clientId: input.clientId,
      delivery: internal ? null : { status: conv.channel === "whatsapp" ? "sending" : "sent", at },
      attachments: claim.refs,
    }, at);
    writeClaims(op, claim, conversationId, message.id);
    let next = appendedConv;
    if (!internal) {
      next = {
        ...next,
        firstAgentReplyAt: next.firstAgentReplyAt ?? at,
        assigneeRepliedAt: next.assigneeId === actor.id
          ? next.assigneeRepliedAt ?? at
          : next.assigneeRepliedAt,
      };
    }
    if (settings) {
      next = afterStaffReply(next, message.seq, Date.parse(at), settings, {
        template: template !== null,
      });
    }
    if (toSupervisor && !supervisor) next = { ...next, openQuestionSeq: message.seq };
    else if (internal && supervisor && next.openQuestionSeq !== null) {
      next = { ...next, openQuestionSeq: null };
    }
    writeConversation(op, conv, next);
    op.set(clientKey, { conversationId, seq: message.seq });
    if (!internal && conv.channel === "whatsapp") {
      op.enqueue({
        type: WHATSAPP_OUTBOUND_JOB,
        payload: { conversationId, seq: message.seq, messageId: message.id },
      });
    }
    if (next.inactivity && next.inactivity !== conv.inactivity) {
      // The timer's job goes in the reply's own commit: no reply without its timer, and back.
      const job = inactivityJob(conversationId, next.inactivity, Date.parse(at));
      op.enqueue(job.value, { delay: job.delay });
    }
    const changes: NewChange[] = [messageChange(next, message)];
    if (next.openQuestionSeq !== conv.openQuestionSeq) {
      changes.push({
        type: "conversation.question",
        conversationId,
        ...(next.assigneeId ? { agentId: next.assigneeId } : {}),
        data: { open: next.openQuestionSeq !== null, seq: message.seq, byAgentId: actor.id },
      });
    }
    return { op, changes, value: { message, duplicate: false } };
  }, { group: true }); // everything it decides on comes through `reads`
}

/**
 * Refuses a free-form reply outside the customer's 24-hour WhatsApp window
 * (409 `window_closed`, `details.closedAt`). The contact and the window record
 * are read through `reads`, so both are checked in the commit: a customer
 * message that moves the window meanwhile fails the commit and the attempt is
 * decided again on fresh reads (never refused on a stale window), and a
 * refusal decided on remembered entries is confirmed on fresh reads (tx.ts).
 */
async function checkWhatsAppWindow(
  reads: AttemptReads,
  conv: Conversation,
  at: string,
): Promise<void> {
  const [contactEntry] = await reads.getMany<[Contact]>([keys.contact(conv.contactId)]);
  const customerId = contactEntry.value?.whatsappId;
  let last: string | null = null;
  if (customerId) {
    const [windowEntry] = await reads.getMany<[WindowRecord]>([keys.whatsappWindow(customerId)]);
    last = windowEntry.value?.lastCustomerMessageAt ?? null;
  }
  const closed = checkFreeFormReply(windowAt(last, Date.parse(at)));
  if (closed) throw new AppError(closed.status, closed.code, closed.message, closed.details);
}

/** The staff view of a conversation's log after `afterSeq`, oldest first. */
export async function listMessagesForStaff(
  kv: Deno.Kv,
  conversationId: string,
  afterSeq = 0,
  limit = 500,
): Promise<Message[]> {
  const out: Message[] = [];
  for await (
    const e of kv.list<Message>({
      start: keys.message(conversationId, afterSeq + 1),
      end: keys.message(conversationId, Number.MAX_SAFE_INTEGER),
    }, { limit })
  ) out.push(e.value);
  return out;
}

/**
 * The customer's view after `afterSeq`, oldest first: their messages, agent
 * replies, and public events; never internal notes or staff-only events.
 * `seq`s keep the log's numbers (gaps where staff entries are).
 */
export async function listMessagesForCustomer(
  kv: Deno.Kv,
  conversationId: string,
  afterSeq = 0,
  limit = 500,
): Promise<CustomerMessage[]> {
  const out: CustomerMessage[] = [];
  let after = afterSeq;
  while (out.length < limit) {
    const batch = await listMessagesForStaff(kv, conversationId, after, 500);
    for (const m of batch) {
      const visible = toCustomerMessage(m);
      if (visible && out.length < limit) out.push(visible);
    }
    if (batch.length < 500) break;
    after = batch[batch.length - 1].seq;
  }
  return out;
}

export interface DeliveryUpdate {
  status: DeliveryStatus;
  /** For "failed": the channel's error code and reason. */
  code?: string;
  reason?: string;
}

/**
 * Records an outbound delivery state of an agent message (by message id):
 * sending → sent → delivered → read, or failed with code/reason. Never moves
 * backwards: an update that would is ignored and `{changed: false}` returned.
 * 404 for an unknown message, 409 for a message that has no delivery (notes,
 * customer messages).
 */
export async function updateMessageDelivery(
  engine: Engine,
  messageId: string,
  update: DeliveryUpdate,
): Promise<{ message: Message; changed: boolean }> {
  const { kv } = engine;
  return await mutate<{ message: Message; changed: boolean }>(engine, async () => {
    const ref = (await kv.get<{ conversationId: string; seq: number }>(keys.messageById(messageId)))
      .value;
    if (!ref) throw notFound("Message");
    const [entry, convEntry] = await kv.getMany<[Message, Conversation]>([
      keys.message(ref.conversationId, ref.seq),
      keys.conversation(ref.conversationId),
    ]);
    const message = entry.value;
    if (!message || !convEntry.value) throw notFound("Message");
    if (!message.delivery) {
      throw conflict("no_delivery", "That message is not an outbound agent message.");
    }
    if (!canMoveDelivery(message.delivery.status, update.status)) {
      return { value: { message, changed: false } };
    }
    const at = new Date().toISOString();
    const next: Message = {
      ...message,
      delivery: {
        status: update.status,
        at,
        ...(update.status === "failed"
          ? {
            error: {
              code: (update.code ?? "unknown").slice(0, 100),
              reason: (update.reason ?? "").slice(0, 500),
            },
          }
          : {}),
      },
    };
    const conv = convEntry.value;
    const op = new EngineOp().check(entry).set(entry.key, next);
    return {
      op,
      changes: [{
        type: "message.delivery",
        conversationId: conv.id,
        ...(conv.assigneeId ? { agentId: conv.assigneeId } : {}),
        data: { seq: message.seq, messageId, status: update.status },
      }],
      value: { message: next, changed: true },
    };
  });
}

interface ReadMarker {
  seq: number;
  customerCount: number;
}

/**
 * Moves `agentId`'s read marker in a conversation up to `seq` (never back;
 * clamped to the last seq). Returns the marker's seq.
 */
export async function markRead(
  engine: Engine,
  conversationId: string,
  agentId: string,
  seq: number,
): Promise<number> {
  const { kv } = engine;
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw badRequest("invalid", "seq: Must be a whole number ≥ 0.");
  }
  return await mutate(engine, async () => {
    const [convEntry, markerEntry] = await kv.getMany<[Conversation, ReadMarker]>([
      keys.conversation(conversationId),
      keys.readMarker(conversationId, agentId),
    ]);
    const conv = convEntry.value;
    if (!conv) throw notFound("Conversation");
    const target = Math.min(seq, conv.lastSeq);
    const current = markerEntry.value?.seq ?? 0;
    if (target <= current) return { value: current };
    const message = await getMessage(kv, conversationId, target);
    const op = new EngineOp().check(markerEntry).set(keys.readMarker(conversationId, agentId), {
      seq: target,
      customerCount: message?.customerCount ?? 0,
    });
    return {
      op,
      changes: [{ type: "conversation.read", conversationId, agentId, data: { seq: target } }],
      value: target,
    };
  });
}

/** Customer messages after `agentId`'s read marker, for each conversation given. */
export async function unreadCounts(
  kv: Deno.Kv,
  conversations: Conversation[],
  agentId: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < conversations.length; i += 10) {
    const batch = conversations.slice(i, i + 10);
    const markers = await kv.getMany<ReadMarker[]>(
      batch.map((c) => keys.readMarker(c.id, agentId)),
    );
    batch.forEach((c, j) => {
      out.set(c.id, Math.max(0, c.customerCount - (markers[j].value?.customerCount ?? 0)));
    });
  }
  return out;
}
