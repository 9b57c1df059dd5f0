/**
 * Server side of the workspace page: loads what `/` renders for a staff
 * member (lists, agents, the open conversation) by calling the engine's
 * functions directly, and maps it to the island seed (lib/ui/state.ts).
 */
import type { AppDeps } from "../http/context.ts";
import type { Agent } from "../store/agents.ts";
import { readHead } from "../store/changes.ts";
import { type Tab, TABS, toUiMe } from "./model.ts";
import type { WorkspaceSeed } from "./state.ts";

export interface SeedQuery {
  conversationId: string | null;
  tab: string | null;
  closedQuery: string | null;
}

/** Everything the workspace page needs for `agent`, as JSON-serialisable island seed. */
export async function loadWorkspaceSeed(
  deps: AppDeps,
  agent: Agent,
  query: SeedQuery,
): Promise<WorkspaceSeed> {
  const cursor = (await readHead(deps.kv)).value ?? 0;
  const tab: Tab = TABS.includes(query.tab as Tab) ? query.tab as Tab : "active";
  return {
    me: toUiMe({ ...agent, status: "offline" }),
    agents: [],
    lists: { active: [], pending: [], closed: [] },
    closedMore: false,
    tab,
    open: null,
    dynamicAssignment: true,
    now: Date.now(),
    cursor,
  };
}
