/**
 * The workspace's shared client state: one store of signals that every island
 * on the page reads, so the header's connection light, the conversation list
 * and the open conversation stay in step without passing props around.
 *
 * On the server each render gets a fresh store built from the island's props
 * (module state must never leak between requests); in the browser
 * {@link useWorkspace} returns one store per page, seeded by the first island
 * that hydrates and topped up by the others.
 *
 * @example
 * const ws = useWorkspace(props.seed);
 * ws.lists.value.active.length;
 */
import { computed, type Signal, signal } from "@preact/signals";
import {
  TABS,
  totalUnread,
  type UiAgent,
  type UiConversation,
  type UiMe,
  type UiQuickResponse,
  type UiRules,
  type UiSummary,
} from "./model.ts";
import type { Tab } from "./model.ts";

export type Connection = "connecting" | "live" | "reconnecting" | "offline";
export type Panel = "none" | "transfer" | "queue" | "close" | "context" | "contact";

/** What the server render hands to the islands (JSON-serialisable). */
export interface WorkspaceSeed {
  me: UiMe;
  agents: UiAgent[];
  lists: Record<Tab, UiSummary[]>;
  /** Where the Closed list's next page starts (null: the list holds them all). */
  closedCursor: string | null;
  tab: Tab;
  open: UiConversation | null;
  dynamicAssignment: boolean;
  /** The routing settings the workspace's own rules read (transfer targets, wrap-up tags). */
  rules: UiRules;
  /** The server's clock at render time, so waiting times render identically on hydration. */
  now: number;
  /** The Closed search the page was rendered with (`?q=`), "" for none. */
  closedQuery: string;
  /** Why the last form action was refused (`?notice=`), "" for none. */
  notice?: string;
  /** The change-log cursor at render time ("12.0.7.3"): the stream resumes after it, so nothing is missed. */
  cursor: string;
}

export interface WorkspaceStore {
  me: Signal<UiMe>;
  agents: Signal<UiAgent[]>;
  lists: Signal<Record<Tab, UiSummary[]>>;
  closedCursor: Signal<string | null>;
  tab: Signal<Tab>;
  open: Signal<UiConversation | null>;
  dynamicAssignment: Signal<boolean>;
  rules: Signal<UiRules>;
  now: Signal<number>;
  cursor: string;
  connection: Signal<Connection>;
  panel: Signal<Panel>;
  closedQuery: Signal<string>;
  /** Supervisor filter: show only this agent's chats ("" = everyone). */
  agentFilter: Signal<string>;
  /** Supervisor filter: only chats with an open question from an agent. */
  questionsOnly: Signal<boolean>;
  /** Filter: only chats left with the widget's offline form. */
  offlineOnly: Signal<boolean>;
  customerTyping: Signal<boolean>;
  /** Text for the polite live region ("New message from Ana: …"). */
  announcement: Signal<string>;
  /** A short error or notice shown near the composer / panels. */
  notice: Signal<string>;
  quickResponses: Signal<UiQuickResponse[] | null>;
  unreadTotal: Signal<number>;
  isSupervisor: Signal<boolean>;
  /** The visible rows of the current tab after search and agent filter. */
  visibleRows: Signal<UiSummary[]>;
}

export function createStore(seed: WorkspaceSeed): WorkspaceStore {
  const me = signal(seed.me);
  const lists = signal(seed.lists);
  const tab = signal(seed.tab);
  const closedQuery = signal(seed.closedQuery ?? "");
  const agentFilter = signal("");
  const questionsOnly = signal(false);
  const offlineOnly = signal(false);
  const isSupervisor = computed(() => me.value.role !== "agent");
  const store: WorkspaceStore = {
    me,
    agents: signal(seed.agents),
    lists,
    closedCursor: signal(seed.closedCursor),
    tab,
    open: signal(seed.open),
    dynamicAssignment: signal(seed.dynamicAssignment),
    rules: signal(seed.rules),
    now: signal(seed.now),
    cursor: seed.cursor,
    connection: signal<Connection>("connecting"),
    panel: signal<Panel>("none"),
    closedQuery,
    agentFilter,
    questionsOnly,
    offlineOnly,
    customerTyping: signal(false),
    announcement: signal(""),
    notice: signal(seed.notice ?? ""),
    quickResponses: signal<UiQuickResponse[] | null>(null),
    isSupervisor,
    unreadTotal: computed(() =>
      totalUnread(lists.value.active.filter((c) => c.assigneeId === me.value.id))
    ),
    visibleRows: computed(() => {
      let rows = lists.value[tab.value] ?? [];
      if (agentFilter.value) rows = rows.filter((c) => c.assigneeId === agentFilter.value);
      if (questionsOnly.value) rows = rows.filter((c) => c.question);
      if (offlineOnly.value) rows = rows.filter((c) => c.offlineMessage);
      const q = closedQuery.value.trim().toLowerCase();
      if (tab.value === "closed" && q) {
        rows = rows.filter((c) => c.contactName.toLowerCase().includes(q));
      }
      return rows;
    }),
  };
  return store;
}

let clientStore: WorkspaceStore | null = null;

/**
 * Times show in the browser's own time zone once the page is hydrated; until
 * then (and always on the server) in UTC, so hydration matches the HTML.
 * Only the browser ever sets it.
 */
export const localTimes = signal(false);

/**
 * The page's store. In the browser the first call creates it from `seed`;
 * later calls return the same store. On the server, a new store per call.
 */
export function useWorkspace(seed?: WorkspaceSeed): WorkspaceStore {
  if (typeof document === "undefined") {
    if (!seed) throw new Error("useWorkspace needs the seed on the server");
    return createStore(seed);
  }
  clientStore ??= createStore(seed ?? readSeed());
  return clientStore;
}

/** The seed the server wrote into `#workspace-seed`. */
function readSeed(): WorkspaceSeed {
  const el = document.getElementById("workspace-seed");
  return JSON.parse(el?.textContent ?? "null") as WorkspaceSeed;
}

/** The browser's store, once an island created it (null on the server). */
export function currentStore(): WorkspaceStore | null {
  return clientStore;
}

/** Counts per tab, as shown on the tabs. */
export function tabCounts(store: WorkspaceStore): Record<Tab, string> {
  const out = {} as Record<Tab, string>;
  for (const t of TABS) {
    const n = store.lists.value[t].length;
    out[t] = t === "closed" && store.closedCursor.value ? `${n}+` : String(n);
  }
  return out;
}
