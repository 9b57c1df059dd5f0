/**
 * The admin JSON API for integrations' API keys: list, create (the token is in this answer only),
 * revoke. Admin role only; rules in lib/store/api_keys.ts.
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import {
  API_SCOPES,
  apiKeyInputSchema,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "../lib/store/api_keys.ts";

export function apiKeyAdminRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;
  app.use("/api/v1/admin/api-keys", requireRole("admin"));
  app.use("/api/v1/admin/api-keys/*", requireRole("admin"));

  app.get("/api/v1/admin/api-keys", async (c) => {
    return c.json({ items: await listApiKeys(kv), scopes: API_SCOPES });
  });

  app.post("/api/v1/admin/api-keys", async (c) => {
    const input = await parseJsonBody(c, apiKeyInputSchema);
    const created = await createApiKey(engine, input, currentAgent(c));
    c.header("cache-control", "no-store");
    return c.json(created, 201);
  });

  app.post("/api/v1/admin/api-keys/:id/revoke", async (c) => {
    return c.json({ apiKey: await revokeApiKey(engine, c.req.param("id"), currentAgent(c)) });
  });

  return app;
}
