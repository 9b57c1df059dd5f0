/**
 * Retention and erasure (issue 16, item 6), the rules without I/O: what of a
 * conversation, a message and a contact is personal data, and what stays.
 *
 * Decision: anonymise, never delete records. A conversation past retention
 * keeps its shape (channel, status, times, team, assignee, tags, message
 * count and order) so history lists, per-agent closed lists and the metrics
 * counters (kept apart as sums: lib/store/engine/metrics.ts) still add up;
 * everything a customer or agent wrote is removed: message texts and data,
 * attachments (their files are deleted), names, the page context and the
 * wrap-up notes. An erased contact's own record and channel ids are deleted,
 * so the person is not recognised when they write again.
 */
import type { Conversation, Message } from "./engine_types.ts";

/** Bounds of the retention setting (days); 0 = keep forever (the default). */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

/** The cut-off: conversations closed before this instant are past retention. */
export function retentionCutoff(days: number, nowMs: number): number | null {
  return days > 0 ? nowMs - days * 86_400_000 : null;
}

/** A message without what anyone wrote: text, data, attachments and a customer's name go. */
export function anonymisedMessage(m: Message): Message {
  const author = m.author.type === "customer"
    ? { type: m.author.type, ...(m.author.id ? { id: m.author.id } : {}) }
    : m.author;
  const { attachments: _gone, ...rest } = m;
  return {
    ...rest,
    author,
    text: "",
    data: m.type === "event" ? eventData(m.data) : null,
    clientId: m.clientId,
  };
}

/** Events keep only ids and reasons (a transfer note or a return note is written text). */
function eventData(data: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!data) return null;
  const { note: _note, ...rest } = data;
  return rest;
}

/** A conversation without personal data: no context, no wrap-up notes, no preview text. */
export function anonymisedConversation(c: Conversation, at: string): Conversation {
  return {
    ...c,
    context: {},
    wrapUp: c.wrapUp ? { ...c.wrapUp, notes: "" } : null,
    lastMessage: c.lastMessage ? { ...c.lastMessage, text: "" } : null,
    inactivity: null,
    anonymisedAt: at,
  };
}
