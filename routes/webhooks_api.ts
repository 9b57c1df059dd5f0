/**
 * The admin JSON API for outgoing webhooks: endpoints (list, add, edit, pause, delete) and each
 * endpoint's delivery log. Admin role only; rules in lib/webhooks/endpoints.ts, delivery in
 * lib/webhooks/.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody, parseQuery } from "../lib/http/parse_request.ts";
import { notFound } from "../lib/errors.ts";
import {
  createWebhook,
  deleteWebhook,
  getStoredWebhook,
  listDeliveries,
  listWebhooks,
  updateWebhook,
  webhookInputSchema,
  webhookUpdateSchema,
} from "../lib/webhooks/endpoints.ts";
import { WEBHOOK_EVENTS } from "../lib/webhooks/events.ts";

export const deliveriesQuery = z.object({
  limit: z.string().regex(/^\d{1,3}$/, "Must be a whole number").transform(Number).pipe(
    z.number().int().min(1).max(200),
  ).optional(),
});

export function webhookAdminRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const kv = deps.kv;
  app.use("/api/v1/admin/webhooks", requireRole("admin"));
  app.use("/api/v1/admin/webhooks/*", requireRole("admin"));

  app.get("/api/v1/admin/webhooks", async (c) => {
    return c.json({ items: await listWebhooks(kv), events: WEBHOOK_EVENTS });
  });

  app.post("/api/v1/admin/webhooks", async (c) => {
    const input = await parseJsonBody(c, webhookInputSchema);
    c.header("cache-control", "no-store");
    return c.json(
      await createWebhook(deps.engine, input, currentAgent(c), deps.config.webhooks),
      201,
    );
  });

  app.put("/api/v1/admin/webhooks/:id", async (c) => {
    const patch = await parseJsonBody(c, webhookUpdateSchema);
    return c.json({
      webhook: await updateWebhook(
        deps.engine,
        c.req.param("id"),
        patch,
        currentAgent(c),
        deps.config.webhooks,
      ),
    });
  });

  app.delete("/api/v1/admin/webhooks/:id", async (c) => {
    await deleteWebhook(deps.engine, c.req.param("id"), currentAgent(c));
    return c.body(null, 204);
  });

  app.get("/api/v1/admin/webhooks/:id/deliveries", async (c) => {
    const { limit } = parseQuery(c, deliveriesQuery);
    const id = c.req.param("id");
    if (!await getStoredWebhook(kv, id)) throw notFound("Webhook");
    return c.json({ items: await listDeliveries(kv, id, limit) });
  });

  return app;
}
