/**
 * What the workspace islands do: every call to the staff JSON API (see
 * docs/api.md) goes through here and lands in the shared store
 * (lib/ui/state.ts). Browser-only; the server render never calls these.
 */
import type { AttachmentRef } from "../domain/attachments.ts";
import { toUiAttachment } from "./attachments.ts";
import { batch } from "@preact/signals";
import type { WhatsAppWindow } from "../domain/whatsapp_window.ts";
import type { WhatsAppTemplate } from "../domain/whatsapp_templates.ts";
import type { AgentStatus, Message } from "../domain/engine_types.ts";
import type { AgentSummary, ConversationSummary, HistoryItem, Page } from "../store/engine/mod.ts";
import type { QuickResponse } from "../store/quick_responses.ts";
import {
  type Tab,
  TABS,
  toUiAgent,
  toUiConversation,
  toUiMe,
  toUiMessage,
  toUiPrevious,
  toUiQuickResponse,
  toUiSummary,
  type UiConversation,
  type UiMessage,
  type UiPrevious,
  type UiSummary,
} from "./model.ts";
import type { WorkspaceStore } from "./state.ts";
import { newClientId } from "./format.ts";
import { t } from "../i18n/mod.ts";

export { api, ApiError } from "./api_client.ts";
import { api, ApiError } from "./api_client.ts";

/** `GET /api/v1/conversations/:id`: the conversation's own fields, then its log. */
type ConversationAnswer = ConversationSummary & { messages: Message[]; hasMore: boolean };

const CLOSED_PAGE = 50;

/** What a reload fetches: the open lists, the closed list, the agents (load, status), me. */
export type ListPart = "open" | "closed" | "agents" | "me";
export const ALL_PARTS: ReadonlySet<ListPart> = new Set(["open", "closed", "agents", "me"]);

/**
 * Reloads what `parts` names (everything by default): Active and Pending, the
 * first page of Closed, the agents, and the signed-in member.
 */
export async function refreshLists(
  store: WorkspaceStore,
  parts: ReadonlySet<ListPart> = ALL_PARTS,
): Promise<void> {
  const get = <T>(want: ListPart, path: string) => parts.has(want) ? api<T>("GET", path) : null;
  type List = Page<ConversationSummary>;
  const [active, pending, closed, agents, me] = await Promise.all([
    get<List>("open", "/api/v1/conversations?status=active&limit=200"),
    get<List>("open", "/api/v1/conversations?status=pending&order=queue&limit=200"),
    get<List>("closed", `/api/v1/conversations?status=closed&limit=${CLOSED_PAGE}`),
    get<{ items: AgentSummary[] }>("agents", "/api/v1/agents")?.catch(() => null),
    get<AgentSummary>("me", "/api/v1/me")?.catch(() => null),
  ]);
  // The open chat is being read right now (markRead follows), so it has nothing unread.
  const reading = typeof document !== "undefined" && !document.hidden
    ? store.open.value?.id
    : undefined;
  const items = (r: List) =>
    r.items.map(toUiSummary).map((c) => c.id === reading && c.unread > 0 ? { ...c, unread: 0 } : c);
  batch(() => {
    // While the agent searches Closed, keep the search results in place.
    const searching = store.closedQuery.value.trim() !== "";
    const lists = store.lists.value;
    store.lists.value = {
      active: active ? items(active) : lists.active,
      pending: pending ? items(pending) : lists.pending,
      closed: closed && !searching ? items(closed) : lists.closed,
    };
    if (closed && !searching) store.closedCursor.value = closed.cursor;
    if (agents) store.agents.value = agents.items.filter((a) => a.active).map(toUiAgent);
    if (me) store.me.value = toUiMe(me);
    store.now.value = Date.now();
  });
}

/** Appends the next page of the Closed list. */
export async function moreClosed(store: WorkspaceStore): Promise<void> {
  const cursor = store.closedCursor.value;
  if (!cursor) return;
  const res = await api<Page<ConversationSummary>>(
    "GET",
    `/api/v1/conversations?status=closed&limit=${CLOSED_PAGE}&cursor=${encodeURIComponent(cursor)}`,
  );
  const seen = new Set(store.lists.value.closed.map((c) => c.id));
  const next = res.items.map(toUiSummary).filter((c) => !seen.has(c.id));
  store.lists.value = { ...store.lists.value, closed: [...store.lists.value.closed, ...next] };
  store.closedCursor.value = res.cursor;
}

