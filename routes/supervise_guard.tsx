/**
 * The supervision pages' guard (`/supervise*`): signed-out visitors are sent
 * to sign in; agents get a 403 page (the JSON routes use requireRole).
 */
import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { renderPage } from "../lib/http/render.ts";
import { isSupervisor } from "../lib/domain/permissions.ts";
import { Layout } from "../components/Layout.tsx";
import { t } from "../lib/i18n/mod.ts";

export function supervisePageGuard(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function supervisePageGuard(c, next) {
    const agent = c.get("agent");
    if (!agent) return c.redirect("/login");
    if (!isSupervisor(agent.role)) {
      return renderPage(
        c,
        <Layout title={t("supervise.forbiddenTitle")} assets={deps.assets} scripts={false}>
          <main class="p-6">
            <h1 class="text-xl font-semibold mb-2">{t("supervise.forbidden")}</h1>
            <p class="mb-4">{t("supervise.forbiddenWhy")}</p>
            <a href="/" class="underline text-brand-700">{t("supervise.back")}</a>
          </main>
        </Layout>,
        403,
      );
    }
    await next();
  };
}
