/**
 * Supervision reports: the page `/supervise/reports` (filters, SVG charts,
 * tables), `GET /api/v1/reports` (the same figures as JSON) and
 * `GET /api/v1/reports/export` (each table, or the closed conversations, as
 * CSV). Rules and figures: lib/reports/.
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseQuery } from "../lib/http/parse_request.ts";
import { renderPage } from "../lib/http/render.ts";
import { AppError } from "../lib/errors.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { filterErrorText, reportFilters } from "../lib/reports/report_query.ts";
import { currentLocale, t } from "../lib/i18n/mod.ts";
import { supervisionReport } from "../lib/reports/supervision_report.ts";
import { exportQuerySchema, reportExport } from "../lib/reports/report_export.ts";
import { SuperviseLayout } from "../components/reports/SuperviseLayout.tsx";
import { ReportFilterForm, ReportView } from "../components/reports/ReportView.tsx";
import { supervisePageGuard } from "./supervise_guard.tsx";

export function superviseReportRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/supervise/reports", supervisePageGuard(deps));
  app.use("/api/v1/reports", requireRole("supervisor", "admin"));
  app.use("/api/v1/reports/*", requireRole("supervisor", "admin"));

  app.get("/supervise/reports", async (c) => {
    const raw = c.req.query();
    let errors: Record<string, string> = {};
    let report = null;
    try {
      report = await supervisionReport(deps.kv, reportFilters(raw));
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 404)) throw err;
      const fields = (err.details as { fields?: Record<string, string> } | undefined)?.fields;
      // The API's English reasons, said in the page's language.
      errors = fields
        ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, filterErrorText(v)]))
        : { [raw.agentId ? "agentId" : "teamId"]: t("reports.error.notFound") };
    }
    const fallback = report ?? await supervisionReport(deps.kv, reportFilters({}));
    return renderPage(
      c,
      <SuperviseLayout
        title={t("supervise.reports")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/supervise/reports"
      >
        <ReportFilterForm report={fallback} raw={raw} errors={errors} />
        {report ? <ReportView report={report} /> : (
          <p role="alert" class="text-red-700">
            {t("reports.cannotShow")}
          </p>
        )}
      </SuperviseLayout>,
      report ? 200 : 400,
    );
  });

  app.get("/api/v1/reports", async (c) => {
    return c.json(await supervisionReport(deps.kv, reportFilters(c.req.query())));
  });

  app.get("/api/v1/reports/export", async (c) => {
    const { table, lang } = parseQuery(c, exportQuerySchema);
    const { filename, lines } = await reportExport(
      deps.kv,
      table,
      reportFilters(c.req.query()),
      lang ?? currentLocale(),
    );
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      },
    });
  });
  return app;
}
