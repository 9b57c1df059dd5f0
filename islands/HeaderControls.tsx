/**
 * The live part of the workspace header: the "Status" switcher (Online, Busy,
 * Offline, each with what it means), the connection state (live /
 * reconnecting / offline) and, when the browser asks, a button to allow
 * notifications. Shares the page's store with the other islands.
 */
import { useEffect, useState } from "preact/hooks";
import type { AgentStatus } from "../lib/domain/engine_types.ts";
import { useWorkspace, type WorkspaceSeed } from "../lib/ui/state.ts";
import { api, setStatus } from "../lib/ui/actions.ts";
import { setSoundOn, soundOn } from "../lib/ui/sound.ts";
import { t } from "../lib/i18n/mod.ts";

const STATUSES: AgentStatus[] = ["online", "busy", "offline"];

const CONNECTION = {
  connecting: { text: "connection.connecting", dot: "bg-gray-400" },
  live: { text: "connection.live", dot: "bg-green-600" },
  reconnecting: { text: "connection.reconnecting", dot: "bg-amber-500" },
  offline: { text: "connection.offline", dot: "bg-red-600" },
} as const;

export default function HeaderControls({ seed }: { seed?: WorkspaceSeed }) {
  const ws = useWorkspace(seed);
  // "unknown" until the browser answers (after hydration): the button's place is kept meanwhile.
  const [permission, setPermission] = useState<string>("unknown");
  useEffect(() => {
    setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  }, []);
  // Going Offline with chats asks first, saying how many go back to the queue.
  const [offlineAsk, setOfflineAsk] = useState<number | null>(null);
  const choose = async (next: AgentStatus) => {
    if (next === "offline" && ws.me.value.status !== "offline") {
      const preview = await api<{ activeChats: number; requeued: number }>(
        "GET",
        "/api/v1/me/offline-preview",
      ).catch(() => null);
      if (preview && preview.requeued > 0) {
        setOfflineAsk(preview.requeued);
        requestAnimationFrame(() => document.getElementById("offline-confirm")?.focus());
        return;
      }
    }
    await setStatus(ws, next);
  };
  // The chime for new chats and messages: on unless this browser turned it off.
  const [sound, setSound] = useState(true);
  useEffect(() => setSound(soundOn()), []);
  const conn = CONNECTION[ws.connection.value];
  const status = ws.me.value.status;
  return (
    <div class="flex flex-wrap items-center gap-3">
      {/* A plain form too, so the status can be set before scripts run ("Set"). */}
      <form method="post" action="/workspace/status" class="flex items-center gap-1">
        <label for="status-switcher" class="text-sm font-medium">{t("status.label")}</label>
        <select
          id="status-switcher"
          name="status"
          value={status}
          onChange={(e) => {
            const select = e.target as HTMLSelectElement;
            const next = select.value as AgentStatus;
            select.value = status; // shows the real status until it changes
            choose(next);
          }}
          class="text-sm border border-gray-300 rounded px-1 py-1 bg-white focus:outline-none focus:ring-2 focus:ring-brand-500"
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>{t(`status.${s}`)} – {t(`status.${s}.means`)}</option>
          ))}
        </select>
        <noscript>
          <button type="submit" class="text-sm border border-gray-300 rounded px-2 py-1">
            {t("header.set")}
          </button>
        </noscript>
      </form>
      {offlineAsk !== null && (
        <div
          role="alertdialog"
          aria-labelledby="offline-ask"
          class="fixed right-2 top-14 z-20 w-80 rounded border border-gray-300 bg-white p-3 shadow-lg"
        >
          <p id="offline-ask" class="text-sm mb-2">
            {t("status.offlineAsk", { count: offlineAsk })}
          </p>
          <div class="flex gap-2">
            <button
              id="offline-confirm"
              type="button"
              onClick={async () => {
                setOfflineAsk(null);
                await setStatus(ws, "offline");
              }}
              class="text-sm rounded px-3 py-1 bg-red-700 text-white hover:bg-red-800 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-red-600"
            >
              {t("status.goOffline")}
            </button>
            <button
              type="button"
              onClick={() => {
                setOfflineAsk(null);
                document.getElementById("status-switcher")?.focus();
              }}
              class="text-sm rounded px-3 py-1 border border-gray-300 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
            >
              {t("status.keepChats")}
            </button>
          </div>
        </div>
      )}
      <button
        type="button"
        aria-pressed={sound ? "true" : "false"}
        onClick={() => {
          setSoundOn(!sound);
          setSound(!sound);
        }}
        class="text-sm border border-gray-300 rounded px-2 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
      >
        {t("header.sound")}
        <span aria-hidden="true">{t(sound ? "header.soundOn" : "header.soundOff")}</span>
      </button>
      <p
        role="status"
        class="flex items-center gap-1 text-sm w-32 whitespace-nowrap"
        data-connection={ws.connection.value}
      >
        <span aria-hidden="true" class={`inline-block w-2 h-2 rounded-full ${conn.dot}`}></span>
        <span class="sr-only">{t("connection.label")}</span> {t(conn.text)}
      </p>
      {/* Invisible (its space kept) unless the browser can still ask: the header never shifts. */}
      <button
        type="button"
        disabled={permission !== "default"}
        onClick={async () => setPermission(await Notification.requestPermission())}
        class={permission === "default"
          ? "text-sm border border-gray-300 rounded px-2 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
          : "invisible text-sm border border-gray-300 rounded px-2 py-1"}
      >
        {t("header.allowNotifications")}
      </button>
    </div>
  );
}
