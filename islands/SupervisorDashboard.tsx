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
import type { AgentNow, DashboardState, SlowChat } from "../lib/reports/dashboard.ts";
import { startDashboardLive } from "../lib/ui/dashboard_live.ts";
import { durationLabel } from "../lib/ui/format.ts";
import { api, ApiError } from "../lib/ui/api_client.ts";
import { CATALOGS, formatNumber, type MessageKey, t } from "../lib/i18n/mod.ts";

const statusLabel = (status: AgentNow["status"]) => t(`status.${status}`);
const n = (value: number) => formatNumber(value);
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
          {connection.value === "live" ? t("connection.live") : t("connection.reconnecting")}
        </span>
      </p>

      <section aria-labelledby="today-h">
        <h2 id="today-h" class="text-lg font-semibold mb-2">{t("supervise.today")}</h2>
        <dl class="grid grid-cols-2 md:grid-cols-5 gap-3" data-testid="today">
          {[
            [t("supervise.today.created"), n(s.today.created), "today-created"],
            [t("supervise.today.closed"), n(s.today.closed), "today-closed"],
            [t("supervise.today.handled"), n(s.today.handled), "today-handled"],
            [t("supervise.today.transferred"), n(s.today.transferred), "today-transferred"],
            [t("supervise.today.abandoned"), n(s.today.abandoned), "today-abandoned"],
            ...(s.today.csat
              ? [[
                t("supervise.today.csat", { count: s.today.csat.answers }),
                s.today.csat.percentOk === null ? "—" : t("supervise.today.csatOk", {
                  percent: formatNumber(s.today.csat.percentOk / 100, undefined, {
                    style: "percent",
                  }),
                }),
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
          {t("supervise.waiting")} <span data-testid="waiting-total">{n(s.waitingTotal)}</span>
          {longest && (
            <span class="text-base font-normal text-gray-700 ml-2">
              · {t("supervise.longestWait")}{" "}
              <span data-testid="longest-wait">{since(longest)}</span>
            </span>
          )}
        </h2>
        {s.waiting.length === 0
          ? <p class="text-sm text-gray-700">{t("supervise.nobodyWaiting")}</p>
          : (
            <table class="text-sm" data-testid="waiting-table">
              <thead>
                <tr class="text-left border-b border-gray-200">
                  <th scope="col" class="py-1 pr-4">{t("supervise.col.team")}</th>
                  <th scope="col" class="py-1 pr-4">{t("supervise.col.waiting")}</th>
                  <th scope="col" class="py-1 pr-4">{t("supervise.col.longestWait")}</th>
                </tr>
              </thead>
              <tbody>
                {s.waiting.map((w) => (
                  <tr key={w.teamId ?? "-"} class="border-b border-gray-100">
                    <th scope="row" class="text-left font-normal py-1 pr-4">
                      {w.teamName ?? t("supervise.noTeam")}
                    </th>
                    <td class="py-1 pr-4 tabular-nums">{n(w.count)}</td>
                    <td class="py-1 pr-4 tabular-nums">{since(w.oldestSince)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>

      <section aria-labelledby="slow-h">
        <h2 id="slow-h" class="text-lg font-semibold mb-2">
          {t("supervise.slow", { time: t("supervise.seconds", { n: s.slowAfterSeconds }) })}{" "}
          <span data-testid="slow-count">{n(slow.length)}</span>
        </h2>
        {slow.length === 0
          ? <p class="text-sm text-gray-700">{t("supervise.allAnswered")}</p>
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
          {t("supervise.agents", {
            online: s.agents.filter((a) => a.status === "online").length,
            busy: s.agents.filter((a) => a.status === "busy").length,
            offline: s.agents.filter((a) => a.status === "offline").length,
          })}
        </h2>
        <table class="text-sm" data-testid="agents-now">
          <thead>
            <tr class="text-left border-b border-gray-200">
              <th scope="col" class="py-1 pr-4">{t("supervise.col.agent")}</th>
              <th scope="col" class="py-1 pr-4">{t("supervise.col.team")}</th>
              <th scope="col" class="py-1 pr-4">{t("supervise.col.status")}</th>
              <th scope="col" class="py-1 pr-4">{t("supervise.col.for")}</th>
              <th scope="col" class="py-1 pr-4">{t("supervise.col.load")}</th>
            </tr>
          </thead>
          <tbody>
            {s.agents.map((a) => (
              <tr key={a.id} class="border-b border-gray-100" data-agent-id={a.id}>
                <th scope="row" class="text-left font-medium py-1 pr-4">{a.name}</th>
                <td class="py-1 pr-4">{a.teamName ?? "—"}</td>
                <td class={`py-1 pr-4 ${STATUS_CLASS[a.status]}`} data-testid="agent-status">
                  {statusLabel(a.status)}
                </td>
                <td class="py-1 pr-4 tabular-nums">{since(a.statusSince)}</td>
                <td
                  class={a.activeChats >= a.maxChats
                    ? "py-1 pr-4 tabular-nums font-semibold text-red-700"
                    : "py-1 pr-4 tabular-nums"}
                  data-testid="agent-load"
                >
                  {n(a.activeChats)} / {n(a.maxChats)}
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
    try {
      await api("POST", `/api/v1/conversations/${chat.conversationId}/transfer`, {
        toAgentId: target.value,
      });
    } catch (err) {
      error.value = transferError(err);
    }
  };
  const name = contactLabel(chat);
  return (
    <li
      class="flex flex-wrap items-center gap-3 bg-amber-50 border border-amber-300 rounded p-2 text-sm"
      data-testid="slow-chat"
    >
      <span class="font-medium">{name}</span>
      <span>{t("supervise.slowWaiting", { time: since(chat.waitingSince) })}</span>
      <span class="text-gray-700">
        {t("supervise.slowWith", { name: chat.agentName ?? t("supervise.nobody") })}
      </span>
      <a href={`/?c=${chat.conversationId}`} class="underline text-brand-700">
        {t("supervise.open")}
        <span class="sr-only">{t("supervise.openChat", { name })}</span>
      </a>
      <form class="flex items-center gap-2" onSubmit={transfer}>
        <label for={selectId} class="sr-only">{t("supervise.transferLabel", { name })}</label>
        <select
          id={selectId}
          class="border border-gray-300 rounded px-2 py-1"
          value={target.value}
          onChange={(e) => target.value = (e.target as HTMLSelectElement).value}
        >
          <option value="">{t("supervise.transferTo")}</option>
          {agents.filter((a) => a.id !== chat.agentId).map((a) => (
            <option key={a.id} value={a.id}>
              {t("supervise.transferOption", {
                name: a.name,
                status: statusLabel(a.status),
                active: a.activeChats,
                max: a.maxChats,
              })}
            </option>
          ))}
        </select>
        <button type="submit" class="border border-gray-300 bg-white rounded px-2 py-1">
          {t("supervise.transfer")}
        </button>
      </form>
      {error.value && <span role="alert" class="text-red-700">{error.value}</span>}
    </li>
  );
}

/** The contact's name, or the channel's word for a customer who gave none (in the page's language). */
function contactLabel(chat: SlowChat): string {
  if (!chat.contactUnnamed) return chat.contactName;
  return chat.channel === "whatsapp" ? t("supervise.whatsappCustomer") : t("supervise.webVisitor");
}

/** A refused transfer's reason in the page's language (the API's words for a code it does not know). */
function transferError(err: unknown): string {
  if (!(err instanceof ApiError)) return t("supervise.transferFailed");
  const refusal = `refusal.${err.code}` as MessageKey;
  const words = refusal in CATALOGS.en ? t(refusal) : "";
  // A reason that needs figures the answer does not carry ({max}) keeps the API's own words.
  return words && !words.includes("{") ? words : err.message || t("supervise.transferFailed");
}
