/**
 * The records a customer's first contact creates, built in one place for every way a chat begins
 * (a customer message, a bot hand-off): a new contact, a new Pending conversation, and a contact
 * with the details a channel gave applied.
 */
import type { Channel, Contact, Conversation } from "../../domain/engine_types.ts";
import { arrivalRank } from "../../domain/routing.ts";
import { newId } from "../../ids.ts";

/** A new contact known by its channel's id (web visitor id or WhatsApp number). */
export function newContactRecord(channel: Channel, ext: string, at: string): Contact {
  return {
    id: newId(),
    name: null,
    email: null,
    phone: null,
    webVisitorId: channel === "webchat" ? ext : null,
    whatsappId: channel === "whatsapp" ? ext : null,
    createdAt: at,
    updatedAt: at,
  };
}

/** A new Pending conversation, queued by when it arrived (marked when left as an offline message). */
export function newPendingConversation(
  channel: Channel,
  contactId: string,
  teamId: string | null,
  at: string,
  opts: { offlineMessage?: boolean } = {},
): Conversation {
  const ms = Date.parse(at);
  return {
    ...(opts.offlineMessage ? { offlineMessage: true as const } : {}),
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
    pickedUpAt: null,
    pickedUpBy: null,
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
export function withContactDetails(
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
