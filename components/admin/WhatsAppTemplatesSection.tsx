/**
 * The WhatsApp message templates on the Channels page: what was last read
 * from Meta (name, language, status, category, variables, and why Parley
 * cannot send a template when it cannot), and "Refresh templates".
 */
import type { TemplatesView } from "../../lib/channels/whatsapp_templates.ts";
import { Section } from "./AdminLayout.tsx";
import { Button } from "../Form.tsx";

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
    <Section title="WhatsApp message templates">
      <p class="text-sm text-gray-700 mb-3">
        Templates are the only messages WhatsApp delivers more than 24 hours after a customer's last
        message. Create them in Meta's WhatsApp Manager, then refresh this list; agents can send the
        approved ones from a chat.
      </p>
      <form method="post" action="/admin/channels/whatsapp/templates/refresh" class="mb-3">
        {refresh && (
          <p
            role={refresh.ok ? "status" : "alert"}
            data-testid="templates-refresh-result"
            class={refresh.ok
              ? "mb-3 text-sm text-green-900 bg-green-50 border border-green-200 rounded p-2"
              : "mb-3 text-sm text-red-800 bg-red-50 border border-red-200 rounded p-2"}
          >
            {refresh.message}
          </p>
        )}
        <Button variant="secondary">Refresh templates</Button>
        <span class="ml-3 text-sm text-gray-600">
          {state.fetchedAt
            ? `Last read from Meta at ${state.fetchedAt.replace("T", " ").slice(0, 16)} UTC.`
            : "Not read from Meta yet."}
          {state.error && !refresh ? ` The last refresh failed: ${state.error}` : ""}
        </span>
      </form>
      {items.length > 0 && (
        <div class="overflow-x-auto">
          <table class="w-full text-sm" data-testid="templates-table">
            <caption class="sr-only">Message templates</caption>
            <thead>
              <tr class="text-left border-b border-gray-200">
                <th scope="col" class="py-1 pr-2">Name</th>
                <th scope="col" class="py-1 pr-2">Language</th>
                <th scope="col" class="py-1 pr-2">Status</th>
                <th scope="col" class="py-1 pr-2">Variables</th>
                <th scope="col" class="py-1">Body</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={`${t.name}:${t.language}`} class="border-b border-gray-100 align-top">
                  <td class="py-1 pr-2 font-mono">
                    {t.name}
                    {t.category && <span class="block text-xs text-gray-600">{t.category}</span>}
                  </td>
                  <td class="py-1 pr-2">{t.language}</td>
                  <td class="py-1 pr-2">
                    <span
                      class={`border rounded px-1 text-xs ${
                        STATUS_CLASS[t.status] ?? "bg-gray-50 text-gray-800 border-gray-200"
                      }`}
                    >
                      {t.status}
                    </span>
                    {t.unsupported && (
                      <span class="block text-xs text-red-800">
                        Cannot be sent: {t.unsupported}
                      </span>
                    )}
                  </td>
                  <td class="py-1 pr-2">
                    {t.variables.length
                      ? t.variables.map((v) =>
                        `${v.component} {{${v.key}}}`
                      ).join(", ")
                      : "none"}
                  </td>
                  <td class="py-1 whitespace-pre-wrap">{t.body}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
