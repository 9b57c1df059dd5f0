/**
 * The live supervision dashboard: the page `/supervise` (server-rendered,
 * then the SupervisorDashboard island keeps it live over the event stream)
 * and `GET /api/v1/supervision/dashboard` (the same state as JSON, which the
 * island reloads). Figures: lib/reports/dashboard.ts.
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseQuery } from "../lib/http/parse_request.ts";
import { renderPage } from "../lib/http/render.ts";
import { publicAgent } from "../lib/store/agents.ts";
import {
  dashboardQuerySchema,
  dashboardState,
  DEFAULT_SLOW_AFTER_S,
} from "../lib/reports/dashboard.ts";
import { SuperviseLayout } from "../components/reports/SuperviseLayout.tsx";
import { Island } from "../components/Island.tsx";
import SupervisorDashboard from "../islands/SupervisorDashboard.tsx";
import { supervisePageGuard } from "./supervise_guard.tsx";
import { t } from "../lib/i18n/mod.ts";

const THRESHOLDS = [30, 60, 120, 300, 600];

export function superviseDashboardRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/supervise", supervisePageGuard(deps));
  app.use("/api/v1/supervision/*", requireRole("supervisor", "admin"));

  app.get("/supervise", async (c) => {
    const parsed = dashboardQuerySchema.safeParse(c.req.query());
    const slowAfter = (parsed.success ? parsed.data.slowAfter : undefined) ?? DEFAULT_SLOW_AFTER_S;
    const initial = await dashboardState(deps.kv, { slowAfterSeconds: slowAfter });
    return renderPage(
      c,
      <SuperviseLayout
        title={t("supervise.dashboard")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/supervise"
      >
        <form method="get" action="/supervise" class="flex items-end gap-2 mb-4 text-sm">
          <label for="slowAfter" class="font-medium">{t("supervise.slowAfter")}</label>
          <select id="slowAfter" name="slowAfter" class="border border-gray-300 rounded px-2 py-1">
            {[...new Set([...THRESHOLDS, slowAfter])].sort((a, b) => a - b).map((s) => (
              <option key={s} value={String(s)} selected={s === slowAfter}>
                {t("supervise.seconds", { n: s })}
              </option>
            ))}
          </select>
          <button type="submit" class="border border-gray-300 bg-white rounded px-3 py-1">
            {t("supervise.apply")}
          </button>
        </form>
        <Island name="SupervisorDashboard" component={SupervisorDashboard} props={{ initial }} />
      </SuperviseLayout>,
    );
  });

  app.get("/api/v1/supervision/dashboard", async (c) => {
    const { slowAfter } = parseQuery(c, dashboardQuerySchema);
    return c.json(await dashboardState(deps.kv, { slowAfterSeconds: slowAfter }));
  });
  return app;
}
