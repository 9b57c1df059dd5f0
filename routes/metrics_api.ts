/**
 * Supervision figures for supervisors and admins: `GET /api/v1/metrics`
 * (rules and shapes in lib/reports/metrics_report.ts; the counters are kept
 * by the engine, lib/store/engine/metrics.ts).
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { requireRole } from "../lib/http/middleware.ts";
import { parseQuery } from "../lib/http/parse_request.ts";
import { metricsQuerySchema, metricsReport } from "../lib/reports/metrics_report.ts";

export function metricsApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/v1/metrics", requireRole("supervisor", "admin"));
  app.get(
    "/api/v1/metrics",
    async (c) => c.json(await metricsReport(deps.kv, parseQuery(c, metricsQuerySchema))),
  );
  return app;
}
