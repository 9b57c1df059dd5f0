/**
 * Bot hand-off: a conversational bot (an integration with an API key) hands a customer over to
 * humans. One call opens a conversation for the contact (web visitor or WhatsApp number) with the
 * bot's transcript already in its log — the customer's messages as theirs, the bot's marked
 * `author.type: "bot"` — the context the bot gathered, and the bot's summary as an internal note,
 * Pending in the queue of the team it names (or everyone's). Assignment then runs as for any new
 * chat. One atomic commit; the same `handoffId` again returns the first result and writes nothing.
 */
import { z } from "zod";
import type { Contact, Conversation, Message } from "../../domain/engine_types.ts";
import { CHANNELS } from "../../domain/engine_types.ts";
import { MAX_TEXT_CHARS } from "../../domain/limits.ts";
import { mergeContextData } from "../../domain/context_rules.ts";
import { AppError, badRequest, conflict, notFound } from "../../errors.ts";
import { parseWith } from "../../validate.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import type { Team } from "../teams.ts";
import { triggerAssignment } from "./assignment.ts";
import { appendToLog, messageChange } from "./log.ts";
import { getConversation, writeConversation } from "./records.ts";
import { indexContact } from "./search_index.ts";
import { mutate } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { newContactRecord, newPendingConversation, withContactDetails } from "./new_records.ts";

/** Transcript bounds: one commit holds it (KV: 1000 mutations, 800 KiB). */
export const MAX_TRANSCRIPT_ENTRIES = 100;
export const MAX_TRANSCRIPT_BYTES = 96 * 1024;

const externalId = z.string().trim().min(1).max(200);
const contactValue = z.string().trim().max(200).optional();

export const handoffSchema = z.object({
  /** The bot's own id for this hand-off: a retry with the same id opens nothing new. */
  handoffId: z.string().min(1).max(200),
  channel: z.enum(CHANNELS),
  contact: z.object({
    webVisitorId: externalId.optional(),
    whatsappId: z.string().trim().regex(/^\+?\d{6,20}$/, "A phone number in digits").optional(),
    name: contactValue,
    email: contactValue,
    phone: contactValue,
  }).strict(),
  /** The team whose Pending queue gets the chat; null or absent: everyone's queue. */
  teamId: z.string().min(1).max(100).nullable().optional(),
  transcript: z.array(
    z.object({
      from: z.enum(["customer", "bot"]),
      text: z.string().trim().min(1, "must not be empty").max(MAX_TEXT_CHARS),
      /** When it was said (ISO 8601); default: now. Never later than the hand-off. */
      at: z.iso.datetime({ offset: true }).optional(),
    }).strict(),
  ).min(1, "The transcript needs at least one message").max(MAX_TRANSCRIPT_ENTRIES),
  /** What the bot learnt, shown under Context (rule 10 bounds). */
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** The bot's summary for the agent: an internal note after the transcript. */
  summary: z.string().trim().min(1).max(MAX_TEXT_CHARS).optional(),
}).strict();
export type HandoffInput = z.input<typeof handoffSchema>;

/** Who hands over: the integration's actor id and the name its messages carry. */
export interface Bot {
  id: string;
  name: string;
}

export interface HandoffResult {
  contact: Contact;
  conversation: Conversation;
  messages: Message[];
  /** True when this handoffId was handed over before: nothing new was written. */
  duplicate: boolean;
}

