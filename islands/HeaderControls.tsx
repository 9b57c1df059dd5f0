/**
 * The live part of the workspace header: the "Status" switcher (Online, Busy,
 * Offline, each with what it means), the connection state (live /
 * reconnecting / offline) and, when the browser asks, a button to allow
 * notifications. Shares the page's store with the other islands.
 */
import { useEffect, useState } from "preact/hooks";
import type { AgentStatus } from "../lib/ui/model.ts";
import { useWorkspace, type WorkspaceSeed } from "../lib/ui/state.ts";
import { setStatus } from "../lib/ui/actions.ts";

const STATUSES: { value: AgentStatus; label: string; description: string }[] = [
  { value: "online", label: "Online", description: "takes new chats" },
  { value: "busy", label: "Busy", description: "no new chats" },
  { value: "offline", label: "Offline", description: "unavailable" },
];

const CONNECTION = {
  connecting: { text: "Connecting…", dot: "bg-gray-400" },
  live: { text: "Live", dot: "bg-green-600" },
  reconnecting: { text: "Reconnecting…", dot: "bg-amber-500" },
  offline: { text: "Offline", dot: "bg-red-600" },
} as const;

export default function HeaderControls({ seed }: { seed?: WorkspaceSeed }) {
  const ws = useWorkspace(seed);
  // "unknown" until the browser answers (after hydration): the button's place is kept meanwhile.
  const [permission, setPermission] = useState<string>("unknown");
  useEffect(() => {
    setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  }, []);
  const conn = CONNECTION[ws.connection.value];
  const status = ws.me.value.status;
  return (
    <div class="flex flex-wrap items-center gap-3">
      {/* A plain form too, so the status can be set before scripts run ("Set"). */}
      <form method="post" action="/workspace/status" class="flex items-center gap-1">
        <label for="status-switcher" class="text-sm font-medium">Status</label>
        <select
          id="status-switcher"
          name="status"
          value={status}
          onChange={(e) => setStatus(ws, (e.target as HTMLSelectElement).value as AgentStatus)}
          class="text-sm border border-gray-300 rounded px-1 py-1 bg-white focus:outline-none focus:ring-2 focus:ring-brand-500"
        >
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>{s.label} – {s.description}</option>
          ))}
        </select>
        <noscript>
          <button type="submit" class="text-sm border border-gray-300 rounded px-2 py-1">
            Set
          </button>
        </noscript>
      </form>
      <p
        role="status"
        class="flex items-center gap-1 text-sm w-32 whitespace-nowrap"
        data-connection={ws.connection.value}
      >
        <span aria-hidden="true" class={`inline-block w-2 h-2 rounded-full ${conn.dot}`}></span>
        <span class="sr-only">Connection:</span> {conn.text}
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
        Allow notifications
      </button>
    </div>
  );
}
