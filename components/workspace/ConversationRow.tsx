import type { UiSummary } from "../../lib/ui/model.ts";
import { channelLabel, waitingLabel } from "../../lib/ui/format.ts";
import { t } from "../../lib/i18n/mod.ts";

/** The "Offline message" mark: left with the widget's offline form, to be answered by email. */
export function OfflineBadge() {
  return (
    <span
      class="shrink-0 rounded bg-amber-100 text-amber-900 text-xs font-medium px-1.5"
      title={t("row.offlineMessageHint")}
    >
      {t("row.offlineMessage")}
    </span>
  );
}

/**
 * One row of the conversation list: a link to the conversation (works without
 * scripts), contact name, channel, last message, waiting time, unread count,
 * and "Pick up" when the caller may take it from the queue.
 */
export function ConversationRow(
  { conv, now, selected, assigneeName, queuePosition, onOpen, onPickUp }: {
    conv: UiSummary;
    /** Place in the Pending queue (1 = next), shown on the Pending tab. */
    queuePosition?: number | null;
    now: number;
    selected: boolean;
    assigneeName?: string | null;
    onOpen?: (id: string) => void;
    onPickUp?: (id: string) => void;
  },
) {
  const waiting = waitingLabel(conv.waitingSince, now);
  return (
    <li
      class={selected ? "relative bg-brand-50" : "relative hover:bg-gray-50"}
      data-conversation={conv.id}
    >
      <a
        data-row
        href={`/?c=${encodeURIComponent(conv.id)}&tab=${conv.status}`}
        aria-current={selected ? "true" : undefined}
        onClick={(e) => {
          if (!onOpen || e.ctrlKey || e.metaKey || e.shiftKey) return;
          e.preventDefault();
          onOpen(conv.id);
        }}
        class="block px-3 py-2 focus:outline-none focus:ring-2 focus:ring-inset focus:ring-brand-500"
      >
        <span class="flex items-baseline gap-2">
          <span class="font-medium truncate">{conv.contactName}</span>
          <span class="text-xs text-gray-600 shrink-0">{channelLabel(conv.channel)}</span>
          {conv.offlineMessage && <OfflineBadge />}
          {conv.unread > 0 && (
            <span class="ml-auto shrink-0 rounded-full bg-brand-600 text-white text-xs font-semibold px-2">
              {conv.unread}
              <span class="sr-only">{t("row.unread")}</span>
            </span>
          )}
        </span>
        <span class="block text-sm text-gray-700 truncate h-5">{conv.preview || "\u00a0"}</span>
        <span class="flex gap-2 text-xs text-gray-600 h-4">
          {queuePosition && <span>{t("row.inQueue", { n: queuePosition })} ·</span>}
          {waiting && <span>{t("row.waiting", { time: waiting })}</span>}
          {assigneeName && <span>{waiting ? "· " : ""}{assigneeName}</span>}
          {conv.question && <span class="text-amber-800 font-medium">· {t("row.question")}</span>}
        </span>
      </a>
      {onPickUp && (
        <form
          method="post"
          action={`/workspace/conversations/${encodeURIComponent(conv.id)}/pickup`}
          class="absolute right-2 top-2"
        >
          <button
            type="submit"
            onClick={(e) => {
              e.preventDefault(); // with scripts: the JSON API, no page load
              onPickUp(conv.id);
            }}
            aria-label={t("row.pickUpName", { name: conv.contactName })}
            class="text-xs bg-brand-600 text-white rounded px-2 py-1 hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("row.pickUp")}
          </button>
        </form>
      )}
    </li>
  );
}
