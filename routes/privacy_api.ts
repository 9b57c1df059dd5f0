/**
 * The admin JSON API for privacy requests (issue 16, item 6): find a contact,
 * download everything held about them, erase them. Admin role only; rules in
 * lib/admin/privacy.ts and lib/store/engine/contact_data.ts.
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, rejectOverlongIds, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody, parseQuery } from "../lib/http/parse_request.ts";
import {
  adminEraseContact,
  adminExportContact,
  contactSearchSchema,
  eraseRequestSchema,
  findContacts,
} from "../lib/admin/privacy.ts";

export function privacyApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/v1/admin/contacts", requireRole("admin"));
  app.use("/api/v1/admin/contacts/*", requireRole("admin"), rejectOverlongIds());

  app.get("/api/v1/admin/contacts", async (c) => {
    const { q } = parseQuery(c, contactSearchSchema);
    return c.json({ items: await findContacts(deps.kv, q) });
  });

  app.get("/api/v1/admin/contacts/:id/export", async (c) => {
    const id = c.req.param("id");
    const data = await adminExportContact(deps, currentAgent(c), id);
    c.header("cache-control", "no-store");
    c.header(
      "content-disposition",
      `attachment; filename="contact-${id.replace(/[^\w-]/g, "")}.json"`,
    );
    return c.json(data);
  });

  app.post("/api/v1/admin/contacts/:id/erase", async (c) => {
    await parseJsonBody(c, eraseRequestSchema);
    const { conversations } = await adminEraseContact(deps, currentAgent(c), c.req.param("id"));
    return c.json({ erased: true, conversations });
  });

  return app;
}
