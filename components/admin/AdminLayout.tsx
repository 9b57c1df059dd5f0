import type { ComponentChildren } from "preact";
import type { Assets } from "../../lib/app_deps.ts";
import type { PublicAgent } from "../../lib/store/agents.ts";
import { Layout } from "../Layout.tsx";
import { currentLocale, t } from "../../lib/i18n/mod.ts";
import { Island } from "../Island.tsx";
import LanguagePicker from "../LanguagePicker.tsx";

/** The sections of the admin console, in navigation order (labels: `admin.nav.*`). */
export const ADMIN_SECTIONS = [
  { href: "/admin/agents", label: "admin.nav.agents" },
  { href: "/admin/teams", label: "admin.nav.teams" },
  { href: "/admin/quick-responses", label: "admin.nav.quickResponses" },
  { href: "/admin/settings", label: "admin.nav.routing" },
  { href: "/admin/hours", label: "admin.nav.hours" },
  { href: "/admin/channels", label: "admin.nav.channels" },
  { href: "/admin/api-keys", label: "admin.nav.apiKeys" },
  { href: "/admin/webhooks", label: "admin.nav.webhooks" },
  { href: "/admin/privacy", label: "admin.nav.privacy" },
  { href: "/admin/audit", label: "admin.nav.audit" },
] as const;

/** The frame of every admin page: navigation, the signed-in admin, a notice, the content. */
export function AdminLayout(
  { title, assets, agent, current, notice, children }: {
    title: string;
    assets: Assets;
    agent: PublicAgent;
    current: string;
    notice?: string | null;
    children: ComponentChildren;
  },
) {
  return (
    <Layout title={t("admin.pageTitle", { title })} assets={assets}>
      <div class="min-h-screen flex flex-col">
        <header class="flex flex-wrap items-center gap-3 px-4 py-2 bg-white border-b border-gray-200">
          <a href="/admin" class="font-semibold text-brand-600">{t("admin.brand")}</a>
          <div class="flex items-center gap-3 ml-auto text-sm">
            <a href="/" class="underline text-brand-700">{t("admin.workspace")}</a>
            <Island
              name="LanguagePicker"
              component={LanguagePicker}
              props={{ locale: currentLocale() }}
            />
            <span>
              <span class="font-medium">{agent.name}</span>{" "}
              <span class="text-gray-600">({t("role.admin")})</span>
            </span>
            <form method="post" action="/logout">
              <button
                type="submit"
                class="border border-gray-300 rounded px-3 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
              >
                {t("header.signOut")}
              </button>
            </form>
          </div>
        </header>
        <div class="flex flex-1 flex-col md:flex-row">
          <nav aria-label={t("admin.nav")} class="md:w-52 bg-white border-r border-gray-200 p-3">
            <ul class="flex md:flex-col flex-wrap gap-1">
              {ADMIN_SECTIONS.map((s) => (
                <li key={s.href}>
                  <a
                    href={s.href}
                    aria-current={s.href === current ? "page" : undefined}
                    class={s.href === current
                      ? "block rounded px-3 py-2 text-sm font-medium bg-brand-50 text-brand-700"
                      : "block rounded px-3 py-2 text-sm text-gray-700 hover:bg-gray-100"}
                  >
                    {t(s.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main class="flex-1 p-4 md:p-6 max-w-5xl">
            <h1 class="text-2xl font-semibold mb-4">{title}</h1>
            {notice && (
              <p
                role="status"
                class="mb-4 text-sm text-green-900 bg-green-50 border border-green-200 rounded p-2"
              >
                {notice}
              </p>
            )}
            {children}
          </main>
        </div>
      </div>
    </Layout>
  );
}

/** A titled block of an admin page. */
export function Section(
  { title, children, id }: { title: string; children: ComponentChildren; id?: string },
) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-heading`;
  return (
    <section
      aria-labelledby={headingId}
      class="bg-white border border-gray-200 rounded-lg p-4 mb-6"
    >
      <h2 id={headingId} class="text-lg font-semibold mb-3">{title}</h2>
      {children}
    </section>
  );
}
