/**
 * The guard against English left behind: every staff page, rendered in
 * Chromium in Spanish and in Portuguese with data in each of its sections,
 * shows none of the English catalog's texts whose translation differs
 * (lib/i18n/messages/en.ts), and no English function word ("the", "with",
 * "your"…), which catches words typed into a page that never reached the
 * catalog. Checked: every text node of the document (hidden panels, closed
 * <details>, SVG titles and summaries, options and the <title> included) and
 * the names in aria-label, placeholder, title and alt. The seeded names and
 * messages are Spanish and Portuguese, so any English found is the page's own.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { launchBrowser, type Staff, startTestApp, type TestApp } from "./helpers.ts";
import { seed } from "./i18n_guard_seed.ts";
import { CATALOGS, type Locale, translate } from "../lib/i18n/mod.ts";
import type { Plural } from "../lib/i18n/messages/types.ts";
import { createInvite } from "../lib/store/invites.ts";

const forms = (message: string | Plural): string[] =>
  typeof message === "string" ? [message] : Object.values(message) as string[];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const LETTER = "[\\p{L}\\p{N}]";

/**
 * The English texts a page in `locale` must not show: those of every key whose translation
 * differs, minus texts the language itself also uses (Portuguese says "Online" and "Total" too),
 * each as a pattern where a {placeholder} stands for any words.
 */
export function englishPatterns(locale: Locale): { text: string; pattern: RegExp }[] {
  const ownTexts = Object.values(CATALOGS[locale]).flatMap(forms);
  const own = new Set(ownTexts);
  const out: { text: string; pattern: RegExp }[] = [];
  for (const [key, message] of Object.entries(CATALOGS.en)) {
    const translated = CATALOGS[locale][key as keyof typeof CATALOGS.en];
    if (JSON.stringify(translated) === JSON.stringify(message)) continue;
    for (const text of forms(message)) {
      if (own.has(text)) continue;
      // Nothing but placeholders and punctuation ("{title} · Parley"): no words to find.
      if (text.replace(/\{\w+\}/g, "").replace(/[\s\p{P}\p{S}\d]/gu, "").length < 2) continue;
      const body = text.split(/\{\w+\}/).map(escape).join("[\\s\\S]{1,120}?");
      const start = /^\p{L}/u.test(text) ? `(?<!${LETTER})` : "";
      const end = /\p{L}$/u.test(text) ? `(?!${LETTER})` : "";
      const pattern = new RegExp(start + body + end, "u");
      // Words the language itself uses inside its own texts ("Bien / Mal (OK / KO)").
      if (ownTexts.some((t) => pattern.test(t))) continue;
      out.push({ text, pattern });
    }
  }
  return out;
}

/** English words no Spanish or Portuguese sentence has: a page showing one has English in it. */
const ENGLISH_WORDS = new RegExp(
  `(?<!${LETTER})(the|and|with|your|you|this|that|from|into|was|has|have|will|not|are|is|of|to)(?!${LETTER})`,
  "giu",
);

/** Every text of the page a person can meet: text nodes, accessible names, placeholders. */
async function pageTexts(page: Page): Promise<string> {
  return await page.evaluate(() => {
    const out: string[] = [];
    // A textarea holds what someone typed (the English warning text an admin keeps), not the UI.
    const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA"]);
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement && skip.has(n.parentElement.tagName)) continue;
      const text = (n.textContent ?? "").replace(/\s+/g, " ").trim();
      if (text) out.push(text);
    }
    for (const el of document.querySelectorAll("[aria-label],[placeholder],[title],[alt]")) {
      for (const name of ["aria-label", "placeholder", "title", "alt"]) {
        const value = el.getAttribute(name);
        if (value) out.push(value);
      }
    }
    return out.join("\n");
  });
}

