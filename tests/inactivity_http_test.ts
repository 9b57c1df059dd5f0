/** Inactivity settings over HTTP (issue 16, item 2): bounds, per-language texts, the form. */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { getSettings } from "../lib/store/engine/mod.ts";

const form = { "content-type": "application/x-www-form-urlencoded" };

Deno.test("[inactivity] settings: off by default, bounds refused with nothing changed, texts per language", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const agent = await app.createStaff("agent");
    const first = await app.api("GET", "/api/v1/admin/settings", { as: admin });
    assert.equal(first.body.settings.inactivityWarnSeconds, 0, "off by default");
    assert.equal(first.body.settings.inactivityCloseSeconds, 300);
    assert.match(first.body.settings.inactivityWarningText.es, /Sigues ahí/);
    assert.match(first.body.settings.inactivityWarningText.pt, /Você ainda está aí\?/);

    for (
      const body of [
        { inactivityWarnSeconds: 5 },
        { inactivityWarnSeconds: 86_401 },
        { inactivityCloseSeconds: 0 },
        { inactivityWarnSeconds: 1.5 },
        { inactivityWarningText: { fr: "Allô ?" } },
        { inactivityWarningText: { en: "x".repeat(1001) } },
        { inactivityWarningText: "hello" },
      ]
    ) {
      const res = await app.api("PUT", "/api/v1/admin/settings", { as: admin, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(typeof res.body.error.message, "string");
    }
    assert.deepEqual(await getSettings(app.kv), first.body.settings, "nothing changed");
    const denied = await app.api("PUT", "/api/v1/admin/settings", {
      as: agent,
      body: { inactivityWarnSeconds: 60 },
    });
    assert.equal(denied.status, 403);

    // The no-JavaScript form: seconds and one text per language.
    const saved = await app.api("POST", "/admin/settings", {
      as: admin,
      rawBody: "maxChatsPerAgent=5&dynamicAssignment=on&heartbeatGraceSeconds=60" +
        "&requeueOnOffline=on&unansweredTimeoutSeconds=120&maxTransfersPerAgent=0" +
        "&inactivityWarnSeconds=300&inactivityCloseSeconds=120" +
        `&inactivityWarningText.es=${encodeURIComponent("¿Hola? Cerramos pronto.")}` +
        "&inactivityWarningText.en=&inactivityWarningText.de=Hallo%3F",
      headers: form,
    });
    assert.equal(saved.status, 303, typeof saved.body === "string" ? saved.body : "");
    const s = await getSettings(app.kv);
    assert.equal(s.inactivityWarnSeconds, 300);
    assert.equal(s.inactivityCloseSeconds, 120);
    assert.equal(s.inactivityWarningText.es, "¿Hola? Cerramos pronto.");
    const page = await app.api("GET", "/admin/settings", { as: admin });
    assert.match(page.body, /Cerramos pronto/);
    assert.match(page.body, /Are you still there\?/, "an empty text shows the default again");

    const bad = await app.api("POST", "/admin/settings", {
      as: admin,
      rawBody: "inactivityWarnSeconds=3&inactivityCloseSeconds=abc",
      headers: form,
    });
    assert.equal(bad.status, 400);
    for (const field of ["inactivityWarnSeconds", "inactivityCloseSeconds"]) {
      assert.match(bad.body, new RegExp(`id="f-${field}-error"`), field);
    }
    assert.equal((await getSettings(app.kv)).inactivityWarnSeconds, 300);
    const audit = await app.api("GET", "/api/v1/admin/audit?targetType=settings", { as: admin });
    assert.ok(audit.body.items[0].details.inactivityWarnSeconds, "audited");
  } finally {
    await app.shutdown();
  }
});
