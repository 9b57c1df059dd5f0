/**
 * The language of each request, for `t()` in lib/i18n: the signed-in agent's
 * choice, else the browser's `Accept-Language` (English when it names none we
 * speak). Held in an AsyncLocalStorage for the request, so a page and its
 * components render in it however many awaits lie between.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";
import { type Agent, setAgentLocale } from "../store/agents.ts";
import { DEFAULT_LOCALE, type Locale, negotiateLocale, setLocaleSource } from "../i18n/mod.ts";

const requestLocale = new AsyncLocalStorage<Locale>();
setLocaleSource(() => requestLocale.getStore() ?? DEFAULT_LOCALE);

/** The language a request asks for: the agent's own, else the browser's. */
export function localeFor(c: Context<AppEnv>): Locale {
  return c.get("agent")?.locale ?? negotiateLocale(c.req.header("accept-language"));
}

/** Runs the rest of the request in its language (after `loadSession`). */
export function withRequestLocale(): MiddlewareHandler<AppEnv> {
  return async function withRequestLocale(c, next) {
    await requestLocale.run(localeFor(c), next);
  };
}

/**
 * On sign-in: an agent who never chose a language keeps the one their browser
 * asks for, from then on (they can change it in the header).
 */
export async function rememberBrowserLocale(
  kv: Deno.Kv,
  c: Context<AppEnv>,
  agent: Agent,
): Promise<void> {
  if (agent.locale) return;
  agent.locale =
    (await setAgentLocale(kv, agent.id, negotiateLocale(c.req.header("accept-language"))))
      .locale;
}
