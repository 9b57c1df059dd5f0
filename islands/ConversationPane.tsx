/**
 * The conversation window: who and where, "Transfer", "Close chat" and
 * "Context" buttons with their right-hand bar, the contact's "Previous
 * conversations", the full log with a polite live region for new messages,
 * the customer's typing, and the composer. The log keeps its scroll position
 * while the agent reads older messages; it follows new ones only when the
 * agent is already at the bottom.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import {
  localTimes,
  useWorkspace,
  type WorkspaceSeed,
  type WorkspaceStore,
} from "../lib/ui/state.ts";
import { pickUp, retryMessage } from "../lib/ui/actions.ts";
import { channelLabel } from "../lib/ui/format.ts";
import { OfflineBadge } from "../components/workspace/ConversationRow.tsx";
import { startPaneSocket } from "../lib/ui/pane_socket.ts";
import type { UiConversation } from "../lib/ui/model.ts";
import { MessageLog } from "../components/workspace/MessageLog.tsx";
import { Composer } from "../components/workspace/Composer.tsx";
import { TransferBar } from "../components/workspace/TransferBar.tsx";
import { CloseForm } from "../components/workspace/CloseForm.tsx";
import { ReturnForm } from "../components/workspace/ReturnForm.tsx";
import { ContextPanel } from "../components/workspace/ContextPanel.tsx";
import { ContactPanel } from "../components/workspace/ContactPanel.tsx";
import { PreviousConversations } from "../components/workspace/PreviousConversations.tsx";
import { t } from "../lib/i18n/mod.ts";
import { InactivityCountdown } from "../components/workspace/InactivityCountdown.tsx";

export default function ConversationPane({ seed }: { seed?: WorkspaceSeed }) {
  const ws = useWorkspace(seed);
  useEffect(() => {
    startPaneSocket(ws);
    localTimes.value = true; // hydrated: show times in the browser's time zone
  }, []);
  useEffect(() => {
    // Escape closes the side panel (from anywhere) and returns to the button that opened it.
    const onKey = (e: KeyboardEvent) => {
      const panel = ws.panel.peek();
      if (e.key !== "Escape" || e.defaultPrevented || panel === "none") return;
      ws.panel.value = "none";
      document.querySelector<HTMLElement>(`[data-panel="${panel}"]`)?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  const conv = ws.open.value;
  if (!conv) {
    return (
      <main
        id="conversation-window"
        class="hidden md:flex flex-1 min-w-0 items-center justify-center bg-gray-50"
      >
        <p class="p-6 text-gray-700">{t("pane.select")}</p>
        <LiveRegion ws={ws} />
      </main>
    );
  }
  return (
    <main id="conversation-window" class="relative flex flex-1 min-w-0 min-h-0 bg-gray-50">
      <div class="flex flex-col flex-1 min-w-0 min-h-0">
        <Toolbar ws={ws} conv={conv} />
        <Log ws={ws} conv={conv} />
        <InactivityCountdown ws={ws} conv={conv} />
        <p class="h-5 px-4 text-xs text-gray-700 italic" aria-live="off">
          {ws.customerTyping.value ? t("pane.customerTyping") : ""}
        </p>
        <Footer ws={ws} conv={conv} />
      </div>
      {ws.panel.value !== "none" && (
        <aside
          aria-label={t(`pane.${ws.panel.value}`)}
          class="absolute inset-0 z-10 md:static md:z-auto md:w-80 shrink-0 border-l border-gray-200 bg-white p-3 overflow-y-auto"
        >
          <button
            type="button"
            onClick={() => ws.panel.value = "none"}
            class="float-right text-sm border border-gray-300 rounded px-2 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("pane.hide")}
          </button>
          {ws.panel.value === "transfer" && <TransferBar ws={ws} />}
          {ws.panel.value === "queue" && <ReturnForm ws={ws} />}
          {ws.panel.value === "close" && <CloseForm ws={ws} />}
          {ws.panel.value === "context" && <ContextPanel conv={conv} />}
          {ws.panel.value === "contact" && <ContactPanel ws={ws} conv={conv} />}
        </aside>
      )}
      <LiveRegion ws={ws} />
    </main>
  );
}

function canAct(ws: WorkspaceStore, conv: UiConversation): boolean {
  return conv.status === "active" &&
    (conv.assigneeId === ws.me.value.id || ws.isSupervisor.value);
}

function Toolbar({ ws, conv }: { ws: WorkspaceStore; conv: UiConversation }) {
  const assignee = ws.agents.value.find((a) => a.id === conv.assigneeId);
  type SidePanel = "transfer" | "queue" | "close" | "context" | "contact";
  const toggle = (panel: SidePanel) => ws.panel.value = ws.panel.value === panel ? "none" : panel;
  const button = (panel: SidePanel, label: string, show: boolean) =>
    show && (
      <button
        type="button"
        aria-expanded={ws.panel.value === panel ? "true" : "false"}
        data-panel={panel}
        onClick={() => toggle(panel)}
        class={ws.panel.value === panel
          ? "text-sm rounded px-3 py-1 bg-brand-600 text-white focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-500"
          : "text-sm rounded px-3 py-1 border border-gray-300 bg-white hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"}
      >
        {label}
      </button>
    );
  return (
    <div class="flex flex-wrap items-center gap-2 border-b border-gray-200 bg-white px-3 py-2">
      <a
        href={`/?tab=${ws.tab.value}`}
        onClick={(e) => {
          e.preventDefault();
          ws.open.value = null;
          history.pushState(null, "", `/?tab=${ws.tab.value}`);
        }}
        class="md:hidden text-sm underline"
      >
        {t("pane.back")}
      </a>
      <h1 class="font-semibold truncate">{conv.contactName}</h1>
      <span class="text-xs text-gray-700">
        {channelLabel(conv.channel)} · {t(`status.conversation.${conv.status}`)}
        {assignee ? ` · ${assignee.name}` : ""}
      </span>
      {conv.offlineMessage && <OfflineBadge />}
      <div class="ml-auto flex gap-2">
        {button("transfer", t("pane.transfer"), canAct(ws, conv))}
        {button("queue", t("pane.queue"), canAct(ws, conv))}
        {button("close", t("pane.close"), canAct(ws, conv))}
        {button("contact", t("pane.contact"), true)}
        {button("context", t("pane.context"), true)}
      </div>
    </div>
  );
}

function Log({ ws, conv }: { ws: WorkspaceStore; conv: UiConversation }) {
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const shownId = useRef<string | null>(null);
  const [unseen, setUnseen] = useState(false);
  const toBottom = () => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(false);
  };
  useLayoutEffect(() => {
    // Follow new messages only when the agent is at the bottom (or just sent one); a new
    // conversation starts there. Reading older messages, the view stays put and a button
    // offers the new ones.
    const last = conv.messages.at(-1);
    const mine = last?.authorId === ws.me.value.id && last.seq === 0;
    if (shownId.current !== conv.id || atBottom.current || mine) toBottom();
    else setUnseen(true);
    shownId.current = conv.id;
  }, [conv.id, conv.messages.length]);
  return (
    <div class="relative flex-1 min-h-0 flex flex-col">
      <div
        ref={box}
        tabIndex={0}
        aria-label={t("pane.log")}
        role="region"
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          if (atBottom.current) setUnseen(false);
        }}
        class="flex-1 min-h-0 overflow-y-auto px-4 py-3 focus:outline-none focus:ring-2 focus:ring-inset focus:ring-brand-500"
      >
        <PreviousConversations key={conv.id} conversationId={conv.id} now={ws.now.value} />
        <MessageLog
          messages={conv.messages}
          now={ws.now.value}
          onRetry={(m) => retryMessage(ws, m)}
          agentName={(id) => ws.agents.value.find((a) => a.id === id)?.name ?? null}
        />
        {conv.status === "closed" && conv.wrapUp && (
          <p class="mt-3 text-sm text-gray-800 bg-white border border-gray-200 rounded p-2 whitespace-pre-wrap break-words">
            <span class="font-semibold">{t("pane.wrapUp")}</span> {conv.wrapUp.notes}
            {conv.wrapUp.tags.length > 0 &&
              ` · ${t("pane.tags", { tags: conv.wrapUp.tags.join(", ") })}`}
          </p>
        )}
      </div>
      {unseen && (
        <button
          type="button"
          onClick={toBottom}
          class="absolute bottom-2 right-4 rounded-full bg-brand-600 text-white text-sm px-3 py-1 shadow hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-500"
        >
          {t("pane.newBelow")}
        </button>
      )}
    </div>
  );
}

function Footer({ ws, conv }: { ws: WorkspaceStore; conv: UiConversation }) {
  if (canAct(ws, conv)) return <Composer key={conv.id} ws={ws} conv={conv} />;
  const canPick = conv.status === "pending" &&
    (ws.isSupervisor.value || !ws.dynamicAssignment.value);
  return (
    <div class="border-t border-gray-200 bg-white p-3 text-sm text-gray-700 flex items-center gap-3">
      {conv.status === "pending" && <span>{t("pane.waitingForAgent")}</span>}
      {conv.status === "closed" && <span>{t("pane.closed")}</span>}
      {conv.status === "active" && <span>{t("pane.colleague")}</span>}
      {canPick && (
        <form
          method="post"
          action={`/workspace/conversations/${encodeURIComponent(conv.id)}/pickup`}
          class="ml-auto"
        >
          <button
            type="submit"
            onClick={(e) => {
              e.preventDefault();
              pickUp(ws, conv.id).catch((err) => ws.notice.value = err.message);
            }}
            class="bg-brand-600 text-white rounded px-3 py-1 font-medium hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("row.pickUp")}
          </button>
        </form>
      )}
    </div>
  );
}

/** Announces new customer messages (and new assignments) to screen readers. */
function LiveRegion({ ws }: { ws: WorkspaceStore }) {
  const last = useRef<{ id: string | null; seq: number }>({ id: null, seq: 0 });
  const conv = ws.open.value;
  useEffect(() => {
    if (!conv) return;
    const newest = conv.messages.reduce((n, m) => Math.max(n, m.seq), 0);
    if (last.current.id === conv.id && newest > last.current.seq) {
      const fresh = conv.messages.filter((m) =>
        m.seq > last.current.seq && m.author === "customer"
      );
      if (fresh.length) {
        ws.announcement.value = t("pane.announce", {
          name: conv.contactName,
          text: fresh.at(-1)!.text,
        });
      }
    }
    last.current = { id: conv.id, seq: newest };
  }, [conv?.id, conv?.messages.length]);
  return (
    <div aria-live="polite" aria-atomic="true" class="sr-only" id="announcer">
      {ws.announcement.value}
    </div>
  );
}
