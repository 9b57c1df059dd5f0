/**
 * The admin console at `/admin` (admin role only): one guard for every page,
 * then one module per section. Signed-out visitors are sent to sign in; agents
 * and supervisors get a 403 page. The JSON API is in admin_console_api.ts.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { rejectOverlongIds } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { t } from "../lib/i18n/mod.ts";
import { Layout } from "../components/Layout.tsx";
import { adminAgentPages } from "./admin_agents.tsx";
import { adminTeamPages } from "./admin_teams.tsx";
import { adminQuickResponsePages } from "./admin_quick_responses.tsx";
import { adminAuditPages } from "./admin_audit.tsx";
import { adminSettingsPages } from "./admin_settings.tsx";
import { adminChannelPages } from "./admin_channels.tsx";
import { adminApiKeyPages } from "./admin_api_keys.tsx";
import { adminWebhookPages } from "./admin_webhooks.tsx";
import { adminHoursPages } from "./admin_hours.tsx";
import { adminPrivacyPages } from "./admin_privacy.tsx";

/** Admin pages only: redirect to sign-in when signed out, 403 page for other roles. */
export function adminPageGuard(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function adminPageGuard(c, next) {
    const agent = c.get("agent");
    if (!agent) return c.redirect("/login");
    if (agent.role !== "admin") {
      return renderPage(
        c,
        <Layout title={t("admin.denied.pageTitle")} assets={deps.assets} scripts={false}>
          <main class="p-6">
            <h1 class="text-xl font-semibold mb-2">{t("admin.denied.title")}</h1>
            <p class="mb-4">{t("admin.denied.body")}</p>
            <a href="/" class="underline text-brand-700">{t("search.back")}</a>
          </main>
        </Layout>,
        403,
      );
    }
    await next();
  };
}

/** Mounts every `/admin` page behind the admin-only guard. */
export function adminPageRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/admin", adminPageGuard(deps));
  app.use("/admin/*", adminPageGuard(deps), rejectOverlongIds());
  app.get("/admin", (c) => c.redirect("/admin/agents"));
  app.route("/", adminAgentPages(deps));
  app.route("/", adminTeamPages(deps));
  app.route("/", adminQuickResponsePages(deps));
  app.route("/", adminAuditPages(deps));
  app.route("/", adminSettingsPages(deps));
  app.route("/", adminHoursPages(deps));
  app.route("/", adminChannelPages(deps));
  app.route("/", adminApiKeyPages(deps));
  app.route("/", adminWebhookPages(deps));
  app.route("/", adminPrivacyPages(deps));
  return app;
}