/**
 * Searches closed conversations by contact name: pages through the closed
 * list (newest first, 200 a page, at most 10 pages) collecting matches.
 */
export async function searchClosed(store: WorkspaceStore, query: string): Promise<void> {
  const q = query.trim().toLowerCase();
  if (!q) {
    const res = await api<Page<ConversationSummary>>(
      "GET",
      `/api/v1/conversations?status=closed&limit=${CLOSED_PAGE}`,
    );
    store.lists.value = { ...store.lists.value, closed: res.items.map(toUiSummary) };
    store.closedCursor.value = res.cursor;
    return;
  }
  const found: UiSummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10 && found.length < CLOSED_PAGE; page++) {
    const from: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const res = await api<Page<ConversationSummary>>(
      "GET",
      `/api/v1/conversations?status=closed&limit=200${from}`,
    );
    for (const row of res.items.map(toUiSummary)) {
      if (row.contactName.toLowerCase().includes(q)) found.push(row);
    }
    cursor = res.cursor;
    if (!cursor) break;
  }
  if (store.closedQuery.value.trim().toLowerCase() !== q) return; // a newer search is under way
  store.lists.value = { ...store.lists.value, closed: found };
  store.closedCursor.value = null;
}

/** Fetches a conversation with its log (and, for WhatsApp, its 24-hour window). */
async function fetchConversation(id: string): Promise<UiConversation> {
  const path = `/api/v1/conversations/${encodeURIComponent(id)}`;
  const res = await api<ConversationAnswer>("GET", path);
  const conv = toUiConversation(res, res.messages);
  if (conv.channel === "whatsapp") {
    const wa = await api<{ window: WhatsAppWindow }>("GET", `${path}/whatsapp`).catch(() => null);
    conv.windowEndsAt = wa?.window.open ? wa.window.expiresAt : null;
  }
  return conv;
}

/**
 * Opens a conversation in the window (and the URL), marking it read.
 * `unlessMoved`: when it says the agent went elsewhere while the conversation
 * loaded, nothing changes (a move the app makes never overrides the agent's).
 */
export async function openConversation(
  store: WorkspaceStore,
  id: string,
  opts: { push?: boolean; unlessMoved?: () => boolean } = {},
): Promise<boolean> {
  const conv = await fetchConversation(id);
  if (opts.unlessMoved?.()) return false;
  batch(() => {
    store.open.value = conv;
    store.panel.value = "none";
    store.customerTyping.value = false;
    store.notice.value = "";
    if (TABS.includes(conv.status) && conv.status !== store.tab.value) {
      store.tab.value = conv.status;
    }
  });
  if (opts.push !== false) {
    const url = new URL(location.href);
    url.searchParams.set("c", id);
    url.searchParams.set("tab", conv.status);
    history.pushState({ c: id }, "", url);
  }
  markRead(store);
  return true;
}

/** Reloads the open conversation (after a change event), keeping unsent local messages. */
export async function reloadOpen(store: WorkspaceStore): Promise<void> {
  const open = store.open.value;
  if (!open) return;
  let fresh: UiConversation;
  try {
    fresh = await fetchConversation(open.id);
  } catch (err) {
    // Transferred away (or gone): the chat is no longer this agent's to see.
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
      if (store.open.value?.id !== open.id) return;
      batch(() => {
        store.open.value = null;
        store.panel.value = "none";
        store.announcement.value = t("pane.noLongerYours", { name: open.contactName });
      });
      const url = new URL(location.href);
      url.searchParams.delete("c");
      history.replaceState(null, "", url);
      return;
    }
    throw err;
  }
  if (store.open.value?.id !== fresh.id) return;
  const stored = new Set(fresh.messages.map((m) => m.clientId).filter(Boolean));
  const local = (store.open.value?.messages ?? []).filter((m) =>
    m.seq === 0 && !stored.has(m.clientId)
  );
  store.open.value = { ...fresh, messages: [...fresh.messages, ...local] };
  if (!document.hidden) markRead(store);
}

/** The read marker this page last sent per conversation (so it is sent once per new message). */
const readUpTo = new Map<string, number>();

/** Tells the server the agent has read the open conversation up to its last message. */
export function markRead(store: WorkspaceStore): void {
  const open = store.open.value;
  if (!open) return;
  const last = open.messages.filter((m) => m.seq > 0).at(-1);
  if (!last) return;
  if ((readUpTo.get(open.id) ?? 0) < last.seq) {
    readUpTo.set(open.id, last.seq);
    api("POST", `/api/v1/conversations/${encodeURIComponent(open.id)}/read`, { seq: last.seq })
      .catch(() => readUpTo.delete(open.id)); // try again next time
  }
  const clear = (rows: UiSummary[]) => rows.map((r) => r.id === open.id ? { ...r, unread: 0 } : r);
  store.lists.value = { ...store.lists.value, active: clear(store.lists.value.active) };
}

