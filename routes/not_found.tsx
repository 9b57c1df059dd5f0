/**
 * The page a browser gets for an address Parley has no page at (a 404), in
 * the visitor's language, with the way back; the JSON API and static files
 * keep their own short answers (lib/http/app.ts).
 */
import type { Context } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { renderPage } from "../lib/http/render.ts";
import { Layout } from "../components/Layout.tsx";
import { AuthCard } from "../components/AuthCard.tsx";
import { t } from "../lib/i18n/mod.ts";

export function notFoundPage(deps: AppDeps) {
  return function notFoundPage(c: Context<AppEnv>): Response {
    return renderPage(
      c,
      <Layout title={t("notFound.pageTitle")} assets={deps.assets} scripts={false}>
        <AuthCard title={t("notFound.title")}>
          <p class="text-sm mb-4">{t("notFound.why")}</p>
          <a href="/" class="underline text-brand-700">{t("notFound.back")}</a>
        </AuthCard>
      </Layout>,
      404,
    );
  };
}
