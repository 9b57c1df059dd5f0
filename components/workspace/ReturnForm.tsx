import { useEffect, useRef, useState } from "preact/hooks";
import type { WorkspaceStore } from "../../lib/ui/state.ts";
import { returnChat } from "../../lib/ui/actions.ts";
import { t } from "../../lib/i18n/mod.ts";

/**
 * "Return to queue" (issue 16): the agent hands the open chat back to the
 * front of its queue with an optional note for whoever takes it next (staff
 * only). The next automatic assignment skips this agent.
 */
export function ReturnForm({ ws }: { ws: WorkspaceStore }) {
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <form
      aria-label={t("pane.queue")}
      class="flex flex-col gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError("");
        try {
          await returnChat(ws, note);
        } catch (err) {
          setError((err as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 class="font-semibold">{t("pane.queue")}</h2>
      <p id="return-hint" class="text-sm text-gray-700">
        {t("queue.hint")}
      </p>
      <label for="return-note" class="text-sm font-medium">
        {t("queue.note")}
      </label>
      <textarea
        id="return-note"
        ref={first}
        rows={3}
        value={note}
        maxLength={2000}
        aria-describedby="return-hint"
        onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
        class="w-full border border-gray-300 rounded px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      {error && <p role="alert" class="text-sm text-red-800">{error}</p>}
      <button
        type="submit"
        disabled={busy}
        class="bg-brand-600 text-white rounded px-3 py-2 font-medium hover:bg-brand-700 disabled:opacity-50 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-500"
      >
        {t("pane.queue")}
      </button>
    </form>
  );
}
