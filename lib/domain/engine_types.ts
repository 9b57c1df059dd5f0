/**
 * The records of the conversation engine (docs/engine.md). Plain JSON shapes,
 * shared by the store (lib/store/engine/), the routes and the islands.
 */

import type { AttachmentRef } from "./attachments.ts";

export type { AttachmentRef };

export const CHANNELS = ["webchat", "whatsapp"] as const;
export type Channel = (typeof CHANNELS)[number];

export const CONVERSATION_STATUSES = ["pending", "active", "closed"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** Staff roles: supervisors and admins supervise (lib/domain/permissions.ts). */
export const ROLES = ["agent", "supervisor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const AGENT_STATUSES = ["online", "busy", "offline"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** One person across channels. */
export interface Contact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  webVisitorId: string | null;
  whatsappId: string | null;
  createdAt: string;
  updatedAt: string;
  /** Contacts merged into this one (their channel ids now find this contact). */
  mergedFrom?: string[];
  /** Set on a contact merged into another: the one that holds its history now. */
  mergedInto?: string;
}

/** Context values a page attaches (rule 10): scalars only. */
export type ContextValue = string | number | boolean;
export type ContextData = Record<string, ContextValue>;

export interface WrapUp {
  notes: string;
  tags: string[];
  /** The agent who closed it, or "system" for an automatic close. */
  closedBy: string;
  closedAt: string;
  /** Why it closed when nobody chose to: "inactivity" (lib/domain/inactivity.ts). Absent: by staff. */
  reason?: "inactivity";
}

/**
 * The inactivity timer (issue 16, lib/domain/inactivity.ts): started by a
 * public staff reply in an Active chat, it warns the customer at `warnAt` and
 * closes at `closeAt`. It belongs to the reply (`seq`) and to the holding as
 * it was (`agentId`, `assignedAt`): a customer message clears it, and a
 * transfer, requeue or close makes it stale, so a late job does nothing.
 */
export interface InactivityTimer {
  /** The seq of the staff reply that started it. */
  seq: number;
  agentId: string;
  assignedAt: string;
  warnAt: string;
  /** When it closes (projected from the settings until the warning, then fixed). */
  closeAt: string;
  /** When the warning went to the customer; null until then. */
  warnedAt: string | null;
}

/** off; OK/KO (thumbs up / down); OK/KO and a 0–10 "would you recommend us" score (./survey.ts). */
export type SurveyMode = "off" | "csat" | "csat_nps";
export type SurveyRating = "ok" | "ko";

/** What a close offered the customer (kept on the conversation: later setting changes do not apply). */
export interface SurveyOffer {
  mode: Exclude<SurveyMode, "off">;
  /** The customer may add a comment. */
  comment: boolean;
  offeredAt: string;
  /** After this, answers are refused (the window the settings gave at close). */
  expiresAt: string;
}

/** The customer's one answer to the survey, stored on the conversation. */
export interface SurveyAnswer {
  rating: SurveyRating;
  /** 0–10, only when the offer asked for it; null when not given (yet). */
  nps: number | null;
  comment: string | null;
  answeredAt: string;
  channel: Channel;
  /** The channel message that carried a score given after the rating (WhatsApp's wamid). */
  scoreClientId?: string;
}

export interface Conversation {
  id: string;
  channel: Channel;
  contactId: string;
  status: ConversationStatus;
  /** The one agent holding the chat while Active; null when Pending or Closed without one. */
  assigneeId: string | null;
  /** Routing to a team's queue: only that team's agents get it. null = anyone. */
  teamId: string | null;
  context: ContextData;
  wrapUp: WrapUp | null;
  createdAt: string;
  assignedAt: string | null;
  /**
   * When an agent first took the chat from the queue (kept through transfers
   * and requeues; absent on records from before metrics, lib/store/engine/metrics.ts).
   */
  pickedUpAt?: string | null;
  /** The agent who took it then (absent like pickedUpAt). */
  pickedUpBy?: string | null;
  /** The first reply any agent sent to the customer in this conversation. */
  firstAgentReplyAt: string | null;
  /** The current assignee's first reply since assignment (the unanswered-chat timer stops). */
  assigneeRepliedAt: string | null;
  closedAt: string | null;
  lastActivityAt: string;
  /** The last message seq used; the next message gets lastSeq + 1. */
  lastSeq: number;
  /** How many customer messages the log holds (unread counts). */
  customerCount: number;
  lastMessage: { seq: number; authorType: AuthorType; text: string; at: string } | null;
  /** Queue rank while Pending (lower goes first), else null. */
  queueRank: number | null;
  /** Automatic assignment skips this agent once (set when a chat times out unanswered). */
  skipAgentId: string | null;
  /** The seq of an agent's open question to supervisors, until a supervisor writes a note. */
  openQuestionSeq: number | null;
  /** The inactivity timer running since a staff reply (absent on older records). */
  inactivity?: InactivityTimer | null;
  /**
   * Left with the widget's offline form (out of hours, or nobody Online): the customer gave an
   * email address to be answered at. Absent on other chats (and on records from before).
   */
  offlineMessage?: true;
  /** When the WhatsApp away reply went out (out of hours; once per conversation). */
  awayReplyAt?: string;
  /** When retention or an erasure removed its personal data (lib/domain/retention.ts). */
  anonymisedAt?: string;
  /** The satisfaction survey the close offered (absent/null: none). */
  survey?: SurveyOffer | null;
  /** The customer's answer to it (absent/null: not answered). */
  csat?: SurveyAnswer | null;
}

/** "bot": a conversational bot's lines in a hand-off transcript (engine/handoff.ts). */
export type AuthorType = "customer" | "agent" | "system" | "bot";

export interface Author {
  type: AuthorType;
  /** Agent id for agents; contact id for customers; the integration's id for bots; absent for system. */
  id?: string;
  name?: string;
}

/** "message": a chat message the customer sees; "note": internal; "event": system event. */
export type MessageType = "message" | "note" | "event";

export const DELIVERY_STATUSES = ["sending", "sent", "delivered", "read", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  status: DeliveryStatus;
  at: string;
  error?: { code: string; reason: string };
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  type: MessageType;
  /** Content kind: "text", or a channel kind ("image", "location", ...); for events the event name. */
  kind: string;
  author: Author;
  text: string;
  /** Extra JSON for non-text kinds and events (e.g. { fromAgentId, toAgentId, note }). */
  data: Record<string, unknown> | null;
  /** "public": the customer sees it; "staff": internal notes and staff-only events. */
  visibility: "public" | "staff";
  /** An internal note addressed to supervisors as a question. */
  toSupervisor: boolean;
  clientId: string | null;
  createdAt: string;
  /** Outbound delivery for agent messages to the customer; null otherwise. */
  delivery: Delivery | null;
  /** Count of customer messages up to and including this one. */
  customerCount: number;
  /** Files sent with the message (images, documents); absent when none (served by id). */
  attachments?: AttachmentRef[];
}

/** What a customer may see of a message (never notes or staff events). */
export interface CustomerMessage {
  id: string;
  seq: number;
  type: "message" | "event";
  kind: string;
  author: { type: AuthorType; name?: string };
  text: string;
  data: Record<string, unknown> | null;
  clientId: string | null;
  createdAt: string;
  delivery: Delivery | null;
  /** Files sent with the message; absent when none. */
  attachments?: AttachmentRef[];
}

export interface Presence {
  agentId: string;
  status: AgentStatus;
  changedAt: string;
  /** Why the status last changed. */
  reason: "manual" | "heartbeat_lost" | "heartbeat_resumed";
  /** After a lost heartbeat: the status a new heartbeat restores. */
  resumeStatus: "online" | "busy" | null;
}

export interface AgentLoad {
  /** Open chats the agent holds (Active). */
  conversationIds: string[];
  /** The subset that reached it by an agent's transfer (maxTransfersPerAgent). */
  transferredIds: string[];
  /** ms of the last assignment: ties go to the longest-waiting agent. */
  lastAssignedAt: number | null;
}

export interface Settings {
  /** Global max chats per agent (an agent's own maxChats overrides it). */
  maxChatsPerAgent: number;
  /** Automatic assignment of Pending chats to Online agents. */
  dynamicAssignment: boolean;
  /** Without a heartbeat this long, an agent becomes Offline. */
  heartbeatGraceSeconds: number;
  /** When an agent goes Offline, its chats return to the front of the queue. */
  requeueOnOffline: boolean;
  /** A chat whose assignee has not replied in this many seconds is requeued; 0 = off. */
  unansweredTimeoutSeconds: number;
  /** Max chats an agent may hold that came by an agent's transfer; 0 = unlimited. */
  maxTransfersPerAgent: number;
  /** Predefined wrap-up tags the close form offers (admin-managed; lib/domain/wrap_up.ts). */
  wrapUpTags: string[];
  /** Agents may also type tags of their own at close. */
  allowFreeTags: boolean;
  /** Warn the customer this long after a staff reply they did not answer; 0 = off. */
  inactivityWarnSeconds: number;
  /** ...and close the chat this long after the warning. */
  inactivityCloseSeconds: number;
  /** The warning's words per language ("en" required; lib/domain/inactivity.ts). */
  inactivityWarningText: Record<string, string>;
  /** Closed conversations older than this many days are anonymised; 0 = kept forever. */
  retentionDays: number;
  /** The satisfaction survey a close offers the customer (lib/domain/survey.ts). */
  surveyMode: SurveyMode;
  /** The survey lets the customer add a comment. */
  surveyComment: boolean;
  /** Days after the close in which an answer counts (1–30). */
  surveyWindowDays: number;
}
