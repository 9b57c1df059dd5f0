/**
 * Keeps the workspace live: the staff event stream (`GET /api/v1/stream`,
 * server-sent events) is the doorbell, the JSON API the truth. Each event
 * schedules a (debounced) reload of the lists and, when it concerns it, of the
 * open conversation; a reconnect reloads everything, so nothing is lost while
 * the connection was down. Also: the connection light, the tab title with the
 * unread count, sound and browser notifications, and the clock for waiting
 * times. Browser-only; started once per page by {@link startLive}.
 */
import { soundOn } from "./sound.ts";
import { effect } from "@preact/signals";
import type { WorkspaceStore } from "./state.ts";
import { ALL_PARTS, api, type ListPart, markRead, refreshLists, reloadOpen } from "./actions.ts";
import { titleWithUnread } from "./format.ts";
import { toUiRules, type UiSummary } from "./model.ts";
import type { Settings } from "../domain/engine_types.ts";
import { t } from "../i18n/mod.ts";

/** Event names the stream may use; each is handled as "something changed". */
const EVENT_NAMES = [
  "message",
  "change",
  "event",
  "conversation.created",
  "conversation.assigned",
  "conversation.transferred",
  "conversation.closed",
  "conversation.requeued",
  "conversation.updated",
  "conversation.question",
  "conversation.read",
  "message.created",
  "message.delivery",
  "message.updated",
  "context.updated",
  "contact.updated",
  "agent.status",
  "agent.updated",
  "presence",
  "queue",
  "settings.updated",
  "quick_response.changed",
  "typing",
  "reset",
  "ready",
  "restart",
  "signed_out",
];

let started = false;

/** Starts the live connection and notifications for the page's store (idempotent). */
export function startLive(store: WorkspaceStore): void {
  if (started || typeof document === "undefined") return;
  started = true;
  const base = document.title.replace(/^\(\d+\+?\) /, "");
  effect(() => {
    document.title = titleWithUnread(store.unreadTotal.value, base);
  });
  setInterval(() => store.now.value = Date.now(), 30_000);
  addEventListener("online", () => connect());
  addEventListener("offline", () => store.connection.value = "offline");
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) markRead(store);
  });
  addEventListener("popstate", () => {
    const id = new URL(location.href).searchParams.get("c");
    if (id && id !== store.open.value?.id) {
      import("./actions.ts").then((a) => a.openConversation(store, id, { push: false }));
    }
  });

  let source: EventSource | null = null;
  let hadError = false;
  let retryMs = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let openDirty = false;
  const dirty = new Set<ListPart>();
  let known = snapshot(store.lists.value.active, store.me.value.id);

  // Coalesce bursts: at most one reload in flight, started at most ~150 ms after the first
  // event of a burst (a steady stream of events never starves it), and one more after it when
  // events arrived meanwhile.
  let running = false;
  const reload = () => {
    if (timer !== undefined || running) return;
    timer = setTimeout(async () => {
      timer = undefined;
      running = true;
      const reloadConversation = openDirty;
      const parts = new Set(dirty);
      openDirty = false;
      dirty.clear();
      try {
        await Promise.all([
          parts.size ? refreshLists(store, parts) : null,
          reloadConversation ? reloadOpen(store) : null,
        ]);
        known = notifyChanges(store, known);
      } catch { /* the next event or reconnect tries again */ }
      running = false;
      if (openDirty || dirty.size) reload();
    }, 150);
  };

  let lastId = String(store.cursor);
  const onEvent = (ev: MessageEvent) => {
    if (ev.lastEventId) lastId = ev.lastEventId;
    if (ev.type === "ready" || ev.type === "restart") return; // a restart reconnects by itself
    if (ev.type === "signed_out") {
      // The account was deactivated or the session ended: api() takes the agent to sign-in.
      source?.close();
      store.connection.value = "offline";
      api("GET", "/api/v1/me").catch(() => {});
      return;
    }
    let data: {
      type?: string;
      conversationId?: string;
      agentId?: string;
      reason?: string;
      data?: { dynamicAssignment?: unknown } & Partial<Settings>;
    } = {};
    try {
      data = JSON.parse(ev.data);
    } catch { /* comment or plain text */ }
    const type = ev.type === "message" ? data.type ?? "" : ev.type;
    if (type === "reset" && data.reason === "access_changed") {
      // A new role or team: the page itself (its views and controls) is built for the role.
      location.reload();
      return;
    }
    if (type === "quick_response.changed") {
      store.quickResponses.value = null;
      return;
    }
    if (type === "typing") {
      if (data.conversationId === store.open.value?.id) showTyping(store);
      return;
    }
    if (type === "settings.updated" && typeof data.data?.dynamicAssignment === "boolean") {
      store.dynamicAssignment.value = data.data.dynamicAssignment; // "Pick up" follows at once
    }
    if (type === "settings.updated" && data.data) {
      store.rules.value = toUiRules(data.data, store.rules.value);
    }
    const openId = store.open.value?.id;
    if (type === "reset" || (data.conversationId && data.conversationId === openId)) {
      openDirty = true;
    }
    for (const part of partsFor(type, data, store.me.value.id)) dirty.add(part);
    reload();
  };

  function connect() {
    if (!navigator.onLine) {
      store.connection.value = "offline";
      return;
    }
    source?.close();
    source = new EventSource(`/api/v1/stream?after=${encodeURIComponent(lastId)}`);
    for (const name of EVENT_NAMES) source.addEventListener(name, onEvent as EventListener);
    source.onopen = () => {
      store.connection.value = "live";
      retryMs = 1000;
      if (hadError) {
        hadError = false;
        openDirty = true;
        for (const part of ALL_PARTS) dirty.add(part);
        reload(); // catch up on whatever happened while we were away
      }
    };
    source.onerror = () => {
      hadError = true;
      store.connection.value = navigator.onLine ? "reconnecting" : "offline";
      if (source?.readyState === EventSource.CLOSED) {
        // Refused (not a network blip): if the session ended, api() takes the agent to sign-in.
        api("GET", "/api/v1/me").catch(() => {});
        const wait = retryMs + Math.random() * 500;
        retryMs = Math.min(retryMs * 2, 15_000);
        setTimeout(connect, wait);
      }
    };
  }
  connect();
}

