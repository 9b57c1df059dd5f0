/**
 * Inactivity (issue 16, item 2) as people see it, in real Chromium against a
 * real server and KV: the agent's countdown after a reply, the warning in the
 * visitor's widget (in the visitor's language), and a customer reply stopping it.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { createSite } from "../lib/store/sites.ts";
import { runInactivityJob } from "../lib/store/engine/mod.ts";
import { detail, startHost, until } from "./widget_host.ts";
import { log, openAs, rows, send, seriousViolations, setStatus } from "./workspace_helpers.ts";

Deno.test("[inactivity] browser: the agent sees the countdown, the visitor gets the warning, a reply stops it", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const ada = await app.createStaff("admin", { name: "Ada Admin" });
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const saved = await app.api("PUT", "/api/v1/admin/settings", {
      as: ada,
      body: { inactivityWarnSeconds: 60, inactivityCloseSeconds: 120 },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const site = await createSite(app.engine, { name: "Tienda", allowedOrigins: [host.origin] });
    const a = await openAs(browser, app.url, ana);
    await setStatus(a.page, "online");

    // A Spanish-speaking visitor (the browser's language) writes from the widget.
    const ctx = await browser.newContext({ locale: "es-ES" });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(host.url({ siteKey: site.siteKey }));
    // The widget speaks the visitor's browser language (Spanish) too.
    const w = {
      launcher: page.getByRole("button", { name: "Abrir chat" }),
      input: page.getByLabel("Mensaje", { exact: true }),
      log: page.getByRole("log", { name: "Mensajes" }),
    };
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    await w.launcher.click();
    await w.input.fill("Hola, ¿dónde está mi pedido?");
    await w.input.press("Enter");

    await rows(a.page).filter({ hasText: "¿dónde está mi pedido?" }).getByRole("link").click();
    await log(a.page).getByText("Hola, ¿dónde está mi pedido?").waitFor();
    const timer = a.page.getByRole("timer");
    assert.equal(await timer.count(), 0, "no countdown before the agent replies");
    await send(a.page, "¿Me da el número de pedido?");
    await w.log.getByText("¿Me da el número de pedido?").waitFor();

    // The countdown: 60 s to the warning + 120 s after it, shown as minutes and seconds.
    await timer.waitFor();
    assert.match(await timer.innerText(), /^Closes for inactivity in (3:00|2:[0-5]\d)$/);
    assert.notEqual(await timer.getAttribute("aria-live"), "polite", "not announced every second");
    assert.deepEqual(await seriousViolations(a.page), [], "pane with the countdown");

    // The warning job comes due (run now instead of waiting a minute; the queue's own copy
    // finds it done later and does nothing).
    const active = await app.api("GET", "/api/v1/conversations?status=active", { as: ana });
    const conv = await detail(app, ana, active.body.items[0].id);
    const seq = conv.inactivity.seq;
    const warned = await runInactivityJob(
      app.engine,
      { conversationId: conv.id, seq, step: "warn" },
      Date.parse(conv.inactivity.warnAt),
    );
    assert.equal(warned, "warned");
    await w.log.getByText(/¿Sigues ahí\? Este chat se cerrará pronto/).waitFor();
    await log(a.page).getByText(/¿Sigues ahí\?/).waitFor();
    await a.page.getByRole("timer").filter({
      hasText: /^Customer warned · Closes for inactivity in (2:00|1:[0-5]\d)$/,
    })
      .waitFor();
    await until(
      "the warning announced once",
      async () => /warned for inactivity/.test(await a.page.locator("#announcer").innerText()),
    );

    // The visitor answers: the countdown goes away.
    await w.input.fill("Sí, es el 4411");
    await w.input.press("Enter");
    await log(a.page).getByText("Sí, es el 4411").waitFor();
    await timer.waitFor({ state: "detached" });
    const after = await detail(app, ana, conv.id);
    assert.equal(after.status, "active");
    assert.equal(after.inactivity, null);
    await ctx.close();
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
