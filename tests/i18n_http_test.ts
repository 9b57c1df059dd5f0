/**
 * Languages over HTTP: pages speak the agent's chosen language (else the
 * browser's), the choice is stored by PUT /api/v1/me/locale or the header's
 * form, the first sign-in remembers the browser's, and API errors stay English.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { getAgent } from "../lib/store/agents.ts";

const htmlLang = (html: string) => html.match(/<html lang="([^"]*)"/)?.[1];

Deno.test("[i18n] pages follow the agent's language, else Accept-Language; errors stay English", async (t) => {
  const app = await startTestApp();
  try {
    const agent = await app.createStaff("agent");
    const page = async (path: string, headers: Record<string, string> = {}, as = agent) => {
      const res = await fetch(app.url + path, { headers: { cookie: as.cookie, ...headers } });
      return await res.text();
    };

    await t.step("an agent who never chose: the browser's language", async () => {
      const html = await page("/", { "accept-language": "pt-BR,pt;q=0.9,en;q=0.5" });
      assert.equal(htmlLang(html), "pt");
      assert.match(html, />Sair</);
      assert.equal(htmlLang(await page("/", { "accept-language": "de-DE" })), "en");
      const signedOut = await fetch(app.url + "/login", { headers: { "accept-language": "es" } });
      assert.equal(htmlLang(await signedOut.text()), "es");
    });

    await t.step("PUT /api/v1/me/locale stores the choice; it beats Accept-Language", async () => {
      const res = await app.api("PUT", "/api/v1/me/locale", { as: agent, body: { locale: "es" } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { locale: "es" });
      const html = await page("/", { "accept-language": "en-US" });
      assert.equal(htmlLang(html), "es");
      assert.match(html, />Cerrar sesión</);
      assert.match(html, /<option selected value="es" lang="es">Español/);
    });

    await t.step(
      "a language we do not speak is a 400 in English, and nothing changes",
      async () => {
        const res = await app.api("PUT", "/api/v1/me/locale", {
          as: agent,
          body: { locale: "de" },
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, "invalid");
        assert.match(res.body.error.message, /locale/);
        assert.equal((await getAgent(app.kv, agent.agent.id))?.locale, "es");
        const extra = await app.api("PUT", "/api/v1/me/locale", {
          as: agent,
          body: { locale: "pt", admin: true },
        });
        assert.equal(extra.status, 400);
        assert.equal((await getAgent(app.kv, agent.agent.id))?.locale, "es");
        const anonymous = await app.api("PUT", "/api/v1/me/locale", { body: { locale: "pt" } });
        assert.equal(anonymous.status, 401);
      },
    );

    await t.step("the header's form (no scripts) sets it and goes back to the page", async () => {
      const res = await fetch(app.url + "/workspace/language", {
        method: "POST",
        redirect: "manual",
        headers: {
          cookie: agent.cookie,
          origin: app.url,
          referer: app.url + "/admin/agents",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "locale=pt",
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/admin/agents");
      assert.equal((await getAgent(app.kv, agent.agent.id))?.locale, "pt");
      const bad = await fetch(app.url + "/workspace/language", {
        method: "POST",
        redirect: "manual",
        headers: {
          cookie: agent.cookie,
          origin: app.url,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "locale=xx",
      });
      assert.equal(bad.status, 303);
      assert.match(bad.headers.get("location") ?? "", /notice=/);
      assert.equal((await getAgent(app.kv, agent.agent.id))?.locale, "pt");
    });

    await t.step(
      "signed out: the sign-in page and its refusal in the browser's language",
      async () => {
        const get = await fetch(app.url + "/login", { headers: { "accept-language": "pt-BR" } });
        const html = await get.text();
        assert.match(html, /<button[^>]*>Entrar<\/button>/);
        assert.match(html, /<label[^>]*>Senha<\/label>/);
        const post = await fetch(app.url + "/login", {
          method: "POST",
          headers: {
            origin: app.url,
            "accept-language": "pt-BR",
            "content-type": "application/x-www-form-urlencoded",
          },
          body: `email=${encodeURIComponent(agent.agent.email)}&password=wrong-password`,
        });
        assert.equal(post.status, 401);
        assert.match(await post.text(), /O e-mail ou a senha estão incorretos\./);
        // The JSON API keeps its English message (a contract), whatever the browser speaks.
        const api = await app.api("POST", "/api/v1/auth/login", {
          body: { email: agent.agent.email, password: "wrong-password" },
          headers: { "accept-language": "pt-BR" },
        });
        assert.equal(api.status, 401);
        assert.equal(api.body.error.message, "The email or password is wrong.");
      },
    );

    await t.step(
      "the first sign-in remembers the browser's language; later ones keep it",
      async () => {
        const fresh = await app.createStaff("supervisor");
        const signIn = (lang: string) =>
          app.api("POST", "/api/v1/auth/login", {
            body: { email: fresh.agent.email, password: fresh.password },
            headers: { "accept-language": lang },
          });
        assert.equal((await signIn("es-MX,es;q=0.9")).status, 200);
        assert.equal((await getAgent(app.kv, fresh.agent.id))?.locale, "es");
        assert.equal((await signIn("pt-BR")).status, 200);
        assert.equal((await getAgent(app.kv, fresh.agent.id))?.locale, "es");
      },
    );
  } finally {
    await app.shutdown();
  }
});

Deno.test("[i18n] sign-in refusals, a lost page and a search too short in the visitor's language", async () => {
  const app = await startTestApp();
  try {
    const agent = await app.createStaff("agent");
    const post = (body: string, lang: string) =>
      fetch(app.url + "/login", {
        method: "POST",
        redirect: "manual",
        headers: {
          origin: app.url,
          "accept-language": lang,
          "content-type": "application/x-www-form-urlencoded",
        },
        body,
      });
    let res = await post("email=&password=", "es");
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Escribe tu correo electrónico y tu contraseña\./);
    res = await post(`email=${encodeURIComponent(agent.agent.email)}&password=wrong`, "pt-BR");
    assert.equal(res.status, 401);
    assert.match(await res.text(), /O e-mail ou a senha/);

    res = await fetch(app.url + "/nowhere/at/all", { headers: { "accept-language": "pt-BR" } });
    assert.equal(res.status, 404);
    const html = await res.text();
    assert.equal(htmlLang(html), "pt");
    assert.match(html, /<title>Página não encontrada · Parley<\/title>/);
    assert.match(html, /href="\/"/);
    res = await fetch(app.url + "/api/v1/nowhere", { headers: { "accept-language": "es" } });
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, "not_found", "the API keeps its JSON answer");
    res = await fetch(app.url + "/static/nothing.js");
    assert.equal(res.status, 404);
    assert.equal(await res.text(), "Not found", "a missing file stays a short text");

    await app.api("PUT", "/api/v1/me/locale", { as: agent, body: { locale: "es" } });
    res = await fetch(app.url + "/search?q=x", { headers: { cookie: agent.cookie } });
    assert.match(await res.text(), /Escribe al menos una palabra de 2 o más letras/);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[i18n] the first-run setup page and its refusals in the installer's language", async () => {
  const app = await startTestApp();
  try {
    const setup = async (body: Record<string, string>, lang: string) => {
      const res = await fetch(app.url + "/setup", {
        method: "POST",
        headers: { origin: app.url, "accept-language": lang },
        body: new URLSearchParams(body),
      });
      return { status: res.status, html: await res.text() };
    };
    const page = await fetch(app.url + "/setup", { headers: { "accept-language": "pt-BR" } });
    const html = await page.text();
    assert.equal(htmlLang(html), "pt");
    assert.match(html, /<title>Configurar o Parley<\/title>/);
    assert.match(html, /Criar a conta de administrador/);
    let res = await setup({ code: "", name: "", email: "nope", password: "curta" }, "es");
    assert.equal(res.status, 400);
    for (
      const text of [
        "Corrige los campos marcados abajo.",
        "Escribe el código de configuración del registro del servidor.",
        "Escribe un nombre.",
        "Escribe un correo electrónico válido.",
        "La contraseña necesita de 10 a 200 caracteres.",
      ]
    ) assert.ok(res.html.includes(text), text);
    res = await setup(
      { code: "guess", name: "Raíz", email: "raiz@example.test", password: "long-enough-1" },
      "es",
    );
    assert.equal(res.status, 403);
    assert.match(res.html, /El código de configuración no es correcto/);
  } finally {
    await app.shutdown();
  }
});
