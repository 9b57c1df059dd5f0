/**
 * Languages in real Chromium: an agent switches the workspace to Spanish in
 * the header and every part they use speaks it (header, lists, conversation
 * pane, composer, side panels, system lines) and the admin console does
 * (navigation, agents, routing), with dates written the Spanish way by `Intl`;
 * the choice sticks across reloads and sessions.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { openAs, rows, seriousViolations, Visitor } from "./workspace_helpers.ts";
import { getAgent } from "../lib/store/agents.ts";

const SPANISH_MEDIUM_DATE =
  /^\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic) \d{4}, \d{1,2}:\d{2}$/;

const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);

Deno.test("[i18n] browser: an agent switches to Spanish and the workspace speaks it", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const ana = await app.createStaff("admin", { name: "Ana Admin" });
    const { page } = await openAs(browser, app.url, ana);
    const live = () => page.getByRole("status").filter({ hasText: "En directo" }).waitFor();

    await t.step("the header's Language picker switches the page to Spanish", async () => {
      assert.equal(await lang(page), "en");
      // Choosing saves it and reloads the page in the new language.
      await Promise.all([
        page.waitForEvent("load"),
        page.getByLabel("Language").selectOption("es"),
      ]);
      await live();
      assert.equal(await lang(page), "es");
      assert.equal((await getAgent(app.kv, ana.agent.id))?.locale, "es");
      await page.getByRole("button", { name: "Cerrar sesión" }).waitFor();
      await page.getByRole("link", { name: "Administración" }).waitFor();
      assert.equal(await page.getByLabel("Idioma").inputValue(), "es");
      const status = page.getByLabel("Estado", { exact: true });
      assert.match(await status.locator("option[value=online]").textContent() ?? "", /En línea/);
      await page.getByRole("button", { name: /^Sonido/ }).waitFor();
    });

    await t.step("lists: tabs, empty states and rows in Spanish", async () => {
      await page.getByRole("tab", { name: /^Pendientes/ }).click();
      await page.getByText("No hay nadie esperando.").waitFor();
      await page.getByRole("tab", { name: /^Activos/ }).click();
      await page.getByText("No hay chats activos.", { exact: false }).waitFor();
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/api/v1/me/status")),
        page.getByLabel("Estado", { exact: true }).selectOption("online"),
      ]);
      const vera = await new Visitor(app).start("Vera Visitante");
      await vera.say("Hola, necesito ayuda");
      await rows(page).filter({ hasText: "Hola, necesito ayuda" }).waitFor();
      await page.getByRole("list", { name: "Conversaciones activas" }).waitFor();
    });

    await t.step("the pane and the composer speak Spanish; system lines too", async () => {
      await rows(page).filter({ hasText: "Vera Visitante" }).getByRole("link").click();
      const log = page.getByRole("list", { name: "Mensajes" }).last();
      await log.getByText("Hola, necesito ayuda").waitFor();
      await log.getByText("Ana Admin se unió a la conversación.").waitFor();
      for (const name of ["Transferir", "Devolver a la cola", "Cerrar chat", "Contacto"]) {
        await page.getByRole("button", { name, exact: true }).waitFor();
      }
      const composer = page.getByRole("textbox", { name: "Mensaje" });
      assert.match(await composer.getAttribute("placeholder") ?? "", /Escribe una respuesta/);
      await page.getByRole("button", { name: "Respuestas rápidas" }).waitFor();
      await composer.fill("¡Hola Vera! Ya te ayudo.");
      await page.getByRole("button", { name: "Enviar", exact: true }).click();
      await log.locator("li", { hasText: "¡Hola Vera!" }).locator('[data-delivery="sent"]')
        .filter({ hasText: "Enviado" }).waitFor();
      assert.deepEqual(await seriousViolations(page), []);
    });

    await t.step("the Contact panel writes dates the Spanish way (Intl)", async () => {
      await page.getByRole("button", { name: "Contacto", exact: true }).click();
      const panel = page.getByRole("complementary", { name: "Contacto" });
      const firstSeen = panel.getByTestId("contact-facts").locator("div")
        .filter({ has: page.locator("dt", { hasText: "Visto por primera vez" }) }).locator("dd");
      await firstSeen.waitFor();
      const text = (await firstSeen.textContent())?.trim() ?? "";
      assert.match(text, SPANISH_MEDIUM_DATE);
      await panel.getByRole("heading", { name: "Contexto" }).waitFor();
      await panel.getByRole("button", { name: "Ocultar" }).click();
    });

    await t.step("closing: the wrap-up form and the Closed list in Spanish", async () => {
      await page.getByRole("button", { name: "Cerrar chat", exact: true }).click();
      await page.getByLabel("Notas").fill("Resuelto");
      await page.getByRole("button", { name: "Cerrar con este cierre" }).click();
      await page.getByRole("tab", { name: /^Cerrados/ }).click();
      await rows(page).filter({ hasText: "Vera Visitante" }).waitFor();
    });

    await t.step("the admin console speaks Spanish too", async () => {
      await page.getByRole("link", { name: "Administración" }).click();
      await page.waitForURL(/\/admin/);
      assert.equal(await lang(page), "es");
      const nav = page.getByRole("navigation", { name: "Administración" });
      await nav.getByRole("link", { name: "Agentes" }).click();
      await page.getByRole("heading", { level: 1, name: "Agentes" }).waitFor();
      await page.getByRole("heading", { name: "Añadir un agente" }).waitFor();
      await page.getByRole("columnheader", { name: "Rol" }).waitFor();
      await page.getByRole("button", { name: "Añadir agente" }).waitFor();
      await nav.getByRole("link", { name: "Enrutamiento" }).click();
      await page.getByRole("heading", { name: "Ajustes de enrutamiento" }).waitFor();
      await page.getByLabel("Asignación dinámica").waitFor();
      await page.getByRole("button", { name: "Guardar ajustes" }).click();
      await page.getByRole("status").filter({ hasText: "Cambios guardados." }).waitFor();
      assert.deepEqual(await seriousViolations(page), []);
      await page.getByRole("link", { name: "Espacio de trabajo" }).click();
      await live();
    });

    await t.step("the choice holds after a reload and in a new session", async () => {
      await page.reload();
      await live();
      assert.equal(await lang(page), "es");
      // Another browser (English) signed in as Ana: still Spanish, her choice beats the browser's.
      const ctx = await browser.newContext({ locale: "en-US" });
      const [name, value] = ana.cookie.split("=");
      await ctx.addCookies([{ name, value, url: app.url }]);
      const other = await ctx.newPage();
      await other.goto(app.url + "/");
      assert.equal(await lang(other), "es");
      await other.getByRole("button", { name: "Cerrar sesión" }).waitFor();
      await ctx.close();
    });
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
