/**
 * The outgoing webhook events, without I/O: which changes of the change log become which event,
 * and the body an endpoint receives. One place: the engine only writes its change log; this
 * module decides what integrators hear of it.
 *
 * Body (the same for every attempt but `sentAt`):
 * `{id, type, createdAt, sentAt, data: {conversation?, message?, ...change data}}`.
 */
import type { Change } from "../store/changes.ts";

/** Every event an endpoint may subscribe to, with what it means (the admin console shows it). */
export const WEBHOOK_EVENTS = {
  "conversation.created": "A customer opened a conversation (or a bot handed one over).",
  "conversation.assigned": "A conversation was assigned to an agent (automatically or picked up).",
  "conversation.transferred": "A conversation was transferred to an agent or a team's queue.",
  "conversation.closed": "A conversation was closed, with its wrap-up notes and tags.",
  "message.created":
    "A message was written: by the customer, an agent, a bot, or an internal note.",
  "csat.received": "A customer rated a closed conversation (customer satisfaction survey).",
} as const;
export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

/**
 * The event a change becomes, or null. Change types are named like events where they match;
 * system-event log entries (`message.created` of type "event") are left out: the conversation
 * events say the same.
 */
export function eventOf(change: Change): WebhookEvent | null {
  switch (change.type) {
    case "conversation.created":
    case "conversation.assigned":
    case "conversation.transferred":
    case "conversation.closed":
    case "csat.received":
      return change.type;
    case "message.created":
      return change.data?.type === "event" ? null : "message.created";
    default:
      return null;
  }
}

/** What one event carries before it is sent (stored with each delivery). */
export interface WebhookPayload {
  /** Unique per event (the same for every endpoint and every retry): dedupe on it. */
  id: string;
  type: WebhookEvent;
  /** When the change was committed. */
  createdAt: string;
  data: Record<string, unknown>;
}

/** The event's id: the change's shard and seq in the change log, unique per store. */
export function eventId(change: Change): string {
  // Shard 0 goes on with the numbers of the single log before the shards: ids are never reused.
  return change.shard ? `evt_${change.shard}_${change.seq}` : `evt_${change.seq}`;
}

/** The raw body of one attempt; `sentAt` makes the signed body carry the attempt's time. */
export function webhookBody(payload: WebhookPayload, sentAt: Date): string {
  return JSON.stringify({ ...payload, sentAt: sentAt.toISOString() });
}
