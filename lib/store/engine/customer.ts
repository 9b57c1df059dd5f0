/**
 * Customer traffic, whatever the channel: the one entry point the web widget
 * and WhatsApp call ({@link receiveCustomerMessage}), and context merging
 * ({@link mergeContext}). A customer message goes in named steps: check the
 * input, read what it builds on (./customer_reads.ts), find the contact and a
 * stored repeat, decide the contact, conversation and context, write it all in
 * one op (./customer_writes.ts), then run assignment for a Pending chat.
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
import { attachmentIds, clientId } from "../../domain/boundary.ts";
import { MAX_TEXT_CHARS } from "../../domain/limits.ts";
import { mergeContextData } from "../../domain/context_rules.ts";
import { AppError, badRequest, conflict, notFound } from "../../errors.ts";
import { parseWith } from "../../validate.ts";
import { keys } from "../keys.ts";
import { triggerAssignment } from "./assignment.ts";
import { getContact, getConversation, getMessage, writeConversation } from "./records.ts";
import { type CustomerState, readCustomerState, type Stored } from "./customer_reads.ts";
import { contextChange, type FoundContact, writeCustomerMessage } from "./customer_writes.ts";
import type { AttemptReads } from "./entry_cache.ts";
import { mutate } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { checkAttachmentIds, claimAttachments } from "./attachments.ts";
import { newContactRecord, newPendingConversation, withContactDetails } from "./new_records.ts";

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
  attachments: attachmentIds.optional(),
  offlineMessage: z.boolean().optional(),
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
  /**
   * Ids of files uploaded for this message by this customer (owner
   * "visitor:WEB_VISITOR_ID" or "whatsapp:WHATSAPP_ID"); with files the text may be empty.
   */
  attachments?: string[];
  /**
   * Left with the widget's offline form: a NEW conversation is marked `offlineMessage` (an open
   * one just gets the message).
   */
  offlineMessage?: boolean;
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
  const { input, kind, channel, ext, files } = checkCustomerMessage(raw);
  const result = await mutate(engine, async (reads) => {
    const at = new Date().toISOString();
    const read = await readCustomerState(engine.routes, reads, channel, ext, input.clientId);
    const found = read.known ? knownContact(read.known) : newContact(channel, ext, at);
    const repeat = read.known &&
      await storedRepeat(engine.kv, found.contact, read.known.ownDup, input.clientId);
    if (repeat) return { value: repeat };

    // Details held for this message (lib/store/engine/held_details.ts); the message's own win.
    const held = read.heldEntry.value;
    const updated = withContactDetails(found.contact, {
      name: input.contact.name || held?.user?.name,
      email: input.contact.email || held?.user?.email,
      phone: input.contact.phone,
    }, at);
    const open = await openConversation(reads, read.known?.conversation ?? null, found.open);
    const before = open ??
      newPendingConversation(channel, found.contact.id, input.teamId ?? null, at, {
        offlineMessage: input.offlineMessage,
      });
    const conv = withIncomingContext(before, { ...held?.context, ...input.context });
    const claim = await claimAttachments(reads, files, `${ownerPrefix(channel)}:${ext}`, conv.id);
    return writeCustomerMessage({
      message: { clientId: input.clientId, kind, text: input.text, data: input.data ?? null },
      claim,
      channel,
      ext,
      at,
      found,
      updated,
      heldKey: held ? read.heldEntry.key : null,
      before,
      conv,
      created: open === null,
    });
  }, { group: true }); // everything it decides on comes through `reads`
  await afterCustomerMessage(engine, result, channel, ext);
  return result;
}

/** Bad input is a 400 (an over-large `data` a 413) before anything is read. */
function checkCustomerMessage(raw: CustomerMessageInput) {
  const input = parseWith(customerMessageSchema, raw);
  const kind = input.kind ?? "text";
  const files = checkAttachmentIds(input.attachments);
  if (kind === "text" && input.text.trim() === "" && files.length === 0) {
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
  return { input, kind, channel: input.channel, ext, files };
}

/** Whose upload a customer's file is, by channel (lib/store/attachments.ts `owner`). */
export function ownerPrefix(channel: Channel): "visitor" | "whatsapp" {
  return channel === "webchat" ? "visitor" : "whatsapp";
}

function knownContact(known: NonNullable<CustomerState["known"]>): FoundContact {
  if (!known.contact.value) throw conflict("busy", "Contact index is out of step; try again.");
  return { contact: known.contact.value, entry: known.contact, open: known.open };
}

function newContact(channel: Channel, ext: string, at: string): FoundContact {
  const contact = newContactRecord(channel, ext, at);
  const open = { key: keys.contactOpen(contact.id, channel), value: null, versionstamp: null };
  return { contact, entry: null, open };
}

/**
 * The message already stored under this clientId, when it is a repeat: under
 * this contact or one merged into it.
 */
async function storedRepeat(
  kv: Deno.Kv,
  contact: Contact,
  ownDup: Deno.KvEntryMaybe<Stored>,
  clientId: string,
): Promise<CustomerMessageResult | null> {
  let dupEntry = ownDup.value ? ownDup : null;
  if (!dupEntry && contact.mergedFrom?.length) {
    const more = await kv.getMany<Stored[]>(
      contact.mergedFrom.slice(0, 10).map((m) => keys.messageClientId(`contact:${m}`, clientId)),
    );
    dupEntry = more.find((e) => e.value !== null) ?? null;
  }
  if (!dupEntry?.value) return null;
  const [message, conversation] = await Promise.all([
    getMessage(kv, dupEntry.value.conversationId, dupEntry.value.seq),
    getConversation(kv, dupEntry.value.conversationId),
  ]);
  if (!message || !conversation) return null;
  return { contact, conversation, message, created: false, duplicate: true };
}

/** The contact's open conversation on the channel (read along by the guess, or now), if any. */
async function openConversation(
  reads: AttemptReads,
  guessed: Deno.KvEntryMaybe<Conversation> | null,
  open: Deno.KvEntryMaybe<string>,
): Promise<Conversation | null> {
  const entry = guessed ??
    (open.value ? (await reads.getMany<[Conversation]>([keys.conversation(open.value)]))[0] : null);
  return entry?.value && entry.value.status !== "closed" ? entry.value : null;
}

/** The conversation with the message's (and held) context merged in; 400 beyond the bounds. */
function withIncomingContext(
  conv: Conversation,
  incoming: Record<string, ContextValue | null>,
): Conversation {
  if (Object.keys(incoming).length === 0) return conv;
  const merged = mergeContextData(conv.context, incoming);
  if (!merged.ok) {
    throw badRequest(merged.code, merged.message, { rejected: merged.rejected });
  }
  // Unchanged values (a page that sends the same details with every message) change nothing.
  if (JSON.stringify(merged.data) === JSON.stringify(conv.context)) return conv;
  return { ...conv, context: merged.data };
}

/**
 * After the commit: remember where this identity's messages go (./customer_reads.ts); a
 * Pending chat gets an assignment pass and is answered as that pass left it.
 */
async function afterCustomerMessage(
  engine: Engine,
  result: CustomerMessageResult,
  channel: Channel,
  ext: string,
): Promise<void> {
  if (result.duplicate) return;
  engine.routes.remember(channel, ext, result.contact.id, result.conversation.id);
  if (result.conversation.status === "pending") {
    await triggerAssignment(engine);
    const fresh = await getConversation(engine.kv, result.conversation.id);
    if (fresh) result.conversation = fresh;
  }
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
