import { useState } from "preact/hooks";
import type { UiConversation } from "../../lib/ui/model.ts";
import { browserName } from "../../lib/ui/format.ts";
import { t } from "../../lib/i18n/mod.ts";

/**
 * "Context": the key/value data the website attached (shown as text, long
 * values wrapped), with a copy button, and the visitor's page, browser and
 * language when the widget reported them.
 */
export function ContextPanel({ conv }: { conv: UiConversation }) {
  const [copied, setCopied] = useState("");
  const rows: [string, string][] = [
    ...conv.context,
    ...(conv.pageUrl ? [[t("context.page"), conv.pageUrl] as [string, string]] : []),
    ...(conv.userAgent
      ? [[t("context.browser"), browserName(conv.userAgent)] as [string, string]]
      : []),
    ...(conv.language ? [[t("context.language"), conv.language] as [string, string]] : []),
  ];
  return (
    <section aria-labelledby="context-title" class="flex flex-col gap-2">
      <div class="flex items-center gap-2">
        <h2 id="context-title" class="font-semibold">{t("pane.context")}</h2>
        {conv.context.length > 0 && (
          <button
            type="button"
            onClick={async () => {
              const text = conv.context.map(([k, v]) => `${k}: ${v}`).join("\n");
              try {
                await navigator.clipboard.writeText(text);
                setCopied(t("context.copied"));
              } catch {
                setCopied(t("context.copyRefused"));
              }
            }}
            class="ml-auto text-sm border border-gray-300 rounded px-2 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("context.copy")}
          </button>
        )}
      </div>
      <p role="status" class="text-xs text-gray-700 h-4">{copied}</p>
      {rows.length === 0
        ? <p class="text-sm text-gray-600">{t("context.none")}</p>
        : (
          <dl class="grid grid-cols-1 gap-1 text-sm">
            {rows.map(([k, v], i) => (
              <div key={i} class="border-b border-gray-100 pb-1">
                <dt class="font-medium text-gray-800 break-all">{k}</dt>
                <dd class="text-gray-900 whitespace-pre-wrap break-all" data-context-key={k}>
                  {v}
                </dd>
              </div>
            ))}
          </dl>
        )}
    </section>
  );
}
