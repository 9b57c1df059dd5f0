import { useState } from "preact/hooks";
import { loadPrevious } from "../../lib/ui/actions.ts";
import type { UiPrevious } from "../../lib/ui/model.ts";
import { channelLabel, clockLabel } from "../../lib/ui/format.ts";
import { MessageLog, surveyAnswerText } from "./MessageLog.tsx";
import { t } from "../../lib/i18n/mod.ts";

/**
 * "Previous conversations" of the contact, in place above the log: loaded
 * when first opened, newest first, one page at a time ("Show older").
 */
export function PreviousConversations(
  { conversationId, now }: { conversationId: string; now: number },
) {
  const [items, setItems] = useState<UiPrevious[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState("");
  const load = async (from: string | null) => {
    try {
      const page = await loadPrevious(conversationId, from);
      setItems((old) => [...(from ? old ?? [] : []), ...page.items]);
      setCursor(page.cursor);
      setError("");
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <details
      class="mb-3 rounded border border-gray-200 bg-white"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open && items === null) load(null);
      }}
    >
      <summary class="cursor-pointer px-3 py-2 text-sm font-medium focus:outline-none focus:ring-2 focus:ring-brand-500">
        {t("previous.title")}
      </summary>
      <div class="px-3 pb-3">
        {error && <p role="alert" class="text-sm text-red-800">{error}</p>}
        {items === null && !error && <p class="text-sm text-gray-600">{t("common.loading")}</p>}
        {items?.length === 0 && <p class="text-sm text-gray-600">{t("previous.none")}</p>}
        {items?.map((p) => (
          <section
            key={p.id}
            class="mt-2 border-t border-gray-100 pt-2"
            aria-label={t("previous.of", { when: clockLabel(p.at, now) })}
          >
            <h3 class="text-xs font-semibold text-gray-700 mb-1">
              {channelLabel(p.channel)} · {clockLabel(p.at, now)} ·{" "}
              {t(`status.conversation.${p.status}`)}
            </h3>
            {p.wrapUpNotes && (
              <p class="text-xs text-gray-800 mb-1 whitespace-pre-wrap break-words">
                {t("pane.wrapUp")} {p.wrapUpNotes}
              </p>
            )}
            {p.csat && (
              <p class="text-xs text-gray-800 mb-1 break-words">{surveyAnswerText(p.csat)}</p>
            )}
            <MessageLog messages={p.messages} now={now} />
          </section>
        ))}
        {cursor && (
          <button
            type="button"
            onClick={() => load(cursor)}
            class="mt-2 text-sm underline focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("previous.older")}
          </button>
        )}
      </div>
    </details>
  );
}
