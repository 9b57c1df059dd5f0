/** The frame of the supervision pages (dashboard, reports): navigation, who is signed in. */
import type { ComponentChildren } from "preact";
import type { Assets } from "../../lib/app_deps.ts";
import type { PublicAgent } from "../../lib/store/agents.ts";
import { Layout } from "../Layout.tsx";
import { Island } from "../Island.tsx";
import LanguagePicker from "../LanguagePicker.tsx";
import { currentLocale, t } from "../../lib/i18n/mod.ts";

const SECTIONS = [
  { href: "/supervise", label: "supervise.dashboard" },
  { href: "/supervise/reports", label: "supervise.reports" },
] as const;

export function SuperviseLayout(
  { title, assets, agent, current, children }: {
    title: string;
    assets: Assets;
    agent: PublicAgent;
    current: string;
    children: ComponentChildren;
  },
) {
  return (
    <Layout title={t("supervise.pageTitle", { title })} assets={assets}>
      <header class="flex flex-wrap items-center gap-3 px-4 py-2 bg-white border-b border-gray-200 print:hidden">
        <a href="/" class="font-semibold text-brand-600">Parley</a>
        <nav aria-label={t("supervise.nav")}>
          <ul class="flex gap-1">
            {SECTIONS.map((s) => (
              <li key={s.href}>
                <a
                  href={s.href}
                  aria-current={s.href === current ? "page" : undefined}
                  class={s.href === current
                    ? "block rounded px-3 py-1 text-sm font-medium bg-brand-50 text-brand-700"
                    : "block rounded px-3 py-1 text-sm text-gray-700 hover:bg-gray-100"}
                >
                  {t(s.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="flex items-center gap-3 ml-auto text-sm">
          <Island
            name="LanguagePicker"
            component={LanguagePicker}
            props={{ locale: currentLocale() }}
          />
          <a href="/" class="underline text-brand-700">{t("supervise.workspace")}</a>
          <span class="font-medium">{agent.name}</span>
        </div>
      </header>
      <main class="p-4 max-w-6xl">
        <h1 class="text-xl font-semibold mb-4">{title}</h1>
        {children}
      </main>
    </Layout>
  );
}
