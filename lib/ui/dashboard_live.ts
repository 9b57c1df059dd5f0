/**
 * Keeps the supervision dashboard live (browser only): the staff event stream
 * is the doorbell, `GET /api/v1/supervision/dashboard` the truth. Events are
 * coalesced into at most one reload in flight (a burst of chats arriving is
 * one request), a reconnect reloads, and a slow poll (every 30 s) covers an
 * event stream that cannot connect at all.
 */
import type { DashboardState } from "../reports/dashboard.ts";

const EVENTS = [
  "ready",
  "reset",
  "queue",
  "agent.status",
  "agent.updated",
  "conversation.created",
  "conversation.assigned",
  "conversation.transferred",
  "conversation.closed",
  "conversation.requeued",
  "conversation.updated",
  "message.created",
];

/** Starts listening; returns the stop. */
export function startDashboardLive(
  slowAfterSeconds: number,
  on: {
    onState: (state: DashboardState) => void;
    onConnection: (c: "live" | "reconnecting") => void;
  },
): () => void {
  let inFlight = false;
  let again = false;
  let stopped = false;
  const reload = async () => {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const res = await fetch(`/api/v1/supervision/dashboard?slowAfter=${slowAfterSeconds}`, {
        headers: { accept: "application/json" },
      });
      if (res.ok && !stopped) on.onState(await res.json());
    } catch { /* offline for a moment: the next event or the poll retries */ }
    inFlight = false;
    if (again && !stopped) {
      again = false;
      await reload();
    }
  };
  const source = new EventSource("/api/v1/stream");
  for (const name of EVENTS) source.addEventListener(name, () => reload());
  source.onopen = () => on.onConnection("live");
  source.onerror = () => on.onConnection("reconnecting");
  const poll = setInterval(() => {
    if (document.visibilityState === "visible") reload();
  }, 30_000);
  return () => {
    stopped = true;
    source.close();
    clearInterval(poll);
  };
}
