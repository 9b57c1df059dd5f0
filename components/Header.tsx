import type { ComponentChildren } from "preact";
import type { PublicAgent } from "../lib/store/agents.ts";
import { currentLocale, t } from "../lib/i18n/mod.ts";
import { Island } from "./Island.tsx";
import LanguagePicker from "./LanguagePicker.tsx";

/**
 * The workspace header: who is signed in, a slot beside the name (the search
 * box), slots for live controls, language, and sign-out.
 */
export function Header(
  { agent, children, search }: {
    agent: PublicAgent;
    children?: ComponentChildren;
    search?: ComponentChildren;
  },
) {
  return (
    <header class="flex flex-wrap items-center gap-3 px-4 py-2 bg-white border-b border-gray-200">
      <span class="font-semibold text-brand-600">{t("app.name")}</span>
      {search}
      <div class="flex flex-wrap items-center justify-end gap-x-3 gap-y-1 ml-auto">
        {children}
        <Island
          name="LanguagePicker"
          component={LanguagePicker}
          props={{ locale: currentLocale() }}
        />
        <p class="text-sm whitespace-nowrap">
          <span class="font-medium" data-testid="agent-name">{agent.name}</span>{" "}
          <span class="text-gray-600">({t(`role.${agent.role}`)})</span>
        </p>
        {(agent.role === "supervisor" || agent.role === "admin") && (
          <>
            <a href="/supervise" class="text-sm underline text-brand-700">
              {t("header.dashboard")}
            </a>
            <a href="/supervise/reports" class="text-sm underline text-brand-700">
              {t("header.reports")}
            </a>
          </>
        )}
        {agent.role === "admin" && (
          <a href="/admin" class="text-sm underline text-brand-700">{t("header.admin")}</a>
        )}
        <form method="post" action="/logout">
          <button
            type="submit"
            class="text-sm border border-gray-300 rounded px-3 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("header.signOut")}
          </button>
        </form>
      </div>
    </header>
  );
}
