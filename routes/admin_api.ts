/** The admin JSON API. Every route here requires the admin role. */
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../lib/http/context.ts";
import { requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody } from "../lib/http/validate.ts";
import { createAgent, newAgentSchema, publicAgent } from "../lib/store/agents.ts";

export function adminApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/v1/admin/*", requireRole("admin"));

  app.post("/api/v1/admin/agents", async (c) => {
    const input = await parseJsonBody(c, newAgentSchema);
    const agent = await createAgent(deps.kv, input, deps.config.passwordIterations);
    return c.json({ agent: publicAgent(agent) }, 201);
  });

  return app;
}