/** Which parts of the page an event makes stale (the event is a doorbell; the API is the truth). */
function partsFor(
  type: string,
  data: { conversationId?: string; agentId?: string },
  meId: string,
): ListPart[] {
  if (type === "reset") return [...ALL_PARTS];
  if (type.startsWith("agent.")) return data.agentId === meId ? ["agents", "me"] : ["agents"];
  if (type === "conversation.closed") return ["open", "closed", "agents"];
  if (
    ["conversation.assigned", "conversation.transferred", "conversation.requeued"].includes(type)
  ) return ["open", "agents"];
  if (type === "settings.updated") return ["agents"];
  if (type === "queue") return ["open"];
  if (
    type.startsWith("conversation.") || type.startsWith("message.") ||
    type === "context.updated" || type === "contact.updated"
  ) {
    return ["open"];
  }
  return [];
}

let typingTimer: ReturnType<typeof setTimeout> | undefined;
function showTyping(store: WorkspaceStore): void {
  store.customerTyping.value = true;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => store.customerTyping.value = false, 4000);
}

interface Known {
  ids: Set<string>;
  unread: Map<string, number>;
}

function snapshot(active: UiSummary[], meId: string): Known {
  const mine = active.filter((c) => c.assigneeId === meId);
  return {
    ids: new Set(mine.map((c) => c.id)),
    unread: new Map(mine.map((c) => [c.id, c.unread])),
  };
}

/** Sound and browser notification for a newly assigned chat, or new messages while away. */
function notifyChanges(store: WorkspaceStore, before: Known): Known {
  const after = snapshot(store.lists.value.active, store.me.value.id);
  const mine = store.lists.value.active.filter((c) => c.assigneeId === store.me.value.id);
  const assigned = mine.filter((c) => !before.ids.has(c.id));
  const messaged = mine.filter((c) =>
    before.ids.has(c.id) && c.unread > (before.unread.get(c.id) ?? 0)
  );
  const away = document.hidden || !document.hasFocus();
  if (assigned.length > 0) {
    // A new chat always chimes: the agent may be busy in another one.
    const names = assigned.map((c) => c.contactName).join(", ");
    beep();
    notify(t("notify.assigned"), names);
    store.announcement.value = t("notify.assignedNames", { names });
  } else if (messaged.length > 0 && away) {
    beep();
    notify(t("notify.message", { name: messaged[0].contactName }), messaged[0].preview);
  }
  return after;
}

/** Shows a browser notification when the agent allowed them. */
function notify(title: string, body: string): void {
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  try {
    new Notification(title, { body, tag: "parley" });
  } catch { /* some browsers only allow notifications from a service worker */ }
}

let audio: AudioContext | null = null;
/** A short two-tone chime made with WebAudio (no sound file to load). */
export function beep(): void {
  if (!soundOn()) return; // the agent turned the sound off (header, "Sound")
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [i, freq] of [660, 880].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.2, t + i * 0.15 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.15 + 0.14);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.15);
      osc.stop(t + i * 0.15 + 0.15);
    }
  } catch { /* audio not available */ }
}
