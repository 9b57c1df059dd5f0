import { useEffect, useRef, useState } from "preact/hooks";
import type { WorkspaceStore } from "../../lib/ui/state.ts";
import { closeChat } from "../../lib/ui/actions.ts";
import { t } from "../../lib/i18n/mod.ts";

/**
 * The wrap-up form that "Close chat" opens at once: notes and tags, then
 * "Close with this wrap-up" (a name of its own: two buttons called "Close chat"
 * on one screen left screen-reader users guessing).
 */
export function CloseForm({ ws }: { ws: WorkspaceStore }) {
  const [notes, setNotes] = useState("");
  const [tags, setTags] = useState("");
  const [picked, setPicked] = useState<string[]>([]);
  const { wrapUpTags, allowFreeTags } = ws.rules.value;
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <form
      aria-label={t("close.wrapUp")}
      class="flex flex-col gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError("");
        try {
          const free = allowFreeTags
            ? tags.split(",").map((tag) => tag.trim()).filter(Boolean)
            : [];
          const list = [...picked.filter((tag) => wrapUpTags.includes(tag)), ...free];
          await closeChat(ws, notes.trim(), list);
        } catch (err) {
          setError((err as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 class="font-semibold">{t("close.wrapUp")}</h2>
      <label for="wrapup-notes" class="text-sm font-medium">{t("close.notes")}</label>
      <textarea
        id="wrapup-notes"
        ref={first}
        rows={5}
        value={notes}
        required
        maxLength={5000}
        onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)}
        class="w-full border border-gray-300 rounded px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      {wrapUpTags.length > 0 && (
        <fieldset>
          <legend class="text-sm font-medium">{t("close.tags")}</legend>
          <ul class="flex flex-wrap gap-x-3 gap-y-1">
            {wrapUpTags.map((tag, i) => (
              <li key={tag}>
                <label class="flex items-center gap-1 text-sm">
                  <input
                    id={`wrapup-tag-${i}`}
                    type="checkbox"
                    checked={picked.includes(tag)}
                    onChange={(e) =>
                      setPicked((now) =>
                        (e.target as HTMLInputElement).checked
                          ? [...now, tag]
                          : now.filter((x) => x !== tag)
                      )}
                    class="h-4 w-4"
                  />
                  {tag}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {allowFreeTags && (
        <>
          <label for="wrapup-tags" class="text-sm font-medium">
            {wrapUpTags.length > 0 ? t("close.otherTags") : t("close.freeTags")}
          </label>
          <input
            id="wrapup-tags"
            value={tags}
            onInput={(e) => setTags((e.target as HTMLInputElement).value)}
            class="w-full border border-gray-300 rounded px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
          />
        </>
      )}
      {error && <p role="alert" class="text-sm text-red-800">{error}</p>}
      <div class="flex gap-2">
        <button
          type="submit"
          disabled={busy}
          class="bg-red-700 text-white rounded px-3 py-2 font-medium hover:bg-red-800 disabled:opacity-50 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-red-600"
        >
          {t("close.submit")}
        </button>
        <button
          type="button"
          onClick={() => ws.panel.value = "none"}
          class="border border-gray-300 rounded px-3 py-2 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
        >
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
