/**
 * The admin console's JSON API: agents, teams, quick responses (with
 * import/export), channels and the audit log. Admin role only.
 * Rules live in lib/admin and lib/store; these handlers parse, call, answer.
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  adminCreateAgent,
  adminDeactivateAgent,
  adminReactivateAgent,
  adminResetPassword,
  adminUpdateAgent,
  createAgentRequestSchema,
  listAgentRows,
  resetPasswordRequestSchema,
  updateAgentRequestSchema,
} from "../lib/admin/agents.ts";
import {
  adminCreateSite,
  adminDeleteSite,
  adminRefreshWhatsAppTemplates,
  adminSaveWhatsApp,
  adminTestWhatsApp,
  adminUpdateSite,
  embedSnippet,
} from "../lib/admin/channels.ts";
import { adminDeleteTeam } from "../lib/admin/teams.ts";
import { listWhatsAppTemplates } from "../lib/channels/whatsapp_templates.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { notFound } from "../lib/errors.ts";
import { currentAgent, rejectOverlongIds, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody, parseQuery } from "../lib/http/parse_request.ts";
import { getAgent, publicAgent } from "../lib/store/agents.ts";
import { AUDIT_TARGETS, listAudit } from "../lib/store/audit.ts";
import { listSites, siteInputSchema, siteUpdateSchema } from "../lib/store/sites.ts";
import { publicWhatsAppConfig, whatsAppConfigInputSchema } from "../lib/store/whatsapp_config.ts";
import {
  createQuickResponse,
  deleteQuickResponse,
  exportQuickResponse,
  importQuickResponses,
  listAllQuickResponses,
  quickResponseImportSchema,
  quickResponseInputSchema,
  updateQuickResponse,
} from "../lib/store/quick_responses.ts";
import { createTeam, listTeams, renameTeam, teamInputSchema } from "../lib/store/teams.ts";

/** Query of the audit list (API and page). */
export const auditQuerySchema = z.object({
  targetType: z.enum(AUDIT_TARGETS).optional().or(z.literal("").transform(() => undefined)),
  actorId: z.string().max(100).optional(),
  q: z.string().max(200).optional(),
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** The admin JSON API for agents, teams, quick responses, channels and the audit log. */
export function adminConsoleApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;
  app.use("/api/v1/admin/*", requireRole("admin"), rejectOverlongIds());

  // Agents
  app.get("/api/v1/admin/agents", async (c) => c.json({ items: await listAgentRows(kv) }));
  app.post("/api/v1/admin/agents", async (c) => {
    const input = await parseJsonBody(c, createAgentRequestSchema);
    return c.json(await adminCreateAgent(deps, currentAgent(c), input), 201);
  });
  app.get("/api/v1/admin/agents/:id", async (c) => {
    const agent = await getAgent(kv, c.req.param("id"));
    if (!agent) throw notFound("Agent");
    return c.json({ agent: publicAgent(agent) });
  });
  app.put("/api/v1/admin/agents/:id", async (c) => {
    const patch = await parseJsonBody(c, updateAgentRequestSchema);
    return c.json({
      agent: await adminUpdateAgent(deps, currentAgent(c), c.req.param("id"), patch),
    });
  });
  app.post("/api/v1/admin/agents/:id/deactivate", async (c) => {
    return c.json(await adminDeactivateAgent(deps, currentAgent(c), c.req.param("id")));
  });
  app.post("/api/v1/admin/agents/:id/reactivate", async (c) => {
    return c.json({ agent: await adminReactivateAgent(deps, currentAgent(c), c.req.param("id")) });
  });
  app.post("/api/v1/admin/agents/:id/password", async (c) => {
    const input = await parseJsonBody(c, resetPasswordRequestSchema);
    return c.json(await adminResetPassword(deps, currentAgent(c), c.req.param("id"), input));
  });

  // Teams
  app.get("/api/v1/admin/teams", async (c) => c.json({ items: await listTeams(kv) }));
  app.post("/api/v1/admin/teams", async (c) => {
    const input = await parseJsonBody(c, teamInputSchema);
    return c.json({ team: await createTeam(engine, input, currentAgent(c)) }, 201);
  });
  app.put("/api/v1/admin/teams/:id", async (c) => {
    const input = await parseJsonBody(c, teamInputSchema);
    return c.json({ team: await renameTeam(engine, c.req.param("id"), input, currentAgent(c)) });
  });
  app.delete("/api/v1/admin/teams/:id", async (c) => {
    await adminDeleteTeam(deps, currentAgent(c), c.req.param("id"));
    return c.body(null, 204);
  });

  // Quick responses (every scope)
  app.get("/api/v1/admin/quick-responses", async (c) => {
    return c.json({ items: await listAllQuickResponses(kv) });
  });
  app.get("/api/v1/admin/quick-responses/export", async (c) => {
    const items = (await listAllQuickResponses(kv)).map(exportQuickResponse);
    c.header("content-disposition", 'attachment; filename="quick-responses.json"');
    return c.json({ version: 1, quickResponses: items });
  });
  app.post("/api/v1/admin/quick-responses/import", async (c) => {
    const { quickResponses } = await parseJsonBody(c, quickResponseImportSchema, 1024 * 1024);
    return c.json(await importQuickResponses(engine, quickResponses, currentAgent(c)));
  });
  app.post("/api/v1/admin/quick-responses", async (c) => {
    const input = await parseJsonBody(c, quickResponseInputSchema);
    return c.json(
      { quickResponse: await createQuickResponse(engine, input, currentAgent(c)) },
      201,
    );
  });
  app.put("/api/v1/admin/quick-responses/:id", async (c) => {
    const input = await parseJsonBody(c, quickResponseInputSchema);
    const qr = await updateQuickResponse(engine, c.req.param("id"), input, currentAgent(c));
    return c.json({ quickResponse: qr });
  });
  app.delete("/api/v1/admin/quick-responses/:id", async (c) => {
    await deleteQuickResponse(engine, c.req.param("id"), currentAgent(c));
    return c.body(null, 204);
  });

  // Channels: web widget sites and the WhatsApp connection (secrets never answered)
  app.get("/api/v1/admin/sites", async (c) => {
    const origin = new URL(c.req.url).origin;
    const items = (await listSites(kv)).map((site) => ({
      ...site,
      embedSnippet: embedSnippet(origin, site),
    }));
    return c.json({ items });
  });
  app.post("/api/v1/admin/sites", async (c) => {
    const input = await parseJsonBody(c, siteInputSchema);
    return c.json({ site: await adminCreateSite(deps, currentAgent(c), input) }, 201);
  });
  app.put("/api/v1/admin/sites/:id", async (c) => {
    const input = await parseJsonBody(c, siteUpdateSchema);
    return c.json({ site: await adminUpdateSite(deps, currentAgent(c), c.req.param("id"), input) });
  });
  app.delete("/api/v1/admin/sites/:id", async (c) => {
    await adminDeleteSite(deps, currentAgent(c), c.req.param("id"));
    return c.body(null, 204);
  });
  app.get("/api/v1/admin/whatsapp", async (c) => c.json(await publicWhatsAppConfig(deps)));
  app.put("/api/v1/admin/whatsapp", async (c) => {
    const input = await parseJsonBody(c, whatsAppConfigInputSchema.strict());
    return c.json(await adminSaveWhatsApp(deps, currentAgent(c), input));
  });
  app.post("/api/v1/admin/whatsapp/test", async (c) => {
    return c.json(await adminTestWhatsApp(deps, currentAgent(c)));
  });
  app.get("/api/v1/admin/whatsapp/templates", async (c) => {
    return c.json(await listWhatsAppTemplates(kv));
  });
  app.post("/api/v1/admin/whatsapp/templates/refresh", async (c) => {
    return c.json(await adminRefreshWhatsAppTemplates(deps, currentAgent(c)));
  });

  // Audit log
  app.get("/api/v1/admin/audit", async (c) => {
    const query = parseQuery(c, auditQuerySchema);
    return c.json(await listAudit(kv, query));
  });

  return app;
}
