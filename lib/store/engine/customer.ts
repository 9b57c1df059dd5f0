/**
 * Customer traffic, whatever the channel: the one entry point the web widget
 * and WhatsApp call ({@link receiveCustomerMessage}), and context merging
 * ({@link mergeContext}).
 */
import { z } from "zod";
import type {
  Channel,
  Contact,
  ContextValue,
  Conversation,
  Message,
} from "../../domain/engine_types.ts";
import { CHANNELS } from "../../domain/engine_types.ts";
import { clientId } from "../../domain/boundary.ts";
import { MAX_TEXT_CHARS } from "../../domain/limits.ts";
import { mergeContextData } from "../../domain/context_rules.ts";
import { arrivalRank } from "../../domain/routing.ts";
import { AppError, badRequest, conflict, notFound } from "../../errors.ts";
import { parseWith } from "../../validate.ts";
import { newId } from "../../ids.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import { triggerAssignment } from "./assignment.ts";
import { appendToLog, messageChange } from "./log.ts";
import { getContact, getConversation, getMessage, writeConversation } from "./records.ts";
import { readCustomerState, type Stored } from "./customer_reads.ts";
import { mutate } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";

const MAX_DATA_BYTES = 16 * 1024;

const externalId = z.string().trim().min(1).max(200);
const contactValue = z.string().trim().max(200).nullable().optional();

export const customerMessageSchema = z.object({
  channel: z.enum(CHANNELS),
  contact: z.object({
    webVisitorId: externalId.optional(),
    whatsappId: externalId.optional(),
    name: contactValue,
    email: contactValue,
    phone: contactValue,
  }),
  clientId,
  // Not messageText: a media message (kind other than "text") may come without text.
  text: z.string().max(MAX_TEXT_CHARS),
  kind: z.string().regex(/^[a-z_]{1,30}$/, "lowercase letters and _ only").optional(),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .optional(),
  teamId: z.string().min(1).max(100).nullable().optional(),
});

/** What a channel hands the engine for one customer message. */
export interface CustomerMessageInput {
  channel: Channel;
  /** The channel identity finds the contact: `webVisitorId` for webchat, `whatsappId` for WhatsApp. */
  contact: {
    webVisitorId?: string;
    whatsappId?: string;
    name?: string | null;
    email?: string | null;
    phone?: string | null;
  };
  /** The sender's own id for this message (WhatsApp: the wamid); a repeat stores nothing new. */
  clientId: string;
  text: string;
  /** "text" (default), or a channel kind such as "image", "location"; then `text` may be empty. */
  kind?: string;
  data?: Record<string, unknown> | null;
  /** Context to merge into the conversation (rule 10 bounds; null removes a key). */
  context?: Record<string, ContextValue | null>;
  /** Routes a NEW conversation to a team's queue (ignored when the conversation is open). */
  teamId?: string | null;
}

export interface CustomerMessageResult {
  contact: Contact;
  conversation: Conversation;
  message: Message;
  /** True when this message opened a new conversation. */
  created: boolean;
  /** True when the clientId was already stored: nothing new was written. */
  duplicate: boolean;
}

/**
 * Finds or creates the contact, continues its open conversation on the channel
 * or opens a new Pending one (a customer writing after close opens a new one;
 * the old stays in history), appends the message once per clientId, takes the
 * details held for the customer's next message (held_details.ts), and runs
 * assignment. One atomic op; 400 for bad input.
 */
