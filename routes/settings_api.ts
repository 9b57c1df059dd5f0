/**
 * Routing settings for admins: `GET|PUT /api/v1/admin/settings` (rules in
 * lib/store/engine/settings.ts; changes audited by lib/admin/settings.ts).
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import { settingsUpdateSchema } from "../lib/domain/settings.ts";
import { getSettings } from "../lib/store/engine/mod.ts";
import { adminUpdateSettings } from "../lib/admin/settings.ts";

export function settingsApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/v1/admin/settings", requireRole("admin"));

  app.get("/api/v1/admin/settings", async (c) => c.json({ settings: await getSettings(deps.kv) }));

  app.put("/api/v1/admin/settings", async (c) => {
    const update = await parseJsonBody(c, settingsUpdateSchema);
    const settings = await adminUpdateSettings(deps, currentAgent(c), update); // audited
    return c.json({ settings });
  });

  return app;
}
