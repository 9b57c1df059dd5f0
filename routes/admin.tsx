/**
 * The admin console at `/admin` (admin role only): one guard for every page,
 * then one module per section. Signed-out visitors are sent to sign in; agents
 * and supervisors get a 403 page. The JSON API is in admin_api.ts and
 * admin_console_api.ts.
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { adminPageGuard, rejectOverlongIds } from "./admin_common.tsx";
import { adminAgentPages } from "./admin_agents.tsx";
import { adminTeamPages } from "./admin_teams.tsx";
import { adminQuickResponsePages } from "./admin_quick_responses.tsx";
import { adminAuditPages } from "./admin_audit.tsx";
import { adminSettingsPages } from "./admin_settings.tsx";
import { adminChannelPages } from "./admin_channels.tsx";
import { adminApiKeyPages } from "./admin_api_keys.tsx";

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
  app.route("/", adminChannelPages(deps));
  app.route("/", adminApiKeyPages(deps));
  return app;
}
