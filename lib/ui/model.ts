/**
 * The workspace's view of the engine's records: small, JSON-serialisable
 * shapes that the server render puts into island props and the islands
 * rebuild from the staff JSON API. `toUi*` are the one place where the
 * engine's record fields are mapped, so a field rename touches only this file.
 * Their inputs are the records exactly as the staff API sends them; the
 * imports are type-only, so nothing of the server reaches the browser bundle.
 */
import { toUiAttachment, type UiAttachment } from "./attachments.ts";
import type {
  AgentStatus,
  Contact,
  ContextData,
  ConversationStatus,
  Message,
  Role,
  Settings,
} from "../domain/engine_types.ts";
import type { AgentSummary, ConversationSummary, HistoryItem } from "../store/engine/mod.ts";
import type { QuickResponse } from "../store/quick_responses.ts";
import type { TemplateMessageData } from "../domain/whatsapp_templates.ts";
import { t } from "../i18n/mod.ts";
import { liveTimer } from "../domain/inactivity.ts";

export type Tab = ConversationStatus;

/** The settings the workspace's own rules read (a subset of the routing settings). */
export interface UiRules {
  /** Chats of an Offline holder go back to the queue (transfer to Offline people is refused). */
  requeueOnOffline: boolean;
  /** The admin's predefined wrap-up tags, offered as checkboxes at close. */
  wrapUpTags: string[];
  /** Whether agents may type tags of their own at close. */
  allowFreeTags: boolean;
  /** Inactivity timers are on (the pane shows a chat's countdown only then). */
  inactivityOn: boolean;
}

/** The workspace's rules from the routing settings (the seed, or a `settings.updated` change). */
export function toUiRules(s: Partial<Settings>, before?: UiRules): UiRules {
  return {
    requeueOnOffline: typeof s.requeueOnOffline === "boolean"
      ? s.requeueOnOffline
      : before?.requeueOnOffline ?? true,
    wrapUpTags: Array.isArray(s.wrapUpTags)
      ? s.wrapUpTags.filter((t): t is string => typeof t === "string")
      : before?.wrapUpTags ?? [],
    allowFreeTags: typeof s.allowFreeTags === "boolean"
      ? s.allowFreeTags
      : before?.allowFreeTags ?? true,
    inactivityOn: typeof s.inactivityWarnSeconds === "number"
      ? s.inactivityWarnSeconds > 0
      : before?.inactivityOn ?? false,
  };
}
export const TABS: Tab[] = ["active", "pending", "closed"];

export interface UiMe {
  id: string;
  name: string;
  role: Role;
  status: AgentStatus;
  maxChats: number | null;
}

export interface UiAgent {
  id: string;
  name: string;
  role: Role;
  status: AgentStatus;
  activeChats: number;
  /** The max chats that apply to the agent now (its own, else the global setting). */
  maxChats: number;
  /** Of its active chats, the ones that reached it by an agent's transfer. */
  transferredChats: number;
}

export interface UiSummary {
  id: string;
  channel: string;
  status: Tab;
  contactId: string;
  contactName: string;
  assigneeId: string | null;
  preview: string;
  /** Last activity, ISO. */
  lastAt: string;
  /** Since when the customer waits for an answer (null when nobody waits). */
  waitingSince: string | null;
  unread: number;
  /** An agent asked a supervisor something in this chat that is not answered yet. */
  question: boolean;
  /** Left with the widget's offline form: the customer waits for an answer by email. */
  offlineMessage: boolean;
}

export type Author = "customer" | "agent" | "system";

export interface UiMessage {
  id: string;
  seq: number;
  clientId: string | null;
  author: Author;
  authorName: string | null;
  authorId: string | null;
  text: string;
  internal: boolean;
  toSupervisor: boolean;
  at: string;
  /** Outbound delivery: sending, sent, delivered, read, failed. */
  delivery: string | null;
  failReason: string | null;
  /** "text", or a channel kind such as "image", "location", "unsupported". */
  kind: string;
  /** Staff link to a customer's media (WhatsApp), when the message carries one. */
  mediaUrl: string | null;
  /** For a transfer event: who from, who to, and the note, to say "Transferred from A to B". */
  transfer: { fromAgentId: string | null; toAgentName: string; note: string | null } | null;
  /** A WhatsApp template message: which template, with the values sent (Retry sends it again). */
  template: { name: string; language: string; values: Record<string, string> } | null;
  /** The note given with another staff event (a chat returned to the queue), else null. */
  eventNote: string | null;
  /** A system event's kind and the facts its words need, so each reader sees it in their language. */
  event: {
    kind: string;
    agentName: string | null;
    reason: string | null;
    byAgentId: string | null;
    /** A satisfaction survey answer (`survey_answered`). */
    survey: UiSurveyAnswer | null;
  } | null;
  /** Files the message carries (images and documents). */
  attachments: UiAttachment[];
}

