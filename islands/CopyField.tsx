/**
 * A read-only value with a Copy button (a new API key, a webhook secret, a widget site's embed
 * snippet with `rows`): the value is selectable without JavaScript; with it, Copy puts it on the
 * clipboard and says so in a live region.
 */
import { useState } from "preact/hooks";
import { t } from "../lib/i18n/mod.ts";

export default function CopyField(
  { id, label, value, rows }: {
    id: string;
    label: string;
    value: string;
    /** Several lines (a snippet): a read-only text area this many rows high. */
    rows?: number;
  },
) {
  const [status, setStatus] = useState("");
  return (
    <div class="mb-3">
      <label for={id} class="block text-sm font-medium mb-1">{label}</label>
      <div class={rows ? "flex items-start gap-2" : "flex gap-2"}>
        {rows
          ? (
            <textarea
              id={id}
              readOnly
              rows={rows}
              value={value}
              class="w-full font-mono text-xs border border-gray-300 rounded px-2 py-1 bg-gray-50 focus:outline-none focus:ring-2 focus:ring-brand-500"
            />
          )
          : (
            <input
              id={id}
              type="text"
              readOnly
              value={value}
              onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
              class="w-full font-mono text-sm border border-gray-300 rounded px-3 py-2 bg-gray-50 focus:outline-none focus:ring-2 focus:ring-brand-500"
            />
          )}
        <button
          type="button"
          aria-describedby={`${id}-status`}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setStatus(t("context.copied"));
            } catch {
              setStatus(t("context.copyRefused"));
            }
          }}
          class="border border-gray-300 bg-white hover:bg-gray-100 font-medium rounded px-4 py-2 focus:outline-none focus:ring-2 focus:ring-brand-500"
        >
          {t("context.copy")}
          <span class="sr-only">{` ${label}`}</span>
        </button>
      </div>
      <p id={`${id}-status`} role="status" class="text-xs text-gray-700 h-4 mt-1">{status}</p>
    </div>
  );
}
