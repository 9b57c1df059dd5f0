/**
 * The admin console's remaining pages in Spanish and Portuguese, over HTTP:
 * each page rendered for an admin whose language is Spanish (chosen with
 * PUT /api/v1/me/locale) or Portuguese (never chosen: the browser's
 * Accept-Language), asserting the words a user reads and that the English
 * ones are gone. Dates and weekdays are written by Intl in the page's
 * language; the JSON API keeps its English messages.
 */
import assert from "node:assert/strict";
import { type Staff, startTestApp, type TestApp } from "./helpers.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";

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

Deno.test("[i18n] admin pages in Spanish and Portuguese: audit log, hours, privacy, settings, WhatsApp", async (t) => {
  const app = await startTestApp();
  try {
    const rosa = await app.createStaff("admin", { name: "Rosa Admin" });
    const joao = await app.createStaff("admin", { name: "João Admin" });
    await app.api("PUT", "/api/v1/me/locale", { as: rosa, body: { locale: "es" } });
    const es = (path: string) => pageText(app, path, rosa, "en-US,en;q=0.9");
    const pt = (path: string) => pageText(app, path, joao, "pt-BR,pt;q=0.9,en;q=0.5");
    const post = async (path: string, as: Staff, language: string, body: string) => {
      const res = await fetch(app.url + path, {
        method: "POST",
        redirect: "manual",
        headers: {
          cookie: as.cookie,
          origin: app.url,
          "accept-language": language,
          "content-type": "application/x-www-form-urlencoded",
        },
        body,
      });
      return { status: res.status, text: textOf(await res.text()) };
    };

    // Changes the audit log will describe.
    const team = await app.api("POST", "/api/v1/admin/teams", {
      as: rosa,
      body: { name: "Billing" },
    });
    assert.equal(team.status, 201, JSON.stringify(team.body));
    await app.api("POST", "/api/v1/admin/api-keys", {
      as: rosa,
      body: { name: "CRM sync", scopes: ["conversations:read", "contacts:manage"] },
    });
    const settings = await app.api("PUT", "/api/v1/admin/settings", {
      as: rosa,
      body: { maxChatsPerAgent: 4, dynamicAssignment: false, surveyMode: "csat" },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));

    await t.step("audit log: events, details and dates in the admin's language", async () => {
      const english = [
        "API key created",
        "Team created",
        "Routing settings changed",
        "Allows:",
        "Max chats per agent",
        "When (UTC)",
        "Everything",
        "Changed by",
        "on → off",
        "off → csat",
      ];
      const s = await es("/admin/audit");
      assertSays(s.text, [
        "Registro de auditoría",
        "Clave de API creada",
        "Equipo creado",
        "Ajustes de enrutamiento modificados",
        "Ajustes de enrutamiento",
        "Permite: Leer conversaciones, Gestionar contactos",
        "Máximo de chats por agente: 5 → 4",
        "Asignación dinámica: activado → desactivado",
        "Encuesta tras el cierre: Desactivada → Buena / Mala",
        "Cuándo (UTC)",
        "Todo",
        "Cambiado por",
        /\d{1,2} [a-z]{3,4}\.? \d{4}, \d\d:\d\d:\d\d UTC/,
      ], "es audit");
      assertNotSays(s.text, english, "es audit");
      const p = await pt("/admin/audit?targetType=api_key");
      assertSays(
        p.text,
        ["Chave de API criada", "Permite: Ler conversas, Gerenciar contatos"],
        "pt",
      );
      assertNotSays(p.text, [...english, "Equipe criada"], "pt audit (filtered)");
      const bad = await pt("/admin/audit?targetType=nonsense");
      assertSays(bad.text, ["Alguns filtros não eram válidos e foram ignorados."], "pt filters");
    });

    await t.step("business hours: weekdays by Intl, hints, errors by day", async () => {
      const english = [
        "Monday",
        "Sunday",
        "Holidays",
        "Use business hours",
        "Time zone",
        "Own hours",
      ];
      const s = await es("/admin/hours");
      assertSays(s.text, [
        "Horario de atención",
        "Usar horario de atención",
        "Zona horaria",
        "Lunes",
        "Domingo",
        "Festivos",
        "Mensaje de ausencia de WhatsApp",
        "Sigue el horario predeterminado",
        "Guardar horario de atención",
      ], "es hours");
      assertNotSays(s.text, english, "es hours");
      const p = await pt(`/admin/hours/${team.body.team.id}`);
      assertSays(p.text, [
        "Horário de Billing",
        "Seguir o padrão do espaço de trabalho",
        "Segunda-feira",
        "Feriados",
        "Salvar horário da equipe",
      ], "pt team hours");
      assertNotSays(p.text, [...english, "Follow the workspace default"], "pt team hours");
      const refused = await post(
        "/admin/hours",
        rosa,
        "en",
        "enabled=on&timeZone=Europe%2FMadrid&mon=nine+to+five",
      );
      assert.equal(refused.status, 400);
      assertSays(refused.text, [
        "Corrige los campos marcados abajo.",
        "Lunes: escribe el horario como 09:00-17:00",
      ], "es hours refusal");
    });

    await t.step("privacy: search, the erase question and its refusal", async () => {
      const r = await receiveCustomerMessage(app.engine, {
        channel: "webchat",
        contact: { webVisitorId: "v-i18n", name: "Grace Hopper", email: "grace@example.com" },
        clientId: "c1",
        text: "Hola",
      });
      const english = ["Find a contact", "Export data", "Erase…", "No contact matches"];
      const s = await es("/admin/privacy?q=grace");
      assertSays(s.text, [
        "Buscar un contacto",
        "Contactos encontrados",
        "Exportar datos (JSON)",
        "Borrar…",
      ], "es privacy");
      assertNotSays(s.text, english, "es privacy");
      const none = await pt("/admin/privacy?q=nobody-here");
      assertSays(none.text, ["Nenhum contato corresponde a “nobody-here”."], "pt privacy");
      const ask = await pt(`/admin/privacy/${r.contact.id}/erase`);
      assertSays(ask.text, [
        "Apagar Grace Hopper?",
        "1 conversa perde suas mensagens",
        "Não é possível desfazer.",
        "Baixe os dados (JSON) antes",
        "Digite ERASE para confirmar",
      ], "pt erase");
      assertNotSays(ask.text, ["cannot be undone", "Type ERASE", "Download their data"], "pt");
      const refused = await post(`/admin/privacy/${r.contact.id}/erase`, rosa, "en", "confirm=yes");
      assert.equal(refused.status, 400);
      assertSays(refused.text, [
        "Escribe ERASE para confirmar: el borrado no se puede deshacer.",
      ], "es erase refusal");
      assertNotSays(refused.text, ["Type ERASE to confirm: erasing"], "es erase refusal");
      // Grace's chat is still open: the API's 409 is worded in the page's language.
      const open = await post(
        `/admin/privacy/${r.contact.id}/erase`,
        joao,
        "pt-BR",
        "confirm=ERASE",
      );
      assert.equal(open.status, 409);
      assertSays(open.text, ["Este contato tem uma conversa aberta: encerre-a primeiro"], "pt 409");
      assertNotSays(open.text, ["close it first"], "pt 409");
    });

    await t.step("settings: inactivity, retention and survey fields", async () => {
      const english = [
        "Inactivity",
        "Warning text",
        "Retention",
        "Satisfaction survey",
        "Ask for a comment",
        "Survey after close",
        "days after the close",
      ];
      const s = await es("/admin/settings");
      assertSays(s.text, [
        "Inactividad",
        "Texto del aviso (alemán)",
        "Texto del aviso (español)",
        "Conservación",
        "Encuesta de satisfacción",
        "Pedir un comentario",
        "Desactivada",
        /De \d+ a \d+ días después del cierre/,
      ], "es settings");
      assertNotSays(s.text, english, "es settings");
      const p = await pt("/admin/settings");
      assertSays(p.text, ["Inatividade", "Texto do aviso (alemão)", "Retenção"], "pt settings");
      assertNotSays(p.text, english, "pt settings");
    });

    await t.step("WhatsApp: the form, Test connection and the templates", async () => {
      const english = [
        "Phone number id",
        "Test connection",
        "Save WhatsApp settings",
        "Not read from Meta yet",
        "Refresh templates",
        "Remove the stored",
      ];
      const s = await es("/admin/channels");
      assertSays(s.text, [
        "Id del número de teléfono",
        "Probar conexión",
        "Guardar ajustes de WhatsApp",
        "Plantillas de mensajes de WhatsApp",
        "Todavía no se han leído de Meta.",
        "Sin configurar",
      ], "es whatsapp");
      assertNotSays(s.text, english, "es whatsapp");
      const tested = await post("/admin/channels/whatsapp/test", joao, "pt-BR", "");
      assertSays(tested.text, [
        "Sem conexão: Defina primeiro o id do número de telefone e o token de acesso.",
      ], "pt test");
      assertNotSays(tested.text, ["Not connected", "Set the phone number id"], "pt test");
      const refreshed = await post("/admin/channels/whatsapp/templates/refresh", rosa, "en", "");
      assertSays(refreshed.text, [
        "Indica primero el id de la cuenta de WhatsApp Business y el token de acceso.",
      ], "es refresh");
      // The JSON API keeps its English words (a contract).
      const api = await app.api("POST", "/api/v1/admin/whatsapp/test", {
        as: rosa,
        headers: { "accept-language": "es" },
      });
      assert.match(JSON.stringify(api.body), /Set the phone number id and the access token first/);
    });
  } finally {
    await app.shutdown();
  }
});