/** Sends a message (or internal note) with a fresh clientId; retries reuse the same id. */
export async function sendMessage(
  store: WorkspaceStore,
  text: string,
  opts: {
    internal?: boolean;
    toSupervisor?: boolean;
    clientId?: string;
    /** Files uploaded for this message (lib/ui/attachments.ts). */
    attachments?: AttachmentRef[];
  } = {},
): Promise<void> {
  const open = store.open.value;
  if (!open) return;
  const clientId = opts.clientId ?? newClientId();
  const me = store.me.value;
  const local: UiMessage = {
    id: clientId,
    seq: 0,
    clientId,
    author: "agent",
    authorName: me.name,
    authorId: me.id,
    text,
    internal: Boolean(opts.internal || opts.toSupervisor),
    toSupervisor: Boolean(opts.toSupervisor),
    at: new Date().toISOString(),
    delivery: "sending",
    failReason: null,
    kind: "text",
    mediaUrl: null,
    transfer: null,
    template: null,
    eventNote: null,
    event: null,
    attachments: (opts.attachments ?? []).map(toUiAttachment),
  };
  const put = (m: UiMessage) => {
    const cur = store.open.value;
    if (!cur || cur.id !== open.id) return;
    const others = cur.messages.filter((x) => x.clientId !== clientId && x.id !== m.id);
    store.open.value = { ...cur, messages: [...others, m].sort(bySeqLocalLast) };
  };
  put(local);
  try {
    const res = await api<{ message: Message; duplicate: boolean }>(
      "POST",
      `/api/v1/conversations/${encodeURIComponent(open.id)}/messages`,
      {
        text,
        clientId,
        internal: local.internal || undefined,
        toSupervisor: local.toSupervisor || undefined,
        attachments: opts.attachments?.length ? opts.attachments.map((a) => a.id) : undefined,
      },
    );
    put(toUiMessage(res.message));
  } catch (err) {
    put({ ...local, delivery: "failed", failReason: (err as Error).message });
    // The tab thought the WhatsApp window open; the server knows better: show it closed.
    const cur = store.open.value;
    if (err instanceof ApiError && err.code === "window_closed" && cur?.id === open.id) {
      store.open.value = { ...cur, windowEndsAt: null };
    }
  }
}

function bySeqLocalLast(a: UiMessage, b: UiMessage): number {
  if (a.seq === 0 && b.seq === 0) return a.at.localeCompare(b.at);
  if (a.seq === 0) return 1;
  if (b.seq === 0) return -1;
  return a.seq - b.seq;
}

/** The approved WhatsApp templates agents can send (the server's cache, refreshed by admins). */
export async function loadWhatsAppTemplates(): Promise<WhatsAppTemplate[]> {
  const res = await api<{ items?: WhatsAppTemplate[] }>("GET", "/api/v1/whatsapp/templates");
  return res.items ?? [];
}

/**
 * Sends a WhatsApp template in the open conversation and shows the stored
 * message (its delivery states follow like a reply's). Throws {@link ApiError}
 * (with `fields` for values the server refused) so the template form can say why.
 */
export async function sendTemplate(
  store: WorkspaceStore,
  template: { name: string; language: string; values: Record<string, string> },
  clientId = newClientId(),
): Promise<void> {
  const open = store.open.value;
  if (!open) return;
  const res = await api<{ message: Message }>(
    "POST",
    `/api/v1/conversations/${encodeURIComponent(open.id)}/templates`,
    { clientId, ...template },
  );
  const m = toUiMessage(res.message);
  const cur = store.open.value;
  if (!cur || cur.id !== open.id) return;
  const others = cur.messages.filter((x) => x.id !== m.id && x.clientId !== clientId);
  store.open.value = { ...cur, messages: [...others, m].sort(bySeqLocalLast) };
}

/** Retries a failed message: a local failure reuses its clientId; a failed delivery sends anew. */
export async function retryMessage(store: WorkspaceStore, m: UiMessage): Promise<void> {
  if (m.template) {
    try {
      await sendTemplate(store, m.template);
    } catch (err) {
      store.notice.value = (err as Error).message;
    }
    return;
  }
  await sendMessage(store, m.text, {
    internal: m.internal,
    toSupervisor: m.toSupervisor,
    clientId: m.seq === 0 && m.clientId ? m.clientId : undefined,
    // A stored message's files are taken; only a message never stored sends them again.
    attachments: m.seq === 0 ? m.attachments : undefined,
  });
}

