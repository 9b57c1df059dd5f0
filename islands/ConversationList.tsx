/**
 * The conversation list: tabs "Active", "Pending", "Closed" with counts, rows
 * that are plain links (so the list works before scripts run), "Pick up" on
 * Pending, search on Closed, a filter by agent for supervisors, and arrow-key
 * navigation between rows. Live through the shared store (lib/ui/state.ts).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type Tab, TABS, type UiSummary } from "../lib/ui/model.ts";
import {
  tabCounts,
  useWorkspace,
  type WorkspaceSeed,
  type WorkspaceStore,
} from "../lib/ui/state.ts";
import {
  moreClosed,
  openConversation,
  pickUp,
  searchClosed,
  selectTab,
} from "../lib/ui/actions.ts";
import { startLive } from "../lib/ui/live.ts";
import { ConversationRow } from "../components/workspace/ConversationRow.tsx";
import { t } from "../lib/i18n/mod.ts";

export default function ConversationList({ seed }: { seed?: WorkspaceSeed }) {
  const ws = useWorkspace(seed);
  const listRef = useRef<HTMLUListElement>(null);
  // Roving focus on the tabs needs the arrow keys, i.e. scripts: before them every tab is a link.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => {
    setHydrated(true);
    startLive(ws);
    // A form's notice was shown once; a reload should not show it again.
    const url = new URL(location.href);
    if (url.searchParams.has("notice")) {
      url.searchParams.delete("notice");
      history.replaceState(history.state, "", url);
    }
  }, []);
  const counts = tabCounts(ws);
  const tab = ws.tab.value;
  const rows = ws.visibleRows.value;
  const openId = ws.open.value?.id ?? null;
  const canPick = ws.isSupervisor.value || !ws.dynamicAssignment.value;

  const onKeyDown = (e: KeyboardEvent) => {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(e.key)) return;
    const links = [...(listRef.current?.querySelectorAll<HTMLElement>("a[data-row]") ?? [])];
    if (links.length === 0) return;
    const i = links.indexOf(document.activeElement as HTMLElement);
    const next = e.key === "Home"
      ? 0
      : e.key === "End"
      ? links.length - 1
      : e.key === "ArrowDown"
      ? Math.min(links.length - 1, i + 1)
      : Math.max(0, i - 1);
    e.preventDefault();
    links[next].focus();
  };

  return (
    <nav
      aria-label={t("list.conversations")}
      class={openId
        ? "hidden md:flex flex-col min-h-0 md:w-80 shrink-0 border-r border-gray-200 bg-white"
        : "flex flex-col min-h-0 w-full md:w-80 shrink-0 border-r border-gray-200 bg-white"}
    >
      <div
        role="tablist"
        aria-label={t("list.tabs")}
        class="flex border-b border-gray-200"
        onKeyDown={(e) => {
          // The tabs pattern: arrows move between tabs (and select), Home/End to the ends.
          const i = TABS.indexOf(tab);
          const next = e.key === "ArrowRight"
            ? TABS[(i + 1) % TABS.length]
            : e.key === "ArrowLeft"
            ? TABS[(i + TABS.length - 1) % TABS.length]
            : e.key === "Home"
            ? TABS[0]
            : e.key === "End"
            ? TABS[TABS.length - 1]
            : null;
          if (!next) return;
          e.preventDefault();
          selectTab(ws, next);
          document.getElementById(`tab-${next}`)?.focus();
        }}
      >
        {TABS.map((name) => (
          <a
            key={name}
            role="tab"
            id={`tab-${name}`}
            href={`/?tab=${name}`}
            aria-selected={tab === name ? "true" : "false"}
            tabIndex={hydrated && tab !== name ? -1 : 0}
            aria-controls="conversation-rows"
            onClick={(e) => {
              e.preventDefault();
              selectTab(ws, name);
            }}
            // One line whatever the count (the selected tab is bolder, so wider).
            class={tab === name
              ? "flex-1 flex items-center justify-center gap-1 whitespace-nowrap px-1 py-2 text-sm font-semibold border-b-2 border-brand-600 text-brand-700"
              : "flex-1 flex items-center justify-center gap-1 whitespace-nowrap px-1 py-2 text-sm text-gray-700 border-b-2 border-transparent hover:bg-gray-50"}
          >
            {t(`tab.${name}`)}{" "}
            <span class="inline-block min-w-[1.5rem] rounded-full bg-gray-100 text-gray-800 text-xs px-1">
              {counts[name]}
            </span>
          </a>
        ))}
      </div>
      {ws.notice.value && (
        <p
          role="alert"
          class="m-2 flex gap-2 rounded border border-red-200 bg-red-50 p-2 text-sm text-red-800"
        >
          <span class="flex-1">{ws.notice.value}</span>
          <button
            type="button"
            onClick={() => ws.notice.value = ""}
            class="underline focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("list.dismiss")}
          </button>
        </p>
      )}
      <Filters ws={ws} />
      <div
        id="conversation-rows"
        role="tabpanel"
        aria-labelledby={`tab-${tab}`}
        class="flex-1 min-h-0 overflow-y-auto"
      >
        {rows.length === 0 ? <p class="p-4 text-sm text-gray-600">{emptyText(tab)}</p> : (
          <ul
            ref={listRef}
            aria-label={t(`list.${tab}Conversations`)}
            class="divide-y divide-gray-100"
            onKeyDown={onKeyDown}
          >
            {rows.map((c: UiSummary, i: number) => (
              <ConversationRow
                key={c.id}
                conv={c}
                queuePosition={tab === "pending" && !ws.agentFilter.value &&
                    !ws.questionsOnly.value && !ws.offlineOnly.value
                  ? i + 1
                  : null}
                now={ws.now.value}
                selected={c.id === openId}
                assigneeName={ws.isSupervisor.value
                  ? ws.agents.value.find((a) => a.id === c.assigneeId)?.name ?? null
                  : null}
                onOpen={(id) => {
                  openConversation(ws, id).catch((err) => ws.notice.value = err.message);
                }}
                onPickUp={tab === "pending" && canPick
                  ? (id) => {
                    pickUp(ws, id).catch((err) => ws.notice.value = err.message);
                  }
                  : undefined}
              />
            ))}
          </ul>
        )}
        {tab === "closed" && ws.closedCursor.value && !ws.closedQuery.value.trim() && (
          <button
            type="button"
            onClick={() => moreClosed(ws).catch((err) => ws.notice.value = err.message)}
            class="m-3 text-sm underline focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("list.moreClosed")}
          </button>
        )}
      </div>
    </nav>
  );
}

function emptyText(tab: Tab): string {
  if (tab === "active") return t("list.emptyActive");
  if (tab === "pending") return t("list.emptyPending");
  return t("list.emptyClosed");
}

function Filters({ ws }: { ws: WorkspaceStore }) {
  const tab = ws.tab.value;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // "Offline messages only" shows on Pending while there are any (or while it is on).
  const offline = tab === "pending" &&
    (ws.offlineOnly.value || ws.lists.value.pending.some((c) => c.offlineMessage));
  if (tab !== "closed" && !ws.isSupervisor.value && !offline) return null;
  return (
    <div class="flex flex-wrap gap-2 p-2 border-b border-gray-200">
      {tab === "closed" && (
        <form
          method="get"
          action="/"
          role="search"
          class="flex-1 min-w-[10rem]"
          onSubmit={(e) => {
            e.preventDefault();
            searchClosed(ws, ws.closedQuery.value).catch((err) => ws.notice.value = err.message);
          }}
        >
          <input type="hidden" name="tab" value="closed" />
          <label for="closed-search" class="sr-only">{t("list.searchClosedLabel")}</label>
          <input
            id="closed-search"
            name="q"
            type="search"
            placeholder={t("list.searchClosedPlaceholder")}
            value={ws.closedQuery.value}
            onInput={(e) => {
              ws.closedQuery.value = (e.target as HTMLInputElement).value;
              clearTimeout(timer.current);
              timer.current = setTimeout(() => {
                searchClosed(ws, ws.closedQuery.value).catch(() => {});
              }, 300);
            }}
            class="w-full border border-gray-300 rounded px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
          />
        </form>
      )}
      {offline && (
        <label class="flex items-center gap-1 text-sm text-gray-700">
          <input
            type="checkbox"
            checked={ws.offlineOnly.value}
            onChange={(e) => ws.offlineOnly.value = (e.target as HTMLInputElement).checked}
          />
          {t("list.offlineOnly")}
        </label>
      )}
      {ws.isSupervisor.value && (
        <div class="flex items-center gap-1">
          <label for="agent-filter" class="text-sm text-gray-700">{t("list.agentFilter")}</label>
          <select
            id="agent-filter"
            value={ws.agentFilter.value}
            onChange={(e) => ws.agentFilter.value = (e.target as HTMLSelectElement).value}
            class="border border-gray-300 rounded px-1 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            <option value="">{t("list.everyone")}</option>
            {ws.agents.value.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
          <label class="flex items-center gap-1 text-sm text-gray-700 ml-2">
            <input
              type="checkbox"
              checked={ws.questionsOnly.value}
              onChange={(e) => ws.questionsOnly.value = (e.target as HTMLInputElement).checked}
            />
            {t("list.questionsOnly")}
          </label>
        </div>
      )}
    </div>
  );
}