export async function receiveCustomerMessage(
  engine: Engine,
  raw: CustomerMessageInput,
): Promise<CustomerMessageResult> {
  const { kv } = engine;
  const input = parseWith(customerMessageSchema, raw);
  const kind = input.kind ?? "text";
  if (kind === "text" && input.text.trim() === "") {
    throw badRequest("invalid", "text: A text message must not be empty.");
  }
  if (input.data && new TextEncoder().encode(JSON.stringify(input.data)).length > MAX_DATA_BYTES) {
    throw new AppError(413, "too_large", `Message data is over ${MAX_DATA_BYTES} bytes.`);
  }
  const ext = input.channel === "webchat" ? input.contact.webVisitorId : input.contact.whatsappId;
  if (!ext) {
    throw badRequest(
      "invalid",
      input.channel === "webchat"
        ? "contact.webVisitorId: Required for webchat."
        : "contact.whatsappId: Required for whatsapp.",
    );
  }
  const channel = input.channel;

  const result = await mutate(engine, async (reads) => {
    const at = new Date().toISOString();
    const read = await readCustomerState(engine.routes, reads, channel, ext, input.clientId);
    const { heldEntry } = read;
    const held = heldEntry.value;
    let contactEntry: Deno.KvEntryMaybe<Contact> | null = null;
    let openEntry: Deno.KvEntryMaybe<string>;
    let contact: Contact;
    if (read.known) {
      const { contact: c, ownDup, open } = read.known;
      if (!c.value) throw conflict("busy", "Contact index is out of step; try again.");
      contactEntry = c;
      openEntry = open;
      contact = c.value;
      // The clientId may be stored under this contact or one merged into it.
      let dupEntry = ownDup.value ? ownDup : null;
      if (!dupEntry && contact.mergedFrom?.length) {
        const more = await kv.getMany<Stored[]>(
          contact.mergedFrom.slice(0, 10).map((m) =>
            keys.messageClientId(`contact:${m}`, input.clientId)
          ),
        );
        dupEntry = more.find((e) => e.value !== null) ?? null;
      }
      if (dupEntry?.value) {
        const [message, conversation] = await Promise.all([
          getMessage(kv, dupEntry.value.conversationId, dupEntry.value.seq),
          getConversation(kv, dupEntry.value.conversationId),
        ]);
        if (message && conversation) {
          return {
            value: { contact, conversation, message, created: false, duplicate: true },
          };
        }
      }
    } else {
      contact = {
        id: newId(),
        name: null,
        email: null,
        phone: null,
        webVisitorId: channel === "webchat" ? ext : null,
        whatsappId: channel === "whatsapp" ? ext : null,
        createdAt: at,
        updatedAt: at,
      };
      openEntry = { key: keys.contactOpen(contact.id, channel), value: null, versionstamp: null };
    }
    // Details held for this message (lib/store/engine/held_details.ts); the message's own win.
    const updated = updateContact(contact, {
      name: input.contact.name || held?.user?.name,
      email: input.contact.email || held?.user?.email,
      phone: input.contact.phone,
    }, at);
    const incomingContext = { ...held?.context, ...input.context };

    const convEntry = read.known?.conversation ??
      (openEntry.value
        ? (await reads.getMany<[Conversation]>([keys.conversation(openEntry.value)]))[0]
        : null);
    const open = convEntry?.value && convEntry.value.status !== "closed" ? convEntry.value : null;
    const created = open === null;
    const before: Conversation = open ??
      newConversation(channel, contact.id, input.teamId ?? null, at);

    let conv = before;
    const changes: NewChange[] = [];
    if (Object.keys(incomingContext).length > 0) {
      const merged = mergeContextData(conv.context, incomingContext);
      if (!merged.ok) {
        throw badRequest(merged.code, merged.message, { rejected: merged.rejected });
      }
      // Unchanged values (a page that sends the same details with every message) change nothing.
      if (JSON.stringify(merged.data) !== JSON.stringify(conv.context)) {
        conv = { ...conv, context: merged.data };
      }
    }

    // What came through `reads` is checked by mutate; a new contact's records are checked here.
    const op = new EngineOp();
    if (!read.known) {
      op.check(openEntry).check({
        key: keys.messageClientId(`contact:${contact.id}`, input.clientId),
        versionstamp: null,
      });
    }
    if (held) op.delete(heldEntry.key); // used once: by this message
    if (!contactEntry) op.set(keys.contactByChannel(channel, ext), contact.id);
    if (!contactEntry || updated !== contact) op.set(keys.contact(contact.id), updated);

    const appended = appendToLog(op, conv, {
      type: "message",
      kind,
      author: { type: "customer", id: contact.id, ...(updated.name ? { name: updated.name } : {}) },
      text: input.text,
      data: input.data ?? null,
      visibility: "public",
      clientId: input.clientId,
    }, at);
    conv = appended.conv;
    writeConversation(op, created ? null : before, conv);
    op.set(keys.messageClientId(`contact:${contact.id}`, input.clientId), {
      conversationId: conv.id,
      seq: appended.message.seq,
    });
    if (created) {
      op.set(keys.contactOpen(contact.id, channel), conv.id);
      op.set(keys.contactConversation(contact.id, conv.id), channel);
      changes.push({
        type: "conversation.created",
        conversationId: conv.id,
        data: { channel, contactId: contact.id, teamId: conv.teamId, status: "pending" },
      });
    }
    if (conv.context !== before.context) {
      changes.push(contextChange(conv));
    }
    if (contactEntry && updated !== contact) {
      changes.push({
        type: "contact.updated",
        conversationId: conv.id,
        ...(conv.status === "active" && conv.assigneeId ? { agentId: conv.assigneeId } : {}),
        data: { contactId: contact.id },
      });
    }
    changes.push(messageChange(conv, appended.message));
    return {
      op,
      changes,
      value: {
        contact: updated,
        conversation: conv,
        message: appended.message,
        created,
        duplicate: false,
      },
    };
  }, { group: true }); // everything it decides on comes through `reads`
  if (!result.duplicate) {
    engine.routes.remember(channel, ext, result.contact.id, result.conversation.id);
  }
  if (!result.duplicate && result.conversation.status === "pending") {
    await triggerAssignment(engine);
    const fresh = await getConversation(kv, result.conversation.id);
    if (fresh) result.conversation = fresh;
  }
  return result;
}

