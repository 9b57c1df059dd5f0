/**
 * Quick responses for the workspace: every signed-in staff member lists what
 * they may use (everyone's, their team's, their own) and manages their
 * personal ones. Admins manage shared ones here too, or in the admin API.
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, rejectOverlongIds, requireRole } from "../lib/http/middleware.ts";
import { parseWith } from "../lib/validate.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import { z } from "zod";
import {
  createQuickResponse,
  deleteQuickResponse,
  listUsableQuickResponses,
  quickResponseInputSchema,
  updateQuickResponse,
} from "../lib/store/quick_responses.ts";

/** The workspace quick-responses API (`/api/v1/quick-responses`). */
export function quickResponseRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;
  app.use("/api/v1/quick-responses", requireRole());
  app.use("/api/v1/quick-responses/*", requireRole(), rejectOverlongIds());

  app.get("/api/v1/quick-responses", async (c) => {
    return c.json({ items: await listUsableQuickResponses(kv, currentAgent(c)) });
  });
  // From the workspace, a new quick response is personal unless the body says otherwise.
  app.post("/api/v1/quick-responses", async (c) => {
    const raw = await parseJsonBody(c, z.looseObject({}));
    const input = parseWith(quickResponseInputSchema, { scope: "personal", ...raw });
    return c.json(
      { quickResponse: await createQuickResponse(engine, input, currentAgent(c)) },
      201,
    );
  });
  app.put("/api/v1/quick-responses/:id", async (c) => {
    const raw = await parseJsonBody(c, z.looseObject({}));
    const input = parseWith(quickResponseInputSchema, { scope: "personal", ...raw });
    const qr = await updateQuickResponse(engine, c.req.param("id"), input, currentAgent(c));
    return c.json({ quickResponse: qr });
  });
  app.delete("/api/v1/quick-responses/:id", async (c) => {
    await deleteQuickResponse(engine, c.req.param("id"), currentAgent(c));
    return c.body(null, 204);
  });
  return app;
}