export async function setStatus(store: WorkspaceStore, status: AgentStatus): Promise<void> {
  const before = store.me.value;
  store.me.value = { ...before, status };
  try {
    await api("PUT", "/api/v1/me/status", { status });
  } catch (err) {
    store.me.value = before;
    store.notice.value = (err as Error).message;
  }
}

export async function pickUp(store: WorkspaceStore, id: string): Promise<void> {
  await api("POST", `/api/v1/conversations/${encodeURIComponent(id)}/pickup`);
  await refreshLists(store);
  await openConversation(store, id);
}

export async function transfer(
  store: WorkspaceStore,
  toAgentId: string,
  note: string,
): Promise<void> {
  const open = store.open.value;
  if (!open) return;
  await api("POST", `/api/v1/conversations/${encodeURIComponent(open.id)}/transfer`, {
    toAgentId,
    note: note.trim() || undefined,
  });
  store.panel.value = "none";
  await Promise.all([refreshLists(store), reloadOpen(store)]);
}

/**
 * Closes the open chat with its wrap-up, then moves on: to the agent's next
 * Active chat (focus in its composer), or, with none left, back to the list
 * (focus on the current tab). An agent who clicked a tab or another chat
 * while the close was in flight stays where they went: nothing is overridden.
 */
/** "Return to queue": the open chat goes back to the front of its queue, with the note. */
export async function returnChat(store: WorkspaceStore, note: string): Promise<void> {
  const open = store.open.value;
  if (!open) return;
  await api("POST", `/api/v1/conversations/${encodeURIComponent(open.id)}/return`, {
    note: note.trim() || undefined,
  });
  store.panel.value = "none";
  await Promise.all([refreshLists(store), reloadOpen(store)]);
}

export async function closeChat(
  store: WorkspaceStore,
  notes: string,
  tags: string[],
): Promise<void> {
  const open = store.open.value;
  if (!open) return;
  const tabBefore = store.tab.value;
  await api("POST", `/api/v1/conversations/${encodeURIComponent(open.id)}/close`, { notes, tags });
  store.panel.value = "none";
  await refreshLists(store);
  const moved = () => store.tab.value !== tabBefore || store.open.value?.id !== open.id;
  if (moved()) return;
  const me = store.me.value.id;
  const next = store.lists.value.active.find((c) => c.id !== open.id && c.assigneeId === me);
  if (next) {
    if (await openConversation(store, next.id, { unlessMoved: moved })) focusIfLost("composer");
  } else {
    store.open.value = null;
    const url = new URL(location.href);
    url.searchParams.delete("c");
    url.searchParams.set("tab", store.tab.value);
    history.pushState(null, "", url);
    focusIfLost(`tab-${store.tab.value}`);
  }
}

/** Focuses the element `id` once rendered, unless the user already put focus somewhere. */
function focusIfLost(id: string): void {
  requestAnimationFrame(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body ||
      !!active.closest("#conversation-window");
    if (lost && active?.id !== id) document.getElementById(id)?.focus();
  });
}

/** The contact's earlier conversations (newest first), one page at a time. */
export async function loadPrevious(
  conversationId: string,
  cursor: string | null,
): Promise<{ items: UiPrevious[]; cursor: string | null }> {
  const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  const res = await api<{ items: HistoryItem[]; cursor: string | null }>(
    "GET",
    `/api/v1/conversations/${encodeURIComponent(conversationId)}/history${q}`,
  );
  return { items: res.items.map(toUiPrevious), cursor: res.cursor };
}

export async function loadQuickResponses(store: WorkspaceStore): Promise<void> {
  if (store.quickResponses.value) return;
  try {
    const res = await api<{ items: QuickResponse[] }>("GET", "/api/v1/quick-responses");
    store.quickResponses.value = res.items.map(toUiQuickResponse);
  } catch (err) {
    store.notice.value = (err as Error).message;
    store.quickResponses.value = [];
  }
}

/** Switches the list tab (and the URL, so a reload keeps it). */
export function selectTab(store: WorkspaceStore, tab: Tab): void {
  store.tab.value = tab;
  const url = new URL(location.href);
  url.searchParams.set("tab", tab);
  history.replaceState(history.state, "", url);
}
