/**
 * The admin's agent list with live status and load. Rendered on the server
 * with the rows of the moment; in the browser it refreshes them from
 * `GET /api/v1/admin/agents` every few seconds while the tab is visible.
 */
import { useEffect, useState } from "preact/hooks";
import type { AgentRow } from "../lib/admin/agents.ts";
import { t } from "../lib/i18n/mod.ts";

export default function AdminAgentTable(
  { rows: initial, globalMax, refreshMs = 5000 }: {
    rows: AgentRow[];
    globalMax: number | null;
    refreshMs?: number;
  },
) {
  const [rows, setRows] = useState(initial);
  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      if (document.visibilityState !== "visible") return;
      try {
        const res = await fetch("/api/v1/admin/agents", {
          headers: { accept: "application/json" },
        });
        if (res.ok && !stopped) setRows((await res.json()).items);
      } catch { /* offline for a moment: keep the last rows */ }
    };
    const timer = setInterval(tick, refreshMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [refreshMs]);

  return (
    <div class="overflow-x-auto">
      <table class="w-full text-sm" data-testid="agent-table">
        <thead>
          <tr class="text-left border-b border-gray-200">
            <th scope="col" class="py-2 pr-3">{t("contact.name")}</th>
            <th scope="col" class="py-2 pr-3">{t("auth.email")}</th>
            <th scope="col" class="py-2 pr-3">{t("admin.agents.role")}</th>
            <th scope="col" class="py-2 pr-3">{t("admin.agents.team")}</th>
            <th scope="col" class="py-2 pr-3">{t("status.label")}</th>
            <th scope="col" class="py-2 pr-3">{t("admin.agents.chats")}</th>
            <th scope="col" class="py-2 pr-3">
              <span class="sr-only">{t("admin.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const max = row.maxChats ?? globalMax;
            return (
              <tr key={row.id} class="border-b border-gray-100" data-agent-id={row.id}>
                <td class="py-2 pr-3 font-medium">{row.name}</td>
                <td class="py-2 pr-3">{row.email}</td>
                <td class="py-2 pr-3">{t(`role.${row.role}`)}</td>
                <td class="py-2 pr-3">{row.teamName ?? "—"}</td>
                <td class="py-2 pr-3" data-testid="agent-status">
                  {!row.active
                    ? <span class="text-gray-500">{t("admin.agents.deactivated")}</span>
                    : row.invitePending
                    ? <span class="text-amber-700">{t("admin.agents.invited")}</span>
                    : (
                      <span
                        class={row.status === "online"
                          ? "text-green-700"
                          : row.status === "busy"
                          ? "text-amber-700"
                          : "text-gray-600"}
                      >
                        {t(`status.${row.status}`)}
                      </span>
                    )}
                </td>
                <td class="py-2 pr-3" data-testid="agent-load">
                  {row.activeChats}
                  {max !== null ? ` / ${max} ` : " "}
                  {row.maxChats !== null && (
                    <span class="text-gray-500">{t("admin.agents.ownMax")}</span>
                  )}
                </td>
                <td class="py-2 pr-3">
                  <a href={`/admin/agents/${row.id}`} class="underline text-brand-700">
                    {t("contact.edit")}
                    <span class="sr-only">{` ${row.name}`}</span>
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
