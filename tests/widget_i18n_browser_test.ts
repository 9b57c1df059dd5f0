/**
 * The widget's languages and dark mode in real Chromium on a host website: a
 * Portuguese browser gets the chat in Portuguese, the satisfaction survey
 * included (its words load from
 * /widget-more.js before the chat shows, and the page's calls made meanwhile
 * are kept), the site's `data-lang` wins over the browser, and a dark system
 * setting gives a dark chat with no serious axe findings.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { createSite } from "../lib/store/sites.ts";
import { seriousViolations } from "./workspace_helpers.ts";
import { detail, startHost, until } from "./widget_host.ts";

const panelBackground = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector("parley-chat")!.shadowRoot!;
    return getComputedStyle(root.querySelector(".p")!).backgroundColor;
  });

Deno.test("[widget] browser: a Portuguese browser gets the chat in Portuguese, system lines too", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, { name: "Loja", allowedOrigins: [host.origin] });
    const sam = await app.createStaff("supervisor", { name: "Sam Atendente" });
    const online = await app.api("PUT", "/api/v1/me/status", {
      as: sam,
      body: { status: "online" },
    });
    assert.equal(online.status, 200);
    const admin = await app.createStaff("admin");
    const survey = await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { surveyMode: "csat_nps", surveyComment: true },
    });
    assert.equal(survey.status, 200);
    const ctx = await browser.newContext({ locale: "pt-BR" });
    const page = await ctx.newPage();
    // The documented snippet: the stub and an addContext call before the script loads.
    await page.goto(host.url({ siteKey: site.siteKey }));
    const launcher = page.getByRole("button", { name: "Abrir chat" });
    await launcher.click();
    const input = page.getByLabel("Mensagem", { exact: true });
    assert.equal(await input.getAttribute("placeholder"), "Escreva uma mensagem…");
    await input.fill("Olá, preciso de ajuda");
    await page.getByRole("button", { name: "Enviar" }).click();
    // Sam is Online: the chat is his at once, and the widget says so in Portuguese.
    await page.getByText("Sam Atendente entrou no chat.").waitFor();
    await page.getByText("Você está conversando com Sam Atendente.").waitFor();
    const list = await app.api("GET", "/api/v1/conversations?status=active", { as: sam });
    const conv = list.body.items[0];
    const stored = await detail(app, sam, conv.id);
    assert.equal(stored.context.CUSTOM_KEY1, "value-before-load", "the stub's call was kept");
    assert.equal(stored.context.language, "pt-BR");
    const closed = await app.api("POST", `/api/v1/conversations/${conv.id}/close`, {
      as: sam,
      body: { notes: "Resolvido" },
    });
    assert.equal(closed.status, 200);
    await page.getByText("Esta conversa foi encerrada.").waitFor();
    await page.getByRole("button", { name: "Iniciar uma nova conversa" }).waitFor();
    // The satisfaction survey asks in Portuguese too, and says its refusals in Portuguese.
    const form = page.getByRole("form", { name: "Como foi esta conversa?" });
    await form.waitFor();
    await form.getByText("Qual a probabilidade de você nos recomendar?", { exact: false })
      .waitFor();
    await form.getByLabel("Algo a acrescentar? (opcional)").waitFor();
    await form.getByRole("button", { name: "Enviar avaliação" }).click();
    await form.getByRole("alert").filter({ hasText: "Escolha Boa ou Ruim primeiro." }).waitFor();
    await form.getByRole("radio", { name: /Boa/ }).check();
    await form.getByRole("button", { name: "Enviar avaliação" }).click();
    await page.getByRole("status").filter({ hasText: "Obrigado pela sua avaliação!" }).waitFor();
    assert.equal((await detail(app, sam, conv.id)).csat.rating, "ok");
    // The launcher and the panel's × both say "Fechar chat" while it is open.
    assert.equal(await page.getByRole("button", { name: "Fechar chat" }).count(), 2);
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en", "host untouched");
    await ctx.close();
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});

Deno.test("[widget] browser: the site's data-lang wins over the browser; one tag without the stub", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, { name: "Tienda", allowedOrigins: [host.origin] });
    const ctx = await browser.newContext({ locale: "pt-BR" });
    const page = await ctx.newPage();
    await page.goto(host.url({ siteKey: site.siteKey, oneTag: true, data: { lang: "es" } }));
    await page.getByRole("button", { name: "Abrir chat" }).click();
    await page.getByLabel("Mensaje", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Enviar" }).waitFor();
    // The API is the widget's own once it runs.
    assert.equal(
      await page.evaluate(() =>
        typeof (globalThis as { Parley?: { open?: unknown } })
          .Parley?.open
      ),
      "function",
    );
    await ctx.close();
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});

Deno.test("[widget] browser: dark mode follows the system setting, light stays light; axe clean in both", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, { name: "Shop", allowedOrigins: [host.origin] });
    for (const colorScheme of ["dark", "light"] as const) {
      const ctx = await browser.newContext({ colorScheme, locale: "en-US" });
      const page = await ctx.newPage();
      await page.goto(host.url({ siteKey: site.siteKey }));
      await page.getByRole("button", { name: "Open chat" }).click();
      await page.getByLabel("Message", { exact: true }).fill("Hello in the " + colorScheme);
      await page.getByRole("button", { name: "Send" }).click();
      await page.getByText("Waiting for an agent…").waitFor();
      await until(
        "the message is stored",
        async () =>
          await page.evaluate(() =>
            !document.querySelector("parley-chat")!.shadowRoot!.querySelector(".m.me small")
          ),
      );
      assert.equal(
        await panelBackground(page),
        colorScheme === "dark" ? "rgb(31, 41, 55)" : "rgb(255, 255, 255)",
      );
      assert.deepEqual(await seriousViolations(page), [], colorScheme);
      await ctx.close();
    }
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