Deno.test("[i18n] the first-run setup page speaks the browser's language", async () => {
  const app = await startTestApp();
  try {
    const get = await fetch(app.url + "/setup", { headers: { "accept-language": "pt-BR" } });
    assert.equal(get.status, 200);
    const text = textOf(await get.text());
    assertSays(text, [
      "Criar a conta de administrador",
      "Código de configuração",
      "Senha",
      "Criar conta de administrador",
    ], "pt setup");
    assertNotSays(text, ["Create the admin account", "Setup code", "Password"], "pt setup");
    const wrong = await fetch(app.url + "/setup", {
      method: "POST",
      headers: {
        origin: app.url,
        "accept-language": "es-ES",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "code=not-the-code&name=Ana&email=ana%40example.com&password=long-enough-password",
    });
    assert.equal(wrong.status, 403);
    assertSays(textOf(await wrong.text()), [
      "El código de configuración no es correcto.",
      "Crear la cuenta de administrador",
    ], "es setup refusal");
  } finally {
    await app.shutdown();
  }
});

Deno.test("[i18n] the admin frame's leftovers: the 403 page, Copy, a 404, an empty sign-in", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const agent = await app.createStaff("agent");
    await app.api("PUT", "/api/v1/me/locale", { as: agent, body: { locale: "pt" } });
    const denied = await pageText(app, "/admin/agents", agent, "en");
    assert.equal(denied.status, 403);
    assertSays(denied.text, ["Somente administradores", "Voltar ao espaço de trabalho"], "403");
    assertNotSays(denied.text, ["Admins only", "admin role"], "403");
    const sites = await pageText(app, "/admin/channels", admin, "es-ES");
    assert.match(sites.html, /<button[^>]*>Copiar<span class="sr-only">/);
    const gone = await pageText(app, "/admin/agents/no-such-agent", admin, "es-ES");
    assert.equal(gone.status, 404);
    assert.equal(gone.text, "No encontrado: puede que se haya eliminado.");
    const empty = await fetch(app.url + "/login", {
      method: "POST",
      headers: {
        origin: app.url,
        "accept-language": "es",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "email=&password=",
    });
    assert.equal(empty.status, 400);
    assertSays(
      textOf(await empty.text()),
      ["Escribe tu correo electrónico y tu contraseña."],
      "",
    );
  } finally {
    await app.shutdown();
  }
});