function newConversation(
  channel: Channel,
  contactId: string,
  teamId: string | null,
  at: string,
): Conversation {
  const ms = Date.parse(at);
  return {
    id: newId(ms),
    channel,
    contactId,
    status: "pending",
    assigneeId: null,
    teamId,
    context: {},
    wrapUp: null,
    createdAt: at,
    assignedAt: null,
    firstAgentReplyAt: null,
    assigneeRepliedAt: null,
    closedAt: null,
    lastActivityAt: at,
    lastSeq: 0,
    customerCount: 0,
    lastMessage: null,
    queueRank: arrivalRank(ms),
    skipAgentId: null,
    openQuestionSeq: null,
  };
}

/** The contact with the given non-empty fields applied (the same object when nothing changes). */
function updateContact(
  contact: Contact,
  given: { name?: string | null; email?: string | null; phone?: string | null },
  at: string,
): Contact {
  const next = { ...contact };
  let changed = false;
  for (const field of ["name", "email", "phone"] as const) {
    const value = given[field];
    if (value && value !== contact[field]) {
      next[field] = value;
      changed = true;
    }
  }
  if (!changed) return contact;
  next.updatedAt = at;
  return next;
}

function contextChange(conv: Conversation): NewChange {
  return {
    type: "context.updated",
    conversationId: conv.id,
    ...(conv.status === "active" && conv.assigneeId ? { agentId: conv.assigneeId } : {}),
    data: { keys: Object.keys(conv.context).length },
  };
}

/**
 * Merges key/value context into an open conversation (rule 10: at most 50 keys,
 * keys up to 100 characters, values up to 1 KB; `null` removes a key). 400
 * beyond the bounds, 404 unknown, 409 closed. Returns the merged context.
 */
export async function mergeContext(
  engine: Engine,
  conversationId: string,
  data: Record<string, ContextValue | null>,
): Promise<Conversation["context"]> {
  const { kv } = engine;
  return await mutate(engine, async () => {
    const entry = await kv.get<Conversation>(keys.conversation(conversationId));
    const conv = entry.value;
    if (!conv) throw notFound("Conversation");
    if (conv.status === "closed") {
      throw conflict("conversation_closed", "This conversation is closed.");
    }
    const merged = mergeContextData(conv.context, data);
    if (!merged.ok) {
      throw badRequest(merged.code, merged.message, { rejected: merged.rejected });
    }
    if (JSON.stringify(merged.data) === JSON.stringify(conv.context)) {
      return { value: conv.context };
    }
    const next = { ...conv, context: merged.data };
    const op = new EngineOp().check(entry);
    writeConversation(op, conv, next);
    return { op, changes: [contextChange(next)], value: next.context };
  });
}

/** The contact of a conversation (404 when either is unknown). */
export async function getConversationContact(
  kv: Deno.Kv,
  conversationId: string,
): Promise<Contact> {
  const conv = await getConversation(kv, conversationId);
  const contact = conv ? await getContact(kv, conv.contactId) : null;
  if (!contact) throw notFound("Conversation");
  return contact;
}
