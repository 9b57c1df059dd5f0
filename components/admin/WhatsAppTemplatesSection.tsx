/**
 * The WhatsApp message templates on the Channels page: what was last read
 * from Meta (name, language, status, category, variables, and why Parley
 * cannot send a template when it cannot), and "Refresh templates".
 */
import {
  TEMPLATES_NOT_SET,
  TEMPLATES_UNREADABLE,
  type TemplatesView,
} from "../../lib/channels/whatsapp_templates.ts";
import { isSendable } from "../../lib/domain/whatsapp_templates.ts";
import { Section } from "./AdminLayout.tsx";
import { Button } from "../Form.tsx";
import { t, tParts } from "../../lib/i18n/mod.ts";
import { When } from "./When.tsx";

/** A refresh's failure as the page says it (Meta's or the network's reason stays as it came). */
function failureInWords(message: string): string {
  if (message === TEMPLATES_NOT_SET) return t("admin.whatsapp.setAccountAndToken");
  if (message.startsWith(TEMPLATES_UNREADABLE)) {
    return t("admin.whatsapp.templatesUnreadable", {
      reason: message.slice(TEMPLATES_UNREADABLE.length),
    });
  }
  return message;
}

const STATUS_CLASS: Record<string, string> = {
  APPROVED: "bg-green-50 text-green-900 border-green-200",
  PENDING: "bg-amber-50 text-amber-900 border-amber-200",
};

/** The templates section of the Channels page. */
export function WhatsAppTemplatesSection(
  { view, refresh }: { view: TemplatesView; refresh?: { ok: boolean; message: string } },
) {
  const { items, state } = view;
  return (
    <Section title={t("admin.whatsapp.templates")} id="whatsapp-message-templates">
      <p class="text-sm text-gray-700 mb-3">{t("admin.whatsapp.templatesIntro")}</p>
      <form method="post" action="/admin/channels/whatsapp/templates/refresh" class="mb-3">
        {refresh && (
          <p
            role={refresh.ok ? "status" : "alert"}
            data-testid="templates-refresh-result"
            class={refresh.ok
              ? "mb-3 text-sm text-green-900 bg-green-50 border border-green-200 rounded p-2"
              : "mb-3 text-sm text-red-800 bg-red-50 border border-red-200 rounded p-2"}
          >
            {refresh.ok
              ? t("admin.whatsapp.templatesRead", {
                count: items.length,
                sendable: items.filter(isSendable).length,
              })
              : failureInWords(refresh.message)}
          </p>
        )}
        <Button variant="secondary">{t("admin.whatsapp.refresh")}</Button>
        <span class="ml-3 text-sm text-gray-600">
          {state.fetchedAt
            ? tParts("admin.whatsapp.lastRead", { when: <When iso={state.fetchedAt} /> })
            : t("admin.whatsapp.neverRead")}
          {state.error && !refresh
            ? ` ${t("admin.whatsapp.refreshFailed", { reason: failureInWords(state.error) })}`
            : ""}
        </span>
      </form>
      {items.length > 0 && (
        <div class="overflow-x-auto">
          <table class="w-full text-sm" data-testid="templates-table">
            <caption class="sr-only">{t("admin.whatsapp.templatesCaption")}</caption>
            <thead>
              <tr class="text-left border-b border-gray-200">
                <th scope="col" class="py-1 pr-2">{t("admin.whatsapp.name")}</th>
                <th scope="col" class="py-1 pr-2">{t("admin.whatsapp.language")}</th>
                <th scope="col" class="py-1 pr-2">{t("admin.whatsapp.status")}</th>
                <th scope="col" class="py-1 pr-2">{t("admin.whatsapp.variables")}</th>
                <th scope="col" class="py-1">{t("admin.whatsapp.body")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((tpl) => (
                <tr key={`${tpl.name}:${tpl.language}`} class="border-b border-gray-100 align-top">
                  <td class="py-1 pr-2 font-mono">
                    {tpl.name}
                    {tpl.category && (
                      <span class="block text-xs text-gray-600">{tpl.category}</span>
                    )}
                  </td>
                  <td class="py-1 pr-2">{tpl.language}</td>
                  <td class="py-1 pr-2">
                    <span
                      class={`border rounded px-1 text-xs ${
                        STATUS_CLASS[tpl.status] ?? "bg-gray-50 text-gray-800 border-gray-200"
                      }`}
                    >
                      {tpl.status}
                    </span>
                    {tpl.unsupported && (
                      <span class="block text-xs text-red-800">
                        {t("admin.whatsapp.cannotSend", { reason: tpl.unsupported })}
                      </span>
                    )}
                  </td>
                  <td class="py-1 pr-2">
                    {tpl.variables.length
                      ? tpl.variables.map((v) => `${v.component} {{${v.key}}}`).join(", ")
                      : t("admin.whatsapp.noVariables")}
                  </td>
                  <td class="py-1 whitespace-pre-wrap">{tpl.body}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
