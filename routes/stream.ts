/**
 * `GET /api/v1/stream`: server-sent events for the signed-in staff member
 * (lib/realtime/sse.ts has the event format, lib/realtime/visibility.ts what
 * each role sees). Resume with `Last-Event-ID` (or `?after=SEQ`).
 * An open stream keeps the staff member's presence alive (heartbeats).
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { AppError, badRequest } from "../lib/errors.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseCursor, staffStream } from "../lib/realtime/sse.ts";
import { ACCOUNT_CHANGE } from "../lib/realtime/hub.ts";
import { staffView } from "../lib/realtime/visibility.ts";
import { QUEUE_CHANGES } from "../lib/realtime/records.ts";
import { getCookie } from "hono/cookie";
import { getSignedInAgent, SESSION_COOKIE } from "../lib/auth/sessions.ts";

export function streamRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { realtime } = deps;
  app.get("/api/v1/stream", requireRole(), (c) => {
    const agent = currentAgent(c);
    const after = parseCursor(c.req.header("last-event-id") ?? c.req.query("after"));
    if (after === "invalid") {
      throw badRequest(
        "invalid_cursor",
        "Last-Event-ID (or ?after) must be an event id: digits, groups separated by dots.",
      );
    }
    if (realtime.hub.closing) {
      throw new AppError(409, "restarting", "The server is restarting; reconnect in a moment.");
    }
    const token = getCookie(c, SESSION_COOKIE);
    let viewer = agent;
    const leave = realtime.presence.connect(agent.id);
    return staffStream(c, {
      hub: realtime.hub,
      after,
      view: staffView(agent, realtime.records),
      extra: (changes) =>
        realtime.records.queue && changes.some((c) => QUEUE_CHANGES.has(c.type))
          ? [{ event: "queue", data: realtime.records.queue }]
          : [],
      onEnd: leave,
      // An ended session stops listening within a heartbeat (sign-out elsewhere, reset)...
      recheck: async () => (await getSignedInAgent(deps.kv, token))?.id === agent.id,
      // ...and a change to the account itself (on any instance) is worked out at once.
      reauthorize: {
        isOwnChange: (change) => change.type === ACCOUNT_CHANGE && change.agentId === agent.id,
        rebuild: async () => {
          const now = await getSignedInAgent(deps.kv, token);
          if (now?.id !== viewer.id) return null;
          const changed = now.role !== viewer.role || now.teamId !== viewer.teamId;
          viewer = now;
          return { view: staffView(now, realtime.records), changed };
        },
      },
    });
  });
  return app;
}
