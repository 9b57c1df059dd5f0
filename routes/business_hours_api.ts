/**
 * Business hours for admins (docs/api.md, "Admin: business hours"): the
 * workspace's default and each team's own, as JSON. Rules in
 * lib/domain/business_hours.ts; stored (and audited) by lib/store/business_hours.ts.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, rejectOverlongIds, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import { businessHoursSchema } from "../lib/domain/business_hours.ts";
import {
  getDefaultHours,
  getTeamHours,
  setDefaultHours,
  setTeamHours,
} from "../lib/store/business_hours.ts";
import { listTeams } from "../lib/store/teams.ts";

/** `PUT /api/v1/admin/business-hours`: the default hours. */
export const defaultHoursBody = z.object({ hours: businessHoursSchema }).strict();
/** `PUT /api/v1/admin/teams/:id/business-hours`: the team's own hours, or null to follow the default. */
export const teamHoursBody = z.object({ hours: businessHoursSchema.nullable() }).strict();

export function businessHoursApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;
  app.use("/api/v1/admin/business-hours", requireRole("admin"));
  app.use("/api/v1/admin/teams/:id/business-hours", requireRole("admin"), rejectOverlongIds());

  app.get("/api/v1/admin/business-hours", async (c) => {
    const teams = await listTeams(kv);
    const own = await Promise.all(teams.map((t) => getTeamHours(kv, t.id)));
    return c.json({
      default: await getDefaultHours(kv),
      teams: teams.map((t, i) => ({ teamId: t.id, name: t.name, hours: own[i] })),
    });
  });

  app.put("/api/v1/admin/business-hours", async (c) => {
    const { hours } = await parseJsonBody(c, defaultHoursBody);
    return c.json({ hours: await setDefaultHours(engine, hours, currentAgent(c)) });
  });

  app.put("/api/v1/admin/teams/:id/business-hours", async (c) => {
    const { hours } = await parseJsonBody(c, teamHoursBody);
    return c.json({
      teamId: c.req.param("id"),
      hours: await setTeamHours(engine, c.req.param("id"), hours, currentAgent(c)),
    });
  });

  return app;
}