/** A customer's answer to the satisfaction survey, as the workspace words it (MessageLog.tsx). */
export interface UiSurveyAnswer {
  rating: "ok" | "ko";
  nps: number | null;
  comment: string | null;
}

export interface UiConversation extends UiSummary {
  /** What the engine holds about the customer (setUser, the WhatsApp number); null when unknown. */
  contactEmail: string | null;
  contactPhone: string | null;
  messages: UiMessage[];
  context: [string, string][];
  pageUrl: string | null;
  userAgent: string | null;
  language: string | null;
  wrapUp: { notes: string; tags: string[] } | null;
  /** WhatsApp only: when free-form replies stop being allowed (null: closed or n/a). */
  windowEndsAt: string | null;
  /** The inactivity timer that still counts: when the chat closes, and when the customer was warned. */
  inactivity: { closeAt: string; warnedAt: string | null } | null;
}

export interface UiPrevious {
  id: string;
  status: Tab;
  channel: string;
  at: string;
  wrapUpNotes: string;
  /** The customer's survey answer in words (lib/domain/survey.ts), or null. */
  csat: UiSurveyAnswer | null;
  messages: UiMessage[];
}

export interface UiQuickResponse {
  id: string;
  title: string;
  shortcut: string;
  body: string;
}

/** A non-empty string from a message's free-form `data`, else null. */
const textOf = (v: unknown): string | null => typeof v === "string" && v !== "" ? v : null;

/**
 * The signed-in member: `GET /api/v1/me` (an {@link AgentSummary}), or on the
 * server the account itself before it has a presence (no effective max yet).
 */
export function toUiMe(
  me: Pick<AgentSummary, "id" | "name" | "role" | "status"> & { maxChats: number | null },
): UiMe {
  return { id: me.id, name: me.name, role: me.role, status: me.status, maxChats: me.maxChats };
}

/** A row of `GET /api/v1/agents`. */
export function toUiAgent(a: AgentSummary): UiAgent {
  return {
    id: a.id,
    name: a.name,
    role: a.role,
    status: a.status,
    activeChats: a.activeChats,
    maxChats: a.maxChats,
    transferredChats: a.transferredChats,
  };
}

function contactName(contact: Contact | null, contactId: string): string {
  return contact?.name || contact?.phone || contact?.whatsappId ||
    t("contact.visitor", { id: (contact?.id ?? contactId).slice(-4) });
}

/** Since when the customer waits: Pending since it arrived, Active since an unanswered message. */
function waitingSince(c: ConversationSummary): string | null {
  if (c.status === "pending") return c.createdAt;
  if (c.status !== "active") return null;
  return c.lastMessage?.authorType === "customer" ? c.lastMessage.at : null;
}

/** A row of `GET /api/v1/conversations`. */
export function toUiSummary(c: ConversationSummary): UiSummary {
  return {
    id: c.id,
    channel: c.channel,
    status: c.status,
    contactId: c.contactId,
    contactName: contactName(c.contact, c.contactId),
    assigneeId: c.assigneeId,
    preview: c.lastMessage?.text ?? "",
    lastAt: c.lastActivityAt,
    waitingSince: waitingSince(c),
    unread: c.unread,
    // Records stored before questions existed have no openQuestionSeq.
    question: (c.openQuestionSeq ?? null) !== null,
    offlineMessage: c.offlineMessage === true,
  };
}

