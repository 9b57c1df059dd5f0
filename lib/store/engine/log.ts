/**
 * The ordered log of a conversation: customer messages, agent messages,
 * internal notes and system events, numbered by `seq` (1, 2, 3, ...). The seq
 * counter lives on the conversation record (`lastSeq`), so any append checks
 * and rewrites that record in the same atomic op: two appends can never get
 * the same seq.
 */
import type {
  AttachmentRef,
  Author,
  Conversation,
  CustomerMessage,
  Delivery,
  Message,
  MessageType,
} from "../../domain/engine_types.ts";
import { newId } from "../../ids.ts";
import { truncateText } from "../../domain/text.ts";
import type { NewChange } from "../changes.ts";
import type { EngineOp } from "./op.ts";
import { keys } from "../keys.ts";
import { indexMessage } from "./search_index.ts";

export interface LogEntryInput {
  type: MessageType;
  kind: string;
  author: Author;
  text: string;
  data?: Record<string, unknown> | null;
  visibility: "public" | "staff";
  toSupervisor?: boolean;
  clientId?: string | null;
  delivery?: Delivery | null;
  /** Files the message carries (claimed in the same op: ./attachments.ts). */
  attachments?: AttachmentRef[];
}

/**
 * Adds one entry to `op` after `conv`'s last seq; returns the conversation as
 * it must be written (lastSeq, activity, preview, counts) and the message.
 * The caller writes the conversation (writeConversation) in the same op.
 */
export function appendToLog(
  op: EngineOp,
  conv: Conversation,
  input: LogEntryInput,
  at: string,
): { conv: Conversation; message: Message } {
  const seq = conv.lastSeq + 1;
  const fromCustomer = input.author.type === "customer";
  const customerCount = conv.customerCount + (fromCustomer ? 1 : 0);
  const message: Message = {
    id: newId(),
    conversationId: conv.id,
    seq,
    type: input.type,
    kind: input.kind,
    author: input.author,
    text: input.text,
    data: input.data ?? null,
    visibility: input.visibility,
    toSupervisor: input.toSupervisor ?? false,
    clientId: input.clientId ?? null,
    createdAt: at,
    delivery: input.delivery ?? null,
    customerCount,
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
  };
  op.set(keys.message(conv.id, seq), message);
  op.noteWritten({ message });
  op.set(keys.messageById(message.id), { conversationId: conv.id, seq });
  indexMessage(op, message); // searchable in the same commit (./search_index.ts)
  const next: Conversation = {
    ...conv,
    lastSeq: seq,
    customerCount,
    lastActivityAt: at,
    // Lists preview the last thing said with the customer: never an event or an internal note.
    lastMessage: input.type === "event" || input.type === "note"
      ? conv.lastMessage
      : { seq, authorType: input.author.type, text: previewText(input), at },
  };
  return { conv: next, message };
}

/** What a list shows of a message: its text (cut whole characters), or the files it carries. */
function previewText(input: LogEntryInput): string {
  const files = input.attachments ?? [];
  const text = input.text.trim() === "" && files.length
    ? "📎 " + files.map((f) => f.filename).join(", ")
    : input.text;
  return truncateText(text, 200);
}

/** A system event entry (assigned, transferred, requeued, closed...). */
export function eventEntry(
  kind: string,
  text: string,
  data: Record<string, unknown>,
  visibility: "public" | "staff",
): LogEntryInput {
  return { type: "event", kind, author: { type: "system" }, text, data, visibility };
}

/** The `message.created` change for a stored message. */
export function messageChange(conv: Conversation, message: Message): NewChange {
  return {
    type: "message.created",
    conversationId: conv.id,
    ...(conv.assigneeId ? { agentId: conv.assigneeId } : {}),
    data: {
      seq: message.seq,
      messageId: message.id,
      type: message.type,
      kind: message.kind,
      visibility: message.visibility,
      authorType: message.author.type,
      toSupervisor: message.toSupervisor,
      channel: conv.channel,
    },
  };
}

/** What the customer may see of a message, or null for notes and staff-only events. */
export function toCustomerMessage(m: Message): CustomerMessage | null {
  if (m.visibility !== "public" || m.type === "note") return null;
  return {
    id: m.id,
    seq: m.seq,
    type: m.type === "event" ? "event" : "message",
    kind: m.kind,
    author: m.author.name !== undefined
      ? { type: m.author.type, name: m.author.name }
      : { type: m.author.type },
    text: m.text,
    data: m.data,
    clientId: m.author.type === "customer" ? m.clientId : null,
    createdAt: m.createdAt,
    delivery: m.author.type === "agent" ? m.delivery : null,
    ...(m.attachments?.length ? { attachments: m.attachments } : {}),
  };
}