/** What of English `page` shows in `locale` (empty: nothing). */
async function englishOn(page: Page, locale: Locale): Promise<string[]> {
  const text = await pageTexts(page);
  const found = englishPatterns(locale).flatMap(({ text: english, pattern }) => {
    const m = pattern.exec(text);
    if (!m) return [];
    const around = text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40);
    return [`"${english}" in «${around.replaceAll("\n", " ⏎ ")}»`];
  });
  for (const m of text.matchAll(ENGLISH_WORDS)) {
    const line = text.slice(0, m.index).split("\n").length - 1;
    found.push(`word "${m[0]}" in «${text.split("\n")[line].slice(0, 100)}»`);
  }
  return found;
}

async function signedIn(ctx: BrowserContext, app: TestApp, staff: Staff) {
  const [name, value] = staff.cookie.split("=");
  await ctx.addCookies([{ name, value, url: app.url }]);
}

Deno.test("[i18n] browser: no English is left on any staff page in Spanish or Portuguese", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const { admin, sup, ana, carla, closed, adminPages } = await seed(app);
    for (const locale of ["es", "pt"] as const) {
      for (const who of [admin, sup, ana]) {
        await app.api("PUT", "/api/v1/me/locale", { as: who, body: { locale } });
      }
      const ctx = await browser.newContext({
        locale: locale === "es" ? "es-ES" : "pt-BR",
        timezoneId: "UTC",
      });
      await ctx.clock.install();
      const page = await ctx.newPage();
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (e) => console.error(`[${locale}] page error:`, e.message));
      const word = (key: Parameters<typeof translate>[1]) => translate(locale, key);
      const check = async (what: string) => {
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale, what);
        assert.deepEqual(await englishOn(page, locale), [], `${locale} ${what}`);
      };

      await t.step(
        `${locale}: signed out: sign-in, a refused sign-in, invites, a lost page`,
        async () => {
          await page.goto(app.url + "/login");
          await check("/login");
          await page.getByLabel(word("auth.email")).fill(sup.agent.email);
          await page.getByLabel(word("auth.password")).fill("not-the-password");
          await page.getByRole("button", { name: word("auth.signIn") }).click();
          await page.getByText(word("auth.wrong")).waitFor();
          await check("/login refused");
          await page.goto(`${app.url}/invite/${await createInvite(app.kv, ana.agent.id)}`);
          await page.getByRole("heading", { name: word("invite.title") }).waitFor();
          await check("/invite/:token");
          await page.getByLabel(word("auth.password"), { exact: true }).fill("short");
          await page.getByLabel(word("invite.repeat")).fill("other");
          await page.getByRole("button", { name: word("invite.submit") }).click();
          await page.getByText(word("invite.differ")).waitFor();
          await check("/invite/:token refused");
          await page.goto(`${app.url}/invite/not-a-token`);
          await check("/invite/unknown");
          const res = await page.goto(`${app.url}/no-such-page`);
          assert.equal(res?.status(), 404);
          await check("404 page");
        },
      );

      await signedIn(ctx, app, sup);
      await t.step(
        `${locale}: the workspace, an Active chat open, each list and form`,
        async () => {
          await page.goto(`${app.url}/?c=${carla}`);
          await page.getByRole("status").filter({ hasText: word("connection.live") }).waitFor();
          await page.getByText("Gracias, ¿y el envío?").first().waitFor();
          await check("/ with an Active chat");
          await page.getByRole("button", { name: word("pane.transfer") }).first().click();
          await page.getByText(word("transfer.to")).first().waitFor();
          await check("/ transfer form");
          await page.getByRole("button", { name: word("pane.close"), exact: true }).click();
          await page.getByRole("form", { name: word("close.wrapUp") }).waitFor();
          await check("/ wrap-up form");
          await page.getByRole("tab", { name: new RegExp(`^${word("tab.pending")}`) }).click();
          await page.getByText("Bruno Costa").first().waitFor();
          await check("/ Pending");
          await page.getByRole("tab", { name: new RegExp(`^${word("tab.closed")}`) }).click();
          await page.getByText("Diego Gómez").first().waitFor();
          await check("/ Closed");
        },
      );

      await t.step(`${locale}: a closed chat's history (transfer, wrap-up, survey)`, async () => {
        await page.goto(`${app.url}/?c=${closed}&tab=closed`);
        await page.getByText("Quiero un reembolso").first().waitFor();
        await page.getByText(/Muy amables/).first().waitFor();
        await check("/ closed chat");
      });

      await t.step(`${locale}: search results, and a search too short`, async () => {
        await page.goto(`${app.url}/search?q=reembolso`);
        await page.getByText("Diego Gómez").first().waitFor();
        await check("/search");
        await page.goto(`${app.url}/search?q=x`);
        await check("/search with too little");
      });

      await t.step(
        `${locale}: the live dashboard, with a queue and chats left unanswered`,
        async () => {
          await page.goto(`${app.url}/supervise`);
          await page.getByTestId("dashboard-connection").filter({
            hasText: word("connection.live"),
          })
            .waitFor();
          await page.clock.fastForward("02:05");
          await page.getByTestId("slow-chat").nth(1).waitFor();
          await page.getByText(word("supervise.webVisitor"), { exact: true }).waitFor();
          await check("/supervise");
        },
      );

      await t.step(`${locale}: reports, and reports refusing their filters`, async () => {
        await page.goto(`${app.url}/supervise/reports`);
        await page.getByTestId("agents-table").getByText("Ana Pérez").waitFor();
        await check("/supervise/reports");
        await page.goto(`${app.url}/supervise/reports?from=2026-11-05&to=2026-11-01`);
        await page.getByText(word("reports.error.backwards")).waitFor();
        await check("/supervise/reports refused");
        await page.goto(`${app.url}/supervise/reports?teamId=nope`);
        await check("/supervise/reports unknown team");
      });

      await t.step(`${locale}: an agent sent away from the supervision pages`, async () => {
        await ctx.clearCookies();
        await signedIn(ctx, app, ana);
        const res = await page.goto(`${app.url}/supervise`);
        assert.equal(res?.status(), 403);
        await check("/supervise for an agent");
      });
      await t.step(`${locale}: every page of the admin console`, async () => {
        await ctx.clearCookies();
        await signedIn(ctx, app, admin);
        const left: string[] = [];
        for (const path of adminPages) {
          const res = await page.goto(app.url + path);
          assert.equal(res?.status(), 200, path);
          assert.equal(await page.evaluate(() => document.documentElement.lang), locale, path);
          left.push(...(await englishOn(page, locale)).map((f) => `${path}: ${f}`));
        }
        assert.deepEqual(left, [], `${locale} admin pages`);
      });
      await ctx.close();
    }

    await t.step("the same check finds the English of a page in English", async () => {
      await app.api("PUT", "/api/v1/me/locale", { as: sup, body: { locale: "en" } });
      const ctx = await browser.newContext({ locale: "en-US" });
      await signedIn(ctx, app, sup);
      const page = await ctx.newPage();
      await page.goto(`${app.url}/supervise/reports`);
      const found = await englishOn(page, "es");
      assert.ok(found.some((f) => f.startsWith('"Per day"')), found.join("\n"));
      assert.ok(found.some((f) => f.startsWith('word "the"')), "the English words too");
      await ctx.close();
    });
  } finally {
    await browser.close();
    await app.shutdown();
  }
});

Deno.test("[i18n] the guard finds English: the same check fails on an English page", () => {
  // The patterns find a sentence with its placeholders filled, whole words only.
  const find = (locale: Locale, text: string) =>
    englishPatterns(locale).filter(({ pattern }) => pattern.test(text)).map((p) => p.text);
  assert.ok(find("es", "Waiting in the queue: 3").includes("Waiting in the queue:"));
  assert.ok(find("pt", "Ana joined the conversation.").includes("{name} joined the conversation."));
  assert.deepEqual(find("es", "Agente Agentes"), [], "Agent is not found inside Agente");
  assert.deepEqual(find("pt", "Online"), [], "Portuguese says Online too");
  assert.equal("Sigues ahí y tu pedido".match(ENGLISH_WORDS), null);
  assert.ok("Abrir the chat".match(ENGLISH_WORDS));
});
