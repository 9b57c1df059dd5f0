/**
 * The live supervision dashboard (`/supervise`): server-rendered with the
 * state of the moment, then kept live in the browser. The staff event stream
 * (`GET /api/v1/stream`) is the doorbell: each event schedules one reload of
 * `GET /api/v1/supervision/dashboard` (coalesced), a reconnect reloads too,
 * and a clock signal ticks every second so waits and times in status count
 * up, and chats cross the "no agent reply" threshold, without a request.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { DashboardState, SlowChat } from "../lib/reports/dashboard.ts";
import { startDashboardLive } from "../lib/ui/dashboard_live.ts";
import { durationLabel } from "../lib/ui/format.ts";

const STATUS_LABEL = { online: "Online", busy: "Busy", offline: "Offline" } as const;
const STATUS_CLASS = {
  online: "text-green-700",
  busy: "text-amber-700",
  offline: "text-gray-600",
} as const;

export default function SupervisorDashboard({ initial }: { initial: DashboardState }) {
  const state = useSignal(initial);
  // Server time minus browser time (taken once, at the first render), so every "since" counts
  // from the server's clock however wrong the browser's is.
  const skew = useSignal(0);
  const now = useSignal(Date.parse(initial.now));
  const connection = useSignal<"live" | "reconnecting">("live");
  useEffect(() => {
    skew.value = Date.parse(initial.now) - Date.now();
    const tick = setInterval(() => now.value = Date.now() + skew.value, 1000);
    const stop = startDashboardLive(initial.slowAfterSeconds, {
      onState: (next) => {
        state.value = next;
        now.value = Date.now() + skew.value;
      },
      onConnection: (c) => connection.value = c,
    });
    return () => {
      clearInterval(tick);
      stop();
    };
  }, []);

  const s = state.value;
  const at = now.value;
  const since = (iso: string | null) => iso ? durationLabel(at - Date.parse(iso)) : "—";
  const slow = s.awaiting.filter((c) =>
    at - Date.parse(c.waitingSince) > s.slowAfterSeconds * 1000
  );
  const longest = s.waiting.length ? s.waiting[0].oldestSince : null;

  return (
    <div class="space-y-6" data-testid="dashboard">
      <p class="text-sm" aria-live="polite">
        <span
          class={connection.value === "live" ? "text-green-700" : "text-amber-700"}
          data-testid="dashboard-connection"
        >
          {connection.value === "live" ? "Live" : "Reconnecting…"}
        </span>
      </p>

      <section aria-labelledby="today-h">
        <h2 id="today-h" class="text-lg font-semibold mb-2">Today (UTC)</h2>
        <dl class="grid grid-cols-2 md:grid-cols-5 gap-3" data-testid="today">
          {[
            ["New", s.today.created, "today-created"],
            ["Closed", s.today.closed, "today-closed"],
            ["Resolved", s.today.handled, "today-handled"],
            ["Transferred", s.today.transferred, "today-transferred"],
            ["Abandoned before pickup", s.today.abandoned, "today-abandoned"],
            ...(s.today.csat
              ? [[
                `CSAT (${s.today.csat.answers} answers)`,
                s.today.csat.percentOk === null ? "—" : `${s.today.csat.percentOk}% OK`,
                "today-csat",
              ]]
              : []),
          ].map(([label, value, id]) => (
            <div key={id} class="bg-white border border-gray-200 rounded p-3">
              <dt class="text-sm text-gray-700">{label}</dt>
              <dd class="text-2xl font-semibold tabular-nums" data-testid={String(id)}>{value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="waiting-h">
        <h2 id="waiting-h" class="text-lg font-semibold mb-2">
          Waiting in the queue: <span data-testid="waiting-total">{s.waitingTotal}</span>
          {longest && (
            <span class="text-base font-normal text-gray-700 ml-2">
              · longest wait <span data-testid="longest-wait">{since(longest)}</span>
            </span>
          )}
        </h2>
        {s.waiting.length === 0
          ? <p class="text-sm text-gray-700">Nobody is waiting.</p>
          : (
            <table class="text-sm" data-testid="waiting-table">
              <thead>
                <tr class="text-left border-b border-gray-200">
                  <th scope="col" class="py-1 pr-4">Team</th>
                  <th scope="col" class="py-1 pr-4">Waiting</th>
                  <th scope="col" class="py-1 pr-4">Longest wait</th>
                </tr>
              </thead>
              <tbody>
                {s.waiting.map((w) => (
                  <tr key={w.teamId ?? "-"} class="border-b border-gray-100">
                    <th scope="row" class="text-left font-normal py-1 pr-4">
                      {w.teamName ?? "No team"}
                    </th>
                    <td class="py-1 pr-4 tabular-nums">{w.count}</td>
                    <td class="py-1 pr-4 tabular-nums">{since(w.oldestSince)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>

      <section aria-labelledby="slow-h">
        <h2 id="slow-h" class="text-lg font-semibold mb-2">
          No agent reply for more than {s.slowAfterSeconds} s:{" "}
          <span data-testid="slow-count">{slow.length}</span>
        </h2>
        {slow.length === 0
          ? <p class="text-sm text-gray-700">Every Active chat has its answer.</p>
          : (
            <ul class="space-y-2" data-testid="slow-list">
              {slow.map((c) => (
                <SlowRow key={c.conversationId} chat={c} since={since} agents={s.agents} />
              ))}
            </ul>
          )}
      </section>

      <section aria-labelledby="agents-h">
        <h2 id="agents-h" class="text-lg font-semibold mb-2">
          Agents: {s.agents.filter((a) => a.status === "online").length} Online,{" "}
          {s.agents.filter((a) => a.status === "busy").length} Busy,{" "}
          {s.agents.filter((a) => a.status === "offline").length} Offline
        </h2>
        <table class="text-sm" data-testid="agents-now">
          <thead>
            <tr class="text-left border-b border-gray-200">
              <th scope="col" class="py-1 pr-4">Agent</th>
              <th scope="col" class="py-1 pr-4">Team</th>
              <th scope="col" class="py-1 pr-4">Status</th>
              <th scope="col" class="py-1 pr-4">For</th>
              <th scope="col" class="py-1 pr-4">Chats / max</th>
            </tr>
          </thead>
          <tbody>
            {s.agents.map((a) => (
              <tr key={a.id} class="border-b border-gray-100" data-agent-id={a.id}>
                <th scope="row" class="text-left font-medium py-1 pr-4">{a.name}</th>
                <td class="py-1 pr-4">{a.teamName ?? "—"}</td>
                <td class={`py-1 pr-4 ${STATUS_CLASS[a.status]}`} data-testid="agent-status">
                  {STATUS_LABEL[a.status]}
                </td>
                <td class="py-1 pr-4 tabular-nums">{since(a.statusSince)}</td>
                <td
                  class={a.activeChats >= a.maxChats
                    ? "py-1 pr-4 tabular-nums font-semibold text-red-700"
                    : "py-1 pr-4 tabular-nums"}
                  data-testid="agent-load"
                >
                  {a.activeChats} / {a.maxChats}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function SlowRow(
  { chat, since, agents }: {
    chat: SlowChat;
    since: (iso: string) => string;
    agents: DashboardState["agents"];
  },
) {
  const target = useSignal("");
  const error = useSignal<string | null>(null);
  const selectId = `transfer-${chat.conversationId}`;
  const transfer = async (e: Event) => {
    e.preventDefault();
    if (!target.value) return;
    error.value = null;
    const res = await fetch(`/api/v1/conversations/${chat.conversationId}/transfer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ toAgentId: target.value }),
    }).catch(() => null);
    if (!res?.ok) {
      const body = await res?.json().catch(() => null);
      error.value = body?.error?.message ?? "The transfer did not go through; try again.";
    }
  };
  return (
    <li
      class="flex flex-wrap items-center gap-3 bg-amber-50 border border-amber-300 rounded p-2 text-sm"
      data-testid="slow-chat"
    >
      <span class="font-medium">{chat.contactName}</span>
      <span>waiting {since(chat.waitingSince)}</span>
      <span class="text-gray-700">with {chat.agentName ?? "nobody"}</span>
      <a href={`/?c=${chat.conversationId}`} class="underline text-brand-700">
        Open<span class="sr-only">{` the chat with ${chat.contactName}`}</span>
      </a>
      <form class="flex items-center gap-2" onSubmit={transfer}>
        <label for={selectId} class="sr-only">Transfer the chat with {chat.contactName} to</label>
        <select
          id={selectId}
          class="border border-gray-300 rounded px-2 py-1"
          value={target.value}
          onChange={(e) => target.value = (e.target as HTMLSelectElement).value}
        >
          <option value="">Transfer to…</option>
          {agents.filter((a) => a.id !== chat.agentId).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({STATUS_LABEL[a.status]}, {a.activeChats} / {a.maxChats})
            </option>
          ))}
        </select>
        <button type="submit" class="border border-gray-300 bg-white rounded px-2 py-1">
          Transfer
        </button>
      </form>
      {error.value && <span role="alert" class="text-red-700">{error.value}</span>}
    </li>
  );
}
