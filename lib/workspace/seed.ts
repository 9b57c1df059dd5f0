/**
 * Server side of the workspace page (lib/ui/ is its browser side): loads what
 * `/` renders for a staff member (the three lists, the agents, the open
 * conversation) by calling the engine's store API directly
 * (lib/store/engine/mod.ts), and maps it to the island seed (lib/ui/state.ts). Closed shows its first page only (50, newest
 * first); the islands page and search from there.
 */
import type { AppDeps } from "../app_deps.ts";
import { AppError } from "../errors.ts";
import type { Agent } from "../store/agents.ts";
import { readHead } from "../store/changes.ts";
import {
  type ConversationSummary,
  getAgentSummary,
  getConversationDetail,
  getSettings,
  listAgentSummaries,
  listConversations,
} from "../store/engine/mod.ts";
import { getWhatsAppWindow } from "../channels/whatsapp_window.ts";
import {
  type Tab,
  TABS,
  toUiAgent,
  toUiConversation,
  toUiMe,
  toUiRules,
  toUiSummary,
  type UiConversation,
} from "../ui/model.ts";
import type { WorkspaceSeed } from "../ui/state.ts";

export interface SeedQuery {
  conversationId: string | null;
  tab: string | null;
  closedQuery: string | null;
  /** A form action's refusal to show (`?notice=`). */
  notice?: string | null;
}

/** How many rows each list renders on the server. */
export const LIST_LIMIT = 50;

/** Everything the workspace page needs for `agent`, as a JSON-serialisable island seed. */
export async function loadWorkspaceSeed(
  deps: AppDeps,
  agent: Agent,
  query: SeedQuery,
): Promise<WorkspaceSeed> {
  const kv = deps.kv;
  // The cursor first: anything committed after it reaches the page through the stream.
  const cursor = String(await readHead(kv));
  const [me, agents, settings, active, pending, closed, open] = await Promise.all([
    getAgentSummary(kv, agent.id),
    listAgentSummaries(kv),
    getSettings(kv),
    listConversations(kv, agent, { status: "active", limit: 200 }),
    listConversations(kv, agent, { status: "pending", order: "queue", limit: 200 }),
    query.closedQuery?.trim()
      ? searchClosed(kv, agent, query.closedQuery)
      : listConversations(kv, agent, { status: "closed", limit: LIST_LIMIT }),
    query.conversationId ? loadOpen(deps, agent, query.conversationId) : null,
  ]);
  const wanted = TABS.includes(query.tab as Tab) ? query.tab as Tab : null;
  return {
    me: toUiMe(me ?? { ...agent, status: "offline" }),
    agents: agents.filter((a) => a.active).map(toUiAgent),
    lists: {
      active: active.items.map(toUiSummary),
      pending: pending.items.map(toUiSummary),
      closed: closed.items.map(toUiSummary),
    },
    closedCursor: closed.cursor,
    tab: wanted ?? open?.status ?? "active",
    closedQuery: query.closedQuery?.trim().slice(0, 100) ?? "",
    notice: query.notice?.slice(0, 300) ?? "",
    open,
    dynamicAssignment: settings.dynamicAssignment,
    rules: toUiRules(settings),
    now: Date.now(),
    cursor,
  };
}

/**
 * Closed conversations whose contact name contains `query` (case-insensitive),
 * newest first: pages through the closed list (at most 10 pages of 200), the
 * same search the islands run through the API.
 */
async function searchClosed(
  kv: Deno.Kv,
  agent: Agent,
  query: string,
): Promise<{ items: ConversationSummary[]; cursor: string | null }> {
  const q = query.trim().toLowerCase().slice(0, 100);
  const items: ConversationSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10 && items.length < LIST_LIMIT; page++) {
    const res = await listConversations(kv, agent, { status: "closed", limit: 200, cursor });
    for (const c of res.items) {
      if (toUiSummary(c).contactName.toLowerCase().includes(q)) items.push(c);
    }
    if (!res.cursor) break;
    cursor = res.cursor;
  }
  return { items: items.slice(0, LIST_LIMIT), cursor: null };
}

/** The conversation `?c=` names, or null when it is unknown or not the viewer's to see. */
async function loadOpen(
  deps: AppDeps,
  agent: Agent,
  id: string,
): Promise<UiConversation | null> {
  if (id.length > 100) return null;
  try {
    const detail = await getConversationDetail(deps.kv, agent, id);
    const conv = toUiConversation(detail.conversation, detail.messages);
    if (conv.channel === "whatsapp") {
      const win = await getWhatsAppWindow(deps.kv, conv.id);
      conv.windowEndsAt = win.open ? win.expiresAt : null;
    }
    return conv;
  } catch (err) {
    if (err instanceof AppError) return null; // 403/404: render the list without it
    throw err;
  }
}
