/**
 * The admin console's remaining pages in Spanish and Portuguese, over HTTP:
 * each page rendered for an admin whose language is Spanish (chosen with
 * PUT /api/v1/me/locale) or Portuguese (never chosen: the browser's
 * Accept-Language), asserting the words a user reads and that the English
 * ones are gone. Dates are written by Intl in the page's language.
 */
import assert from "node:assert/strict";
import { type Staff, startTestApp, type TestApp } from "./helpers.ts";

/** The page's visible text, tags stripped (attributes such as labels are kept apart). */
const textOf = (html: string) =>
  html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ").replace(/&nbsp;/g, " ").replace(/\s+/g, " ");

async function pageText(
  app: TestApp,
  path: string,
  as: Staff,
  language: string,
): Promise<{ status: number; html: string; text: string }> {
  const res = await fetch(app.url + path, {
    headers: { cookie: as.cookie, "accept-language": language },
  });
  const html = await res.text();
  return { status: res.status, html, text: textOf(html) };
}

function assertSays(text: string, words: (string | RegExp)[], where: string) {
  for (const w of words) {
    if (typeof w === "string") assert.ok(text.includes(w), `${where}: "${w}" missing`);
    else assert.match(text, w, where);
  }
}

function assertNotSays(text: string, words: string[], where: string) {
  for (const w of words) assert.ok(!text.includes(w), `${where}: English "${w}" still shown`);
}

Deno.test("[i18n] admin pages in Spanish and Portuguese: API keys, webhooks", async (t) => {
  const app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: "1" });
  try {
    const rosa = await app.createStaff("admin", { name: "Rosa Admin" });
    const joao = await app.createStaff("admin", { name: "João Admin" });
    assert.equal(
      (await app.api("PUT", "/api/v1/me/locale", { as: rosa, body: { locale: "es" } })).status,
      200,
    );
    // Rosa chose Spanish: her English browser does not matter. João never chose: his browser's.
    const es = (path: string) => pageText(app, path, rosa, "en-US,en;q=0.9");
    const pt = (path: string) => pageText(app, path, joao, "pt-BR,pt;q=0.9,en;q=0.5");

    const key = await app.api("POST", "/api/v1/admin/api-keys", {
      as: rosa,
      body: { name: "CRM sync", scopes: ["conversations:read", "contacts:manage"] },
    });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    const revoked = await app.api("POST", "/api/v1/admin/api-keys", {
      as: rosa,
      body: { name: "Old bot", scopes: ["messages:write"] },
    });
    await app.api("POST", `/api/v1/admin/api-keys/${revoked.body.apiKey.id}/revoke`, { as: rosa });
    const hook = await app.api("POST", "/api/v1/admin/webhooks", {
      as: rosa,
      body: { url: "http://127.0.0.1:9/hook", events: ["conversation.closed"] },
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const year = String(new Date().getUTCFullYear());

    await t.step("API keys", async () => {
      const english = [
        "Create an API key",
        "Read conversations",
        "Manage contacts",
        "Create key",
        "never used",
        "Revoked",
        "Created ",
        "Scopes",
      ];
      const s = await es("/admin/api-keys");
      assert.equal(s.status, 200);
      assertSays(s.text, [
        "Claves de API",
        "Crear una clave de API",
        "Leer conversaciones",
        "Gestionar contactos",
        "Escribir mensajes (respuestas, notas, traspasos de bots)",
        "nunca usada",
        "Revocada",
        "Crear clave",
        "Permisos",
        // Intl: "Creada el 1 dic 2026, 14:05 UTC por Rosa Admin"
        new RegExp(`Creada el \\d{1,2} [a-z]{3,4}\\.? ${year}, \\d\\d:\\d\\d UTC por Rosa Admin`),
      ], "es api keys");
      assertNotSays(s.text, english, "es api keys");
      const p = await pt("/admin/api-keys");
      assertSays(p.text, [
        "Chaves de API",
        "Criar uma chave de API",
        "Ler conversas",
        "Gerenciar contatos",
        "Revogada",
        "Criar chave",
        new RegExp(
          `Criada em \\d{1,2} de [a-z]{3}\\.? de ${year}, \\d\\d:\\d\\d UTC por Rosa Admin`,
        ),
      ], "pt api keys");
      assertNotSays(p.text, english, "pt api keys");
    });

    await t.step("a new key's one-time notice and a form error", async () => {
      const res = await fetch(app.url + "/admin/api-keys", {
        method: "POST",
        headers: {
          cookie: rosa.cookie,
          origin: app.url,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "name=Website+bot&scope-conversations-read=on",
      });
      const text = textOf(await res.text());
      assertSays(text, ["Tu nueva clave de API", "Copia ahora la clave de Website bot"], "es new");
      const bad = await fetch(app.url + "/admin/api-keys", {
        method: "POST",
        headers: {
          cookie: joao.cookie,
          origin: app.url,
          "accept-language": "pt-BR",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "name=",
      });
      assert.equal(bad.status, 400);
      const badText = textOf(await bad.text());
      assertSays(badText, ["Corrija os campos marcados abaixo."], "pt form error");
      assertNotSays(badText, ["Please correct the fields"], "pt form error");
    });

    await t.step("webhooks: the list and an endpoint's page", async () => {
      const english = [
        "Add a webhook",
        "Endpoints",
        "Secret (optional)",
        "A conversation was closed",
        "No deliveries yet",
        "Delivery log",
        "Delete webhook",
        "All webhooks",
        "Paused",
      ];
      const s = await es("/admin/webhooks");
      assertSays(s.text, [
        "Añadir un webhook",
        "Destinos",
        "Secreto (opcional)",
        "Una conversación se cerró, con sus notas y etiquetas de cierre.",
        "Activo",
      ], "es webhooks");
      assertNotSays(s.text, english, "es webhooks");
      const one = await es(`/admin/webhooks/${hook.body.webhook.id}`);
      assert.equal(one.status, 200);
      assertSays(one.text, [
        "Registro de entregas",
        "Todavía no hay entregas.",
        "Todos los webhooks",
        "Activo (desmárcalo para pausar las entregas)",
        "Eliminar webhook",
      ], "es webhook");
      assertNotSays(one.text, english, "es webhook");
      const p = await pt(`/admin/webhooks/${hook.body.webhook.id}`);
      assertSays(
        p.text,
        ["Registro de entregas", "Ainda não há entregas.", "Excluir webhook"],
        "pt",
      );
      assertNotSays(p.text, english, "pt webhook");
    });
  } finally {
    await app.shutdown();
  }
});
