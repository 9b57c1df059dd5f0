import { useEffect, useRef, useState } from "preact/hooks";
import type { UiQuickResponse } from "../../lib/ui/model.ts";
import { t } from "../../lib/i18n/mod.ts";

/**
 * The "Quick responses" picker: a search box over the caller's quick
 * responses (title, shortcut, body) and a list to choose from with the arrow
 * keys and Enter, or the mouse; Escape closes it.
 */
export function QuickResponsePicker(
  { items, onChoose, onCancel }: {
    items: UiQuickResponse[] | null;
    onChoose: (qr: UiQuickResponse) => void;
    onCancel: () => void;
  },
) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const q = query.trim().toLowerCase().replace(/^\//, "");
  const shown = (items ?? []).filter((r) =>
    !q || r.title.toLowerCase().includes(q) || r.shortcut.toLowerCase().includes(q) ||
    r.body.toLowerCase().includes(q)
  ).slice(0, 50);
  const pick = Math.min(active, Math.max(0, shown.length - 1));
  return (
    <div
      role="dialog"
      aria-label={t("composer.quickResponses")}
      class="mb-2 rounded border border-gray-300 bg-white shadow p-2"
    >
      <label for="qr-search" class="sr-only">{t("qr.search")}</label>
      <input
        id="qr-search"
        ref={input}
        type="search"
        role="combobox"
        aria-expanded="true"
        aria-controls="qr-list"
        aria-activedescendant={shown[pick] ? `qr-${shown[pick].id}` : undefined}
        placeholder={t("qr.search")}
        value={query}
        onInput={(e) => {
          setQuery((e.target as HTMLInputElement).value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive(Math.min(shown.length - 1, pick + 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive(Math.max(0, pick - 1));
          } else if (e.key === "Enter") {
            e.preventDefault();
            if (shown[pick]) onChoose(shown[pick]);
          } else if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          }
        }}
        class="w-full border border-gray-300 rounded px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      {items === null
        ? <p class="text-sm text-gray-600 p-1">{t("common.loading")}</p>
        : shown.length === 0
        ? <p class="text-sm text-gray-600 p-1">{t("qr.none")}</p>
        : (
          <ul
            id="qr-list"
            role="listbox"
            aria-label={t("composer.quickResponses")}
            class="max-h-48 overflow-y-auto mt-1"
          >
            {shown.map((r, i) => (
              <li
                key={r.id}
                id={`qr-${r.id}`}
                role="option"
                aria-selected={i === pick ? "true" : "false"}
                onMouseDown={(e) => {
                  e.preventDefault();
                  onChoose(r);
                }}
                class={i === pick
                  ? "cursor-pointer rounded bg-brand-50 px-2 py-1"
                  : "cursor-pointer rounded px-2 py-1 hover:bg-gray-50"}
              >
                <span class="font-medium text-sm">{r.title}</span>
                {r.shortcut && <span class="ml-2 text-xs text-gray-600">/{r.shortcut}</span>}
                <span class="block text-xs text-gray-700 truncate">{r.body}</span>
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
