/**
 * The signed-in staff member's own status and the agent roster:
 * `GET /api/v1/me`, `GET /api/v1/me/offline-preview`, `PUT /api/v1/me/status`,
 * `PUT /api/v1/me/locale` (the language of the caller's pages),
 * `POST /api/v1/me/heartbeat`,
 * `GET /api/v1/agents`. Rules live in lib/store/engine/presence.ts.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AGENT_STATUSES } from "../lib/domain/engine_types.ts";
import { LOCALES } from "../lib/i18n/locales.ts";
import { setAgentLocale } from "../lib/store/agents.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { notFound } from "../lib/errors.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import {
  getAgentSummary,
  getSettings,
  heartbeatAgent,
  listAgentSummaries,
  setAgentStatus,
} from "../lib/store/engine/mod.ts";

export const statusBody = z.object({ status: z.enum(AGENT_STATUSES) }).strict();
export const localeBody = z.object({ locale: z.enum(LOCALES) }).strict();

export function meApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/v1/me", requireRole());
  app.use("/api/v1/me/*", requireRole());
  app.use("/api/v1/agents", requireRole());

  const me = async (agentId: string) => {
    const summary = await getAgentSummary(deps.kv, agentId);
    if (!summary) throw notFound("Agent");
    return summary;
  };

  app.get("/api/v1/me", async (c) => c.json(await me(currentAgent(c).id)));

  // What going Offline would do now: how many of the caller's chats would go back to the queue.
  app.get("/api/v1/me/offline-preview", async (c) => {
    const [summary, settings] = await Promise.all([
      me(currentAgent(c).id),
      getSettings(deps.kv),
    ]);
    return c.json({
      activeChats: summary.activeChats,
      requeued: settings.requeueOnOffline ? summary.activeChats : 0,
    });
  });

  app.put("/api/v1/me/status", async (c) => {
    const { status } = await parseJsonBody(c, statusBody);
    const agent = currentAgent(c);
    await setAgentStatus(deps.engine, agent.id, status);
    return c.json(await me(agent.id));
  });

  app.put("/api/v1/me/locale", async (c) => {
    const { locale } = await parseJsonBody(c, localeBody);
    const agent = await setAgentLocale(deps.kv, currentAgent(c).id, locale);
    return c.json({ locale: agent.locale });
  });

  app.post("/api/v1/me/heartbeat", async (c) => {
    const status = await heartbeatAgent(deps.engine, currentAgent(c).id);
    return c.json({ status });
  });

  app.get("/api/v1/agents", async (c) => {
    return c.json({ items: await listAgentSummaries(deps.kv) });
  });

  return app;
}
