/** The admin JSON API. Every route here requires the admin role. */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import { adminCreateAgent, createAgentRequestSchema } from "../lib/admin/agents.ts";

/** `POST /api/v1/admin/agents` (the rest of the admin API is in admin_console_api.ts). */
export function adminApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/v1/admin/*", requireRole("admin"));

  app.post("/api/v1/admin/agents", async (c) => {
    const input = await parseJsonBody(c, createAgentRequestSchema);
    const created = await adminCreateAgent(deps, currentAgent(c), input);
    return c.json(created, 201);
  });

  return app;
}
