/**
 * The admin console's remaining pages in real Chromium, in Portuguese (the
 * browser's language, never chosen) and Spanish (chosen on the account): an
 * admin creates an API key by keyboard and copies it, tests the WhatsApp
 * connection, and every page (API keys, webhooks, business hours, privacy,
 * routing, channels, audit log) shows its headings in the language and has
 * no serious axe violation.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { seriousViolations } from "./workspace_helpers.ts";

/** Each page with the level-1 heading and one other heading it shows, per language. */
const PAGES: { path: string; pt: [string, string]; es: [string, string] }[] = [
  {
    path: "/admin/api-keys",
    pt: ["Chaves de API", "Criar uma chave de API"],
    es: ["Claves de API", "Crear una clave de API"],
  },
  {
    path: "/admin/webhooks",
    pt: ["Webhooks", "Adicionar um webhook"],
    es: ["Webhooks", "Añadir un webhook"],
  },
  {
    path: "/admin/hours",
    pt: ["Horário de atendimento", "Padrão do espaço de trabalho"],
    es: ["Horario de atención", "Horario predeterminado del espacio de trabajo"],
  },
  {
    path: "/admin/privacy",
    pt: ["Privacidade", "Encontrar um contato"],
    es: ["Privacidad", "Buscar un contacto"],
  },
  {
    path: "/admin/settings",
    pt: ["Roteamento", "Configurações de roteamento"],
    es: ["Enrutamiento", "Ajustes de enrutamiento"],
  },
  {
    path: "/admin/channels",
    pt: ["Canais", "Modelos de mensagem do WhatsApp"],
    es: ["Canales", "Plantillas de mensajes de WhatsApp"],
  },
  {
    path: "/admin/audit",
    pt: ["Registro de auditoria", "Alterações"],
    es: ["Registro de auditoría", "Cambios"],
  },
];

Deno.test("[i18n] browser: the admin console's pages in Portuguese and Spanish, axe clean", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const joao = await app.createStaff("admin", { name: "João Admin" });
    const rosa = await app.createStaff("admin", { name: "Rosa Admin" });
    await app.api("PUT", "/api/v1/me/locale", { as: rosa, body: { locale: "es" } });
    const open = async (staff: typeof joao, locale: string) => {
      const ctx = await browser.newContext({
        locale,
        permissions: ["clipboard-read", "clipboard-write"],
      });
      const [name, value] = staff.cookie.split("=");
      await ctx.addCookies([{ name, value, url: app.url }]);
      return { ctx, page: await ctx.newPage() };
    };

    await t.step("Portuguese browser: an API key by keyboard, shown once, copied", async () => {
      const { ctx, page } = await open(joao, "pt-BR");
      try {
        await page.goto(app.url + "/admin/api-keys");
        await page.getByLabel("Nome", { exact: true }).focus();
        await page.keyboard.type("Bot do site");
        await page.getByLabel("Ler conversas").check();
        await page.getByRole("button", { name: "Criar chave" }).press("Enter");
        await page.getByRole("heading", { name: "Sua nova chave de API" }).waitFor();
        await page.getByRole("status").filter({ hasText: "Copie agora a chave de Bot do site" })
          .waitFor();
        await page.getByRole("button", { name: "Copiar Chave de API de Bot do site" }).click();
        await page.getByRole("status").filter({ hasText: "Copiado" }).waitFor();
        const row = page.locator("[data-api-key-id]").filter({ hasText: "Bot do site" });
        await row.getByText("Ativa", { exact: true }).waitFor();
        await row.getByText(/Criada em .* por João Admin · nunca usada/).waitFor();
        assert.deepEqual(await seriousViolations(page), []);
      } finally {
        await ctx.close();
      }
    });

    await t.step("Spanish account: Test connection says why, in Spanish", async () => {
      const { ctx, page } = await open(rosa, "en-US");
      try {
        await page.goto(app.url + "/admin/channels");
        await page.getByRole("button", { name: "Probar conexión" }).click();
        await page.getByTestId("whatsapp-test-result").filter({
          hasText:
            "Sin conexión: Indica primero el id del número de teléfono y el token de acceso.",
        }).waitFor();
        assert.deepEqual(await seriousViolations(page), []);
      } finally {
        await ctx.close();
      }
    });

    for (const [staff, locale, lang] of [[joao, "pt-BR", "pt"], [rosa, "en-US", "es"]] as const) {
      await t.step(
        `every remaining page in ${lang}: headings, no serious axe violation`,
        async () => {
          const { ctx, page } = await open(staff, locale);
          try {
            for (const p of PAGES) {
              await page.goto(app.url + p.path);
              const [title, section] = p[lang];
              await page.getByRole("heading", { level: 1, name: title, exact: true }).waitFor();
              await page.getByRole("heading", { level: 2, name: section, exact: true }).waitFor();
              assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
              assert.deepEqual(await seriousViolations(page), [], `${lang} ${p.path}`);
            }
          } finally {
            await ctx.close();
          }
        },
      );
    }
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
