/**
 * Server frames built from records, for staff and for visitors (pure): what
 * each side of a chat may see of a log entry, a conversation change and a
 * typing or read signal. Visitors never see internal notes, staff-only events
 * or staff ids.
 */
import type { Conversation, Message } from "../domain/engine_types.ts";
import type { Change } from "../store/changes.ts";
import { toCustomerMessage } from "../store/engine/log.ts";
import type { Actor, ServerFrame } from "./protocol.ts";
import type { TypingSignal } from "./typing.ts";

/** The conversationId a visitor's first `send` uses (the engine opens the conversation). */
export const NEW_CONVERSATION = "new";

/** Changes a visitor hears about as `event` frames (then reloads its state). */
export const VISITOR_EVENTS = new Set([
  "conversation.created",
  "conversation.assigned",
  "conversation.transferred",
  "conversation.requeued",
  "conversation.closed",
]);

/** A log entry as a `message` frame; null when a visitor may not see it. */
export function entryFrame(m: Message, staff: boolean): ServerFrame | null {
  if (staff) return { type: "message", conversationId: m.conversationId, message: { ...m } };
  const visible = toCustomerMessage(m);
  return visible
    ? { type: "message", conversationId: m.conversationId, message: { ...visible } }
    : null;
}

/** A conversation change (not a log entry) as an `event` frame; null when a visitor need not know. */
export function eventFrame(
  change: Change,
  conv: Conversation | null,
  staff: boolean,
): ServerFrame | null {
  const conversationId = change.conversationId!;
  if (staff) {
    return {
      type: "event",
      conversationId,
      event: {
        type: change.type,
        changeSeq: change.seq,
        agentId: change.agentId ?? null,
        data: change.data ?? null,
        conversation: conv,
      },
    };
  }
  if (!VISITOR_EVENTS.has(change.type)) return null;
  return {
    type: "event",
    conversationId,
    event: { type: change.type, status: conv?.status ?? null },
  };
}

/**
 * A typing or read signal as seen by `me`: null for its own signals, and for
 * a visitor, another visitor's; visitors see staff by name only.
 */
export function signalFrame(signal: TypingSignal, me: Actor, staff: boolean): ServerFrame | null {
  if (signal.from.kind === me.kind && (signal.from.id ?? null) === (me.id ?? null)) return null;
  if (!staff && signal.from.kind === "visitor") return null;
  const from = staff ? signal.from : { kind: signal.from.kind, name: signal.from.name };
  if (signal.kind === "read") {
    return { type: "read", conversationId: signal.conversationId, seq: signal.seq ?? 0, by: from };
  }
  return { type: "typing", conversationId: signal.conversationId, from, typing: signal.typing };
}
