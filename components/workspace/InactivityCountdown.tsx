/**
 * The open chat's inactivity countdown ("Closes for inactivity in 4:32"),
 * above the composer while a timer counts (lib/domain/inactivity.ts). It
 * ticks every second for the eye only: `role="timer"` is not announced as it
 * changes; the live region says once that the customer was warned.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { WorkspaceStore } from "../../lib/ui/state.ts";
import type { UiConversation } from "../../lib/ui/model.ts";
import { countdownLabel } from "../../lib/ui/format.ts";
import { t } from "../../lib/i18n/mod.ts";

export function InactivityCountdown(
  { ws, conv }: { ws: WorkspaceStore; conv: UiConversation },
) {
  const timer = conv.inactivity;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!timer) return;
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [timer?.closeAt]);
  // Say once, politely, that the customer was just warned (not on opening an already warned chat).
  const seen = useRef<{ id: string; warnedAt: string | null } | null>(null);
  useEffect(() => {
    const before = seen.current;
    if (before?.id === conv.id && !before.warnedAt && timer?.warnedAt) {
      ws.announcement.value = t("pane.inactivity.announce", {
        name: conv.contactName,
        time: countdownLabel(timer.closeAt, Date.now()),
      });
    }
    seen.current = { id: conv.id, warnedAt: timer?.warnedAt ?? null };
  }, [conv.id, timer?.warnedAt]);
  if (!timer || !ws.rules.value.inactivityOn) return null;
  // `now` ticks the re-render; the label reads the clock itself, since `now` was set when the pane
  // mounted (before this timer existed) until the first tick, which showed more than the whole time.
  const left = countdownLabel(timer.closeAt, Math.max(now, Date.now()));
  return (
    <p
      role="timer"
      aria-live="off"
      class="mx-4 mb-1 text-xs text-amber-900 bg-amber-50 border border-amber-200 rounded px-2 py-1"
    >
      {timer.warnedAt ? t("pane.inactivity.warned") : ""}
      {left === "0:00"
        ? t("pane.inactivity.closing")
        : t("pane.inactivity.closesIn", { time: left })}
    </p>
  );
}
