import { useEffect, useRef, useState } from "preact/hooks";
import type { WorkspaceStore } from "../../lib/ui/state.ts";
import { transfer } from "../../lib/ui/actions.ts";
import { loadLabel } from "../../lib/ui/format.ts";
import { transferOption } from "../../lib/ui/transfer_view.ts";
import { t } from "../../lib/i18n/mod.ts";

/**
 * The right-hand "Transfer" bar: every agent with role, status and load
 * (2/4). For an agent, targets the rules forbid are disabled with the
 * reason; for a supervisor they stay allowed with a warning. Optional note,
 * then "Confirm transfer".
 */
export function TransferBar({ ws }: { ws: WorkspaceStore }) {
  const [target, setTarget] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const placed = useRef(false);
  useEffect(() => {
    // Opening the bar moves focus into it: the first person who can take the chat (never an
    // Offline one). When nobody can yet, focus goes there once someone can (the list is live),
    // unless the agent has moved on meanwhile.
    if (placed.current) return;
    const first = form.current?.querySelector<HTMLInputElement>(
      "input[type=radio]:not(:disabled)",
    );
    const away = document.activeElement && document.activeElement !== document.body &&
      !form.current?.contains(document.activeElement) &&
      !(document.activeElement as HTMLElement).dataset?.panel;
    if (!first || away) return;
    first.focus();
    placed.current = true;
  });
  const conv = ws.open.value;
  if (!conv) return null;
  const me = ws.me.value;
  const agents = ws.agents.value.filter((a) => a.id !== conv.assigneeId);
  const chosen = agents.find((a) => a.id === target);
  const chosenOption = chosen ? transferOption(me, chosen, conv.assigneeId, ws.rules.value) : null;
  return (
    <form
      ref={form}
      aria-label={t("pane.transfer")}
      class="flex flex-col gap-2 h-full"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!chosen || chosenOption?.blocked) return;
        setBusy(true);
        setError("");
        try {
          await transfer(ws, chosen.id, note);
          setNote("");
          setTarget("");
        } catch (err) {
          setError((err as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset class="flex-1 min-h-0 overflow-y-auto">
        <legend class="font-semibold mb-1">{t("transfer.to")}</legend>
        <ul class="flex flex-col gap-1">
          {agents.map((a) => {
            const opt = transferOption(me, a, conv.assigneeId, ws.rules.value);
            const id = `transfer-${a.id}`;
            return (
              <li
                key={a.id}
                class={opt.blocked
                  ? "rounded border border-gray-200 p-2 opacity-70"
                  : "rounded border border-gray-200 p-2"}
              >
                <label for={id} class="flex items-start gap-2">
                  <input
                    id={id}
                    type="radio"
                    name="transfer-target"
                    value={a.id}
                    disabled={opt.blocked}
                    checked={target === a.id}
                    aria-describedby={opt.reason ? `${id}-why` : undefined}
                    onChange={() => setTarget(a.id)}
                    class="mt-1"
                  />
                  <span>
                    <span class="font-medium">{a.name}</span>{" "}
                    <span class="text-xs text-gray-700">
                      {t(`role.${a.role}`)} · {t(`status.${a.status}`)} ·{" "}
                      {loadLabel(a.activeChats, a.maxChats)}
                    </span>
                    {opt.reason && (
                      <span
                        id={`${id}-why`}
                        class={opt.blocked
                          ? "block text-xs text-gray-700"
                          : "block text-xs text-amber-800"}
                      >
                        {opt.blocked ? opt.reason : t("transfer.warning", { reason: opt.reason })}
                      </span>
                    )}
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <label for="transfer-note" class="text-sm font-medium">{t("transfer.note")}</label>
      <textarea
        id="transfer-note"
        rows={2}
        value={note}
        maxLength={1000}
        onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
        class="w-full border border-gray-300 rounded px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      {error && <p role="alert" class="text-sm text-red-800">{error}</p>}
      <button
        type="submit"
        disabled={!chosen || busy}
        class="bg-brand-600 text-white rounded px-3 py-2 font-medium hover:bg-brand-700 disabled:opacity-50 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-500"
      >
        {t("transfer.confirm")}
      </button>
    </form>
  );
}
