/**
 * What a customer message writes (lib/store/engine/customer.ts decides it):
 * the contact and its channel index, the held details it takes, the message
 * in the log, the conversation and its indexes, all in one atomic op, and the
 * changes announced with it. The reads are ./customer_reads.ts.
 */
import type { Channel, Contact, Conversation, Message } from "../../domain/engine_types.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import { appendToLog, messageChange } from "./log.ts";
import { EngineOp } from "./op.ts";
import { type Claim, writeClaims } from "./attachments.ts";
import { writeConversation } from "./records.ts";
import { indexContact } from "./search_index.ts";
import { afterCustomerMessage } from "../../domain/inactivity.ts";

/** The contact a message belongs to, with the entries its commit depends on. */
export interface FoundContact {
  contact: Contact;
  /** The stored contact's entry; null for a contact this message creates. */
  entry: Deno.KvEntryMaybe<Contact> | null;
  /** The contact's open conversation on this channel (its id). */
  open: Deno.KvEntryMaybe<string>;
}

/** Everything one new customer message writes, decided before the commit. */
export interface CustomerMessageWrite {
  /** The message as the customer sent it. */
  message: {
    clientId: string;
    kind: string;
    text: string;
    data: Record<string, unknown> | null;
  };
  /** The files the message takes (./attachments.ts). */
  claim: Claim;
  channel: Channel;
  ext: string;
  at: string;
  found: FoundContact;
  /** The contact with the message's (and held) details; `found.contact` when unchanged. */
  updated: Contact;
  /** The held details this message takes, if any. */
  heldKey: Deno.KvKey | null;
  /** The conversation as stored (a new one when `created`). */
  before: Conversation;
  /** ...with the incoming context merged in. */
  conv: Conversation;
  created: boolean;
}

/** The message's one atomic op (contact, held details, log, indexes) and its changes. */
export function writeCustomerMessage(w: CustomerMessageWrite) {
  const { message, channel, found, updated, before, created, at } = w;
  const contact = found.contact;
  // What came through `reads` is checked by mutate; a new contact's records are checked here.
  const op = new EngineOp();
  if (!found.entry) {
    op.check(found.open).check({
      key: keys.messageClientId(`contact:${contact.id}`, message.clientId),
      versionstamp: null,
    });
  }
  if (w.heldKey) op.delete(w.heldKey); // used once: by this message
  if (!found.entry) op.set(keys.contactByChannel(channel, w.ext), contact.id);
  if (!found.entry || updated !== contact) op.set(keys.contact(contact.id), updated);

  const appended = appendToLog(op, w.conv, {
    type: "message",
    kind: message.kind,
    author: { type: "customer", id: contact.id, ...(updated.name ? { name: updated.name } : {}) },
    text: message.text,
    data: message.data,
    visibility: "public",
    clientId: message.clientId,
    attachments: w.claim.refs,
  }, at);
  writeClaims(op, w.claim, w.conv.id, appended.message.id);
  // Any customer message stops the inactivity timer (a late job then finds it gone).
  const conv = afterCustomerMessage(appended.conv);
  writeConversation(op, created ? null : before, conv);
  op.set(keys.messageClientId(`contact:${contact.id}`, message.clientId), {
    conversationId: conv.id,
    seq: appended.message.seq,
  });
  // The contact's details are searchable in a new conversation, and in this one when they change.
  if (created) indexContact(op, updated, conv.id);
  else if (updated !== contact) indexContact(op, updated, conv.id, contact);
  if (created) {
    op.set(keys.contactOpen(contact.id, channel), conv.id);
    op.set(keys.contactConversation(contact.id, conv.id), channel);
  }
  const contactChanged = found.entry !== null && updated !== contact;
  return {
    op,
    changes: customerMessageChanges(w, conv, appended.message, contactChanged),
    value: {
      contact: updated,
      conversation: conv,
      message: appended.message,
      created,
      duplicate: false,
    },
  };
}

/** What the message changed, in order: a new conversation, its context, the contact, the message. */
function customerMessageChanges(
  w: CustomerMessageWrite,
  conv: Conversation,
  message: Message,
  contactChanged: boolean,
): NewChange[] {
  const changes: NewChange[] = [];
  if (w.created) {
    changes.push({
      type: "conversation.created",
      conversationId: conv.id,
      data: {
        channel: w.channel,
        contactId: w.found.contact.id,
        teamId: conv.teamId,
        status: "pending",
        ...(conv.offlineMessage ? { offlineMessage: true } : {}),
      },
    });
  }
  if (conv.context !== w.before.context) changes.push(contextChange(conv));
  if (contactChanged) {
    changes.push({
      type: "contact.updated",
      conversationId: conv.id,
      ...(conv.status === "active" && conv.assigneeId ? { agentId: conv.assigneeId } : {}),
      data: { contactId: w.found.contact.id },
    });
  }
  changes.push(messageChange(conv, message));
  return changes;
}

/** The context of a conversation changed (for its watchers and its assignee). */
export function contextChange(conv: Conversation): NewChange {
  return {
    type: "context.updated",
    conversationId: conv.id,
    ...(conv.status === "active" && conv.assigneeId ? { agentId: conv.assigneeId } : {}),
    data: { keys: Object.keys(conv.context).length },
  };
}
