/**
 * The workspace's view of the engine's records: small, JSON-serialisable
 * shapes that the server render puts into island props and the islands
 * rebuild from the staff JSON API. `toUi*` are the one place where the
 * engine's record fields are mapped, so a field rename touches only this file.
 */

export type Tab = "active" | "pending" | "closed";
export const TABS: Tab[] = ["active", "pending", "closed"];
export type AgentStatus = "online" | "busy" | "offline";
export type Role = "agent" | "supervisor" | "admin";

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
  maxChats: number | null;
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
}

export interface UiPrevious {
  id: string;
  status: Tab;
  channel: string;
  at: string;
  wrapUpNotes: string;
  messages: UiMessage[];
}

export interface UiQuickResponse {
  id: string;
  title: string;
  shortcut: string;
  body: string;
}

// deno-lint-ignore no-explicit-any
type Raw = any;

const str = (v: unknown, fallback = ""): string => typeof v === "string" ? v : fallback;
const strOrNull = (v: unknown): string | null => typeof v === "string" && v !== "" ? v : null;
const num = (v: unknown, fallback = 0): number =>
  typeof v === "number" && Number.isFinite(v) ? v : fallback;

export function toUiMe(raw: Raw): UiMe {
  return {
    id: str(raw.id),
    name: str(raw.name),
    role: (raw.role ?? "agent") as Role,
    status: (raw.status ?? "offline") as AgentStatus,
    maxChats: typeof raw.maxChats === "number" ? raw.maxChats : null,
  };
}

export function toUiAgent(raw: Raw): UiAgent {
  return {
    id: str(raw.id),
    name: str(raw.name),
    role: (raw.role ?? "agent") as Role,
    status: (raw.status ?? "offline") as AgentStatus,
    activeChats: num(raw.activeChats ?? raw.load),
    maxChats: typeof raw.maxChats === "number" ? raw.maxChats : null,
  };
}

function contactName(raw: Raw): string {
  const c = raw.contact ?? {};
  return str(c.name) || str(raw.contactName) || str(c.phone) || str(c.whatsappId) ||
    "Visitor " + str(c.id ?? raw.contactId).slice(-4);
}

/** Since when the customer waits: Pending since it arrived, Active since an unanswered message. */
function waitingSince(raw: Raw): string | null {
  if (raw.status === "pending") return strOrNull(raw.queuedAt ?? raw.createdAt);
  if (raw.status !== "active") return null;
  const last = raw.lastMessage;
  return last && (last.authorType ?? last.author?.type) === "customer" ? strOrNull(last.at) : null;
}

export function toUiSummary(raw: Raw): UiSummary {
  const last = raw.lastMessage ?? {};
  return {
    id: str(raw.id),
    channel: str(raw.channel, "webchat"),
    status: (raw.status ?? "pending") as Tab,
    contactId: str(raw.contactId ?? raw.contact?.id),
    contactName: contactName(raw),
    assigneeId: strOrNull(raw.assigneeId),
    preview: str(last.text ?? raw.preview),
    lastAt: str(raw.lastActivityAt ?? last.at ?? raw.createdAt),
    waitingSince: waitingSince(raw),
    unread: num(raw.unread ?? raw.unreadCount),
    question: raw.openQuestionSeq !== null && raw.openQuestionSeq !== undefined,
  };
}

export function toUiMessage(raw: Raw): UiMessage {
  const author = raw.author ?? {};
  const kind: Author = raw.type === "event" || author.type === "system"
    ? "system"
    : author.type === "customer"
    ? "customer"
    : "agent";
  const delivery = raw.delivery ?? null;
  return {
    id: str(raw.id, `seq-${raw.seq}`),
    seq: num(raw.seq),
    clientId: strOrNull(raw.clientId),
    author: kind,
    authorName: strOrNull(author.name),
    authorId: strOrNull(author.id),
    text: str(raw.text),
    internal: raw.type === "note",
    toSupervisor: Boolean(raw.toSupervisor),
    at: str(raw.createdAt),
    delivery: delivery ? strOrNull(delivery.status) : null,
    failReason: delivery?.error ? strOrNull(delivery.error.reason) : null,
    kind: str(raw.kind, "text"),
    transfer: raw.type === "event" && raw.kind === "transferred" && raw.data?.toAgentName
      ? {
        fromAgentId: strOrNull(raw.data.fromAgentId),
        toAgentName: str(raw.data.toAgentName),
        note: strOrNull(raw.data.note),
      }
      : null,
    mediaUrl: typeof raw.data?.mediaId === "string"
      ? `/api/v1/media/${encodeURIComponent(raw.data.mediaId)}`
      : null,
  };
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

function contextPairs(ctx: Record<string, unknown>): [string, string][] {
  return Object.entries(ctx)
    .filter(([k]) => !RESERVED.has(k))
    .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)] as [string, string]);
}

function visitorValue(ctx: Record<string, unknown>, names: readonly string[]): string | null {
  for (const name of names) if (typeof ctx[name] === "string" && ctx[name]) return ctx[name];
  return null;
}

export function toUiConversation(raw: Raw, messages: Raw[] = raw.messages ?? []): UiConversation {
  const ctx: Record<string, unknown> = raw.context && typeof raw.context === "object"
    ? raw.context
    : {};
  const wrap = raw.wrapUp;
  return {
    ...toUiSummary(raw),
    contactEmail: strOrNull(raw.contact?.email),
    contactPhone: strOrNull(raw.contact?.phone),
    messages: messages.map(toUiMessage).sort((a, b) => a.seq - b.seq),
    context: contextPairs(ctx),
    pageUrl: visitorValue(ctx, VISITOR_KEYS.pageUrl),
    userAgent: visitorValue(ctx, VISITOR_KEYS.userAgent),
    language: visitorValue(ctx, VISITOR_KEYS.language),
    wrapUp: wrap
      ? { notes: str(wrap.notes), tags: Array.isArray(wrap.tags) ? wrap.tags : [] }
      : null,
    windowEndsAt: null, // WhatsApp only: set from the channel's window (GET …/whatsapp)
  };
}

export function toUiPrevious(raw: Raw): UiPrevious {
  return {
    id: str(raw.id),
    status: (raw.status ?? "closed") as Tab,
    channel: str(raw.channel, "webchat"),
    at: str(raw.closedAt ?? raw.createdAt),
    wrapUpNotes: str(raw.wrapUp?.notes),
    messages: (raw.messages ?? []).map(toUiMessage),
  };
}

export function toUiQuickResponse(raw: Raw): UiQuickResponse {
  return {
    id: str(raw.id),
    title: str(raw.title),
    shortcut: str(raw.shortcut),
    body: str(raw.body ?? raw.text),
  };
}

/** The total unread count across the given conversations. */
export function totalUnread(list: UiSummary[]): number {
  return list.reduce((n, c) => n + c.unread, 0);
}