/** A log entry as staff see it (the API's `messages`, the staff socket's `message` frames). */
export function toUiMessage(m: Message): UiMessage {
  const author: Author = m.type === "event" || m.author.type === "system"
    ? "system"
    : m.author.type === "customer"
    ? "customer"
    : "agent";
  const data = m.data ?? {};
  const toAgentName = textOf(data.toAgentName);
  const mediaId = textOf(data.mediaId);
  return {
    id: m.id,
    seq: m.seq,
    clientId: m.clientId || null,
    author,
    // A bot's lines (a hand-off transcript) read as the bot's, on the staff side of the log.
    authorName: m.author.type === "bot" ? `${m.author.name || "Bot"} (bot)` : m.author.name || null,
    authorId: m.author.id || null,
    text: m.text,
    internal: m.type === "note",
    toSupervisor: m.toSupervisor === true,
    at: m.createdAt,
    delivery: m.delivery?.status ?? null,
    failReason: m.delivery?.error?.reason || null,
    kind: m.kind,
    transfer: m.type === "event" && m.kind === "transferred" && toAgentName
      ? { fromAgentId: textOf(data.fromAgentId), toAgentName, note: textOf(data.note) }
      : null,
    eventNote: m.type === "event" && m.kind === "requeued" ? textOf(data.note) : null,
    event: m.type === "event"
      ? {
        kind: m.kind,
        agentName: textOf(data.agentName),
        reason: textOf(data.reason),
        byAgentId: textOf(data.byAgentId),
        survey: m.kind === "survey_answered" && (data.rating === "ok" || data.rating === "ko")
          ? {
            rating: data.rating,
            nps: typeof data.nps === "number" ? data.nps : null,
            comment: textOf(data.comment),
          }
          : null,
      }
      : null,
    mediaUrl: mediaId ? `/api/v1/media/${encodeURIComponent(mediaId)}` : null,
    template: m.kind === "template" ? templateOf(data.template) : null,
    attachments: (m.attachments ?? []).map(toUiAttachment),
  };
}

function templateOf(raw: unknown): UiMessage["template"] {
  const t = raw as Partial<TemplateMessageData> | null;
  if (!t || typeof t.name !== "string" || typeof t.language !== "string") return null;
  const values: Record<string, string> = {};
  for (const p of Array.isArray(t.parameters) ? t.parameters : []) {
    values[`${p.component}:${p.key}`] = String(p.value ?? "");
  }
  return { name: t.name, language: t.language, values };
}

/**
 * Context keys the widget may use to report the visitor's page, browser and
 * language; the Context panel shows them apart as "Page", "Browser", "Language".
 */
export const VISITOR_KEYS = {
  pageUrl: ["pageUrl", "page_url"],
  userAgent: ["userAgent", "user_agent"],
  language: ["language", "lang"],
} as const;
const RESERVED = new Set<string>(Object.values(VISITOR_KEYS).flat());

function contextPairs(ctx: ContextData): [string, string][] {
  return Object.entries(ctx)
    .filter(([k]) => !RESERVED.has(k))
    .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)] as [string, string]);
}

function visitorValue(ctx: ContextData, names: readonly string[]): string | null {
  for (const name of names) if (typeof ctx[name] === "string" && ctx[name]) return ctx[name];
  return null;
}

/** `GET /api/v1/conversations/:id`: the conversation and its log. */
export function toUiConversation(c: ConversationSummary, messages: Message[]): UiConversation {
  const ctx = c.context ?? {};
  return {
    ...toUiSummary(c),
    contactEmail: c.contact?.email || null,
    contactPhone: c.contact?.phone || null,
    messages: messages.map(toUiMessage).sort((a, b) => a.seq - b.seq),
    context: contextPairs(ctx),
    pageUrl: visitorValue(ctx, VISITOR_KEYS.pageUrl),
    userAgent: visitorValue(ctx, VISITOR_KEYS.userAgent),
    language: visitorValue(ctx, VISITOR_KEYS.language),
    wrapUp: c.wrapUp ? { notes: c.wrapUp.notes, tags: c.wrapUp.tags } : null,
    windowEndsAt: null, // WhatsApp only: set from the channel's window (GET …/whatsapp)
    inactivity: inactivityOf(c),
  };
}

function inactivityOf(c: ConversationSummary): UiConversation["inactivity"] {
  const t = liveTimer(c);
  return t ? { closeAt: t.closeAt, warnedAt: t.warnedAt } : null;
}

/** An item of `GET /api/v1/conversations/:id/history`. */
export function toUiPrevious({ conversation: c, messages }: HistoryItem): UiPrevious {
  return {
    id: c.id,
    status: c.status,
    channel: c.channel,
    at: c.closedAt ?? c.createdAt,
    wrapUpNotes: c.wrapUp?.notes ?? "",
    csat: c.csat ? { rating: c.csat.rating, nps: c.csat.nps, comment: c.csat.comment } : null,
    messages: messages.map(toUiMessage),
  };
}

/** An item of `GET /api/v1/quick-responses`. */
export function toUiQuickResponse(q: QuickResponse): UiQuickResponse {
  return { id: q.id, title: q.title, shortcut: q.shortcut, body: q.body };
}

/** The total unread count across the given conversations. */
export function totalUnread(list: UiSummary[]): number {
  return list.reduce((n, c) => n + c.unread, 0);
}
