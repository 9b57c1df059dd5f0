/**
 * Security: sign-in cannot be forged from another site (login CSRF), and JSON
 * routes take only `application/json` bodies (a `text/plain` form post, which
 * a foreign page may send without a preflight, is 415).
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";

Deno.test("[security] cross-site sign-in is refused and JSON routes need application/json", async (t) => {
  const app = await startTestApp();
  try {
    const staff = await app.createStaff("agent");
    const credentials = { email: staff.agent.email, password: staff.password };
    const form = new URLSearchParams(credentials).toString();
    const formType = { "content-type": "application/x-www-form-urlencoded" };

    await t.step("a foreign-origin form post to /login gets 403 and no session", async () => {
      const res = await fetch(app.url + "/login", {
        method: "POST",
        headers: { ...formType, origin: "https://evil.example" },
        body: form,
        redirect: "manual",
      });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get("set-cookie"), null);
      assert.equal((await res.json()).error.code, "forbidden");
    });

    await t.step("a cross-site post without Origin (Sec-Fetch-Site) is refused too", async () => {
      const res = await fetch(app.url + "/login", {
        method: "POST",
        headers: { ...formType, "sec-fetch-site": "cross-site" },
        body: form,
        redirect: "manual",
      });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get("set-cookie"), null);
      await res.body?.cancel();
    });

    await t.step("a foreign-origin JSON sign-in gets 403 and no session", async () => {
      const res = await app.api("POST", "/api/v1/auth/login", {
        body: credentials,
        headers: { origin: "https://evil.example" },
      });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get("set-cookie"), null);
    });

    await t.step("a text/plain JSON sign-in gets 415 and no session", async () => {
      for (const origin of [app.url, undefined]) {
        const res = await app.api("POST", "/api/v1/auth/login", {
          rawBody: JSON.stringify(credentials),
          headers: { "content-type": "text/plain", ...(origin ? { origin } : {}) },
        });
        assert.equal(res.status, 415, `origin ${origin}`);
        assert.equal(res.body.error.code, "unsupported_media_type");
        assert.equal(res.headers.get("set-cookie"), null);
      }
    });

    await t.step(
      "other JSON routes need application/json too (415), and change nothing",
      async () => {
        const res = await app.api("PUT", "/api/v1/me/status", {
          as: staff,
          rawBody: JSON.stringify({ status: "busy" }),
          headers: { "content-type": "text/plain" },
        });
        assert.equal(res.status, 415);
        const me = await app.api("GET", "/api/v1/me", { as: staff });
        assert.notEqual(me.body.status, "busy");
        const widget = await app.api("POST", "/api/v1/widget/sessions", {
          rawBody: "{}",
          headers: { "content-type": "text/plain" },
        });
        assert.equal(widget.status, 415);
      },
    );

    await t.step("own-origin and non-browser sign-ins still work", async () => {
      const own = await app.api("POST", "/api/v1/auth/login", { body: credentials });
      assert.equal(own.status, 200);
      assert.match(own.headers.get("set-cookie") ?? "", /parley_session|session/);
      const charset = await app.api("POST", "/api/v1/auth/login", {
        rawBody: JSON.stringify(credentials),
        headers: { "content-type": "application/json; charset=utf-8" },
      });
      assert.equal(charset.status, 200);
      const page = await fetch(app.url + "/login", {
        method: "POST",
        headers: { ...formType, origin: app.url, "sec-fetch-site": "same-origin" },
        body: form,
        redirect: "manual",
      });
      assert.equal(page.status, 302);
      assert.ok(page.headers.get("set-cookie"));
      await page.body?.cancel();
    });
  } finally {
    await app.shutdown();
  }
});