/** Opens the handed-over conversation (see the module doc). */
export async function handOffConversation(
  engine: Engine,
  raw: HandoffInput,
  bot: Bot,
): Promise<HandoffResult> {
  const { kv } = engine;
  const input = parseWith(handoffSchema, raw);
  const channel = input.channel;
  const ext = channel === "webchat" ? input.contact.webVisitorId : input.contact.whatsappId;
  if (!ext) {
    throw badRequest(
      "invalid",
      channel === "webchat"
        ? "contact.webVisitorId: Required for webchat."
        : "contact.whatsappId: Required for whatsapp.",
    );
  }
  const bytes = new TextEncoder().encode(JSON.stringify(input.transcript)).length;
  if (bytes > MAX_TRANSCRIPT_BYTES) {
    throw new AppError(413, "too_large", `The transcript is over ${MAX_TRANSCRIPT_BYTES} bytes.`);
  }
  const teamId = input.teamId ?? null;
  if (teamId && !(await kv.get<Team>(keys.team(teamId))).value) throw notFound("Team");
  const dupKey = keys.messageClientId(`handoff:${bot.id}`, input.handoffId);

  const result = await mutate<HandoffResult>(engine, async (reads) => {
    const now = new Date();
    const at = now.toISOString();
    const [dup, byChannel] = await reads.getMany<[{ conversationId: string }, string]>([
      dupKey,
      keys.contactByChannel(channel, ext),
    ]);
    if (dup.value) {
      const conversation = await getConversation(kv, dup.value.conversationId);
      const contact = conversation
        ? (await kv.get<Contact>(keys.contact(conversation.contactId))).value
        : null;
      if (conversation && contact) {
        return { value: { contact, conversation, messages: [], duplicate: true } };
      }
    }
    let contact: Contact;
    let known = false;
    if (byChannel.value) {
      const [contactEntry, openEntry] = await reads.getMany<[Contact, string]>([
        keys.contact(byChannel.value),
        keys.contactOpen(byChannel.value, channel),
      ]);
      if (!contactEntry.value) throw conflict("busy", "Contact index is out of step; try again.");
      contact = contactEntry.value;
      known = true;
      if (openEntry.value) {
        const [openConv] = await reads.getMany<[Conversation]>([
          keys.conversation(openEntry.value),
        ]);
        if (openConv.value && openConv.value.status !== "closed") {
          throw new AppError(
            409,
            "conversation_open",
            "This contact already has an open conversation on this channel; humans have it.",
            { conversationId: openConv.value.id },
          );
        }
      }
    } else {
      contact = newContactRecord(channel, ext, at);
    }
    const updated = withContactDetails(contact, input.contact, at);
    const ms = now.getTime();
    let conv = newPendingConversation(channel, contact.id, teamId, at);
    if (input.context && Object.keys(input.context).length > 0) {
      const merged = mergeContextData({}, input.context);
      if (!merged.ok) throw badRequest(merged.code, merged.message, { rejected: merged.rejected });
      conv = { ...conv, context: merged.data };
    }

    const op = new EngineOp();
    if (!known) {
      op.set(keys.contactByChannel(channel, ext), contact.id);
      op.check({ key: keys.contactOpen(contact.id, channel), versionstamp: null });
    }
    if (!known || updated.updatedAt !== contact.updatedAt) {
      op.set(keys.contact(contact.id), updated);
    }
    const changes: NewChange[] = [{
      type: "conversation.created",
      conversationId: conv.id,
      data: {
        channel,
        contactId: contact.id,
        teamId,
        status: "pending",
        handoff: { botId: bot.id, botName: bot.name, handoffId: input.handoffId },
      },
    }];
    const messages: Message[] = [];
    // Searchable by the contact first: a long transcript may use up the op's index writes.
    indexContact(op, updated, conv.id);
    const customerAuthor = {
      type: "customer" as const,
      id: contact.id,
      ...(updated.name ? { name: updated.name } : {}),
    };
    let last = 0;
    for (const entry of input.transcript) {
      // Times stay in order and never after the hand-off.
      const when = Math.max(last, Math.min(entry.at ? Date.parse(entry.at) : ms, ms));
      last = when;
      const appended = appendToLog(op, conv, {
        type: "message",
        kind: "text",
        author: entry.from === "bot" ? { type: "bot", id: bot.id, name: bot.name } : customerAuthor,
        text: entry.text,
        visibility: "public",
        // Bot lines were delivered by the bot's own channel; they are history here.
        delivery: entry.from === "bot"
          ? { status: "sent", at: new Date(when).toISOString() }
          : null,
      }, new Date(when).toISOString());
      conv = appended.conv;
      messages.push(appended.message);
    }
    if (input.summary) {
      const note = appendToLog(op, conv, {
        type: "note",
        kind: "text",
        author: { type: "bot", id: bot.id, name: bot.name },
        text: input.summary,
        visibility: "staff",
      }, at);
      conv = note.conv;
      messages.push(note.message);
    }
    // The hand-off is when the chat starts waiting for a human.
    conv = { ...conv, lastActivityAt: at };
    writeConversation(op, null, conv);
    op.set(keys.contactOpen(contact.id, channel), conv.id);
    op.set(keys.contactConversation(contact.id, conv.id), channel);
    op.set(dupKey, { conversationId: conv.id, seq: messages[messages.length - 1].seq });
    for (const m of messages) changes.push(messageChange(conv, m));
    return {
      op,
      changes,
      value: { contact: updated, conversation: conv, messages, duplicate: false },
    };
  });
  if (!result.duplicate) {
    engine.routes.remember(channel, ext, result.contact.id, result.conversation.id);
    await triggerAssignment(engine);
    const fresh = await getConversation(kv, result.conversation.id);
    if (fresh) result.conversation = fresh;
  }
  return result;
}
