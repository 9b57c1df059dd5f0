/**
 * `GET /search?q=…` for signed-in staff: the workspace search box's answer
 * as a page, for a browser without scripts (the box is a plain form to here;
 * with scripts the island, islands/WorkspaceSearch.tsx, answers in place).
 * Same rules as `GET /api/v1/search` (lib/store/engine/search_query.ts).
 */
import { Hono } from "hono";
import { Header } from "../components/Header.tsx";
import { Layout } from "../components/Layout.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { renderPage } from "../lib/http/render.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { parseSearchQuery } from "../lib/domain/search_text.ts";
import { decodeCursor, searchConversations } from "../lib/store/engine/search_query.ts";
import { resultsSummary, toUiSearchResult } from "../lib/ui/search.ts";
import { t } from "../lib/i18n/mod.ts";
import { clockLabel } from "../lib/ui/format.ts";

export function searchPageRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/search", async (c) => {
    const agent = c.get("agent");
    if (!agent) return c.redirect("/login");
    const q = (c.req.query("q") ?? "").slice(0, 1000);
    const cursor = c.req.query("cursor");
    const parsed = parseSearchQuery(q);
    // The page's own words for a query it cannot search (the API keeps its English message).
    const problem = "code" in parsed ? t(`error.${parsed.code}`) : null;
    const page = "code" in parsed ? null : await searchConversations(deps.kv, agent, {
      query: parsed,
      cursor: cursor && decodeCursor(cursor) ? cursor : undefined,
    });
    const items = page?.items.map(toUiSearchResult) ?? [];
    const now = Date.now();
    return renderPage(
      c,
      <Layout
        title={`${t("search.label")} · ${t("app.name")}`}
        assets={deps.assets}
        scripts={false}
      >
        <Header agent={publicAgent(agent)} />
        <main class="max-w-3xl mx-auto p-4">
          <h1 class="text-lg font-semibold mb-2">{t("search.label")}</h1>
          <form method="get" action="/search" role="search" class="flex gap-2 mb-3">
            <label for="search-page-q" class="sr-only">{t("search.label")}</label>
            <input
              id="search-page-q"
              name="q"
              type="search"
              value={q}
              maxLength={200}
              class="flex-1 text-sm border border-gray-400 rounded px-2 py-1"
            />
            <button type="submit" class="text-sm border border-gray-400 rounded px-3 py-1">
              {t("search.submit")}
            </button>
          </form>
          <p class="text-sm text-gray-700 mb-2">
            {problem ?? resultsSummary(items.length, Boolean(page?.nextCursor))}
          </p>
          <ul class="divide-y divide-gray-200 bg-white border border-gray-200 rounded">
            {items.map((item) => (
              <li key={item.id} class="px-3 py-2">
                <a
                  href={`/?c=${encodeURIComponent(item.id)}&tab=${item.status}`}
                  class="font-medium underline text-brand-700"
                >
                  {item.who}
                </a>{" "}
                <span class="text-xs text-gray-700">
                  {item.where} · {item.statusLabel} · {clockLabel(item.at, now)}
                </span>
                <p class="text-sm text-gray-800 break-words">
                  {item.parts.map((p, j) => p.mark ? <mark key={j}>{p.text}</mark> : p.text)}
                </p>
              </li>
            ))}
          </ul>
          {page?.nextCursor && (
            <a
              class="inline-block mt-3 text-sm underline text-brand-700"
              href={`/search?q=${encodeURIComponent(q)}&cursor=${
                encodeURIComponent(page.nextCursor)
              }`}
            >
              {t("search.more")}
            </a>
          )}
          <p class="mt-4 text-sm">
            <a href="/" class="underline text-brand-700">{t("search.back")}</a>
          </p>
        </main>
      </Layout>,
    );
  });
  return app;
}
