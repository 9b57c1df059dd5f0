/**
 * Security: Parley's own pages keep to their Content-Security-Policy (no
 * inline styles or scripts without the nonce). Opening a conversation, from
 * the list and from its own address, reports no CSP violation in Chromium.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { log, openAs, rows, tab, Visitor } from "./workspace_helpers.ts";

Deno.test("[security] browser: opening a conversation breaks no CSP rule", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const sue = await app.createStaff("supervisor", { name: "Sue Supervisor" });
    const visitor = await new Visitor(app).start("Carla Customer");
    await visitor.say("Hello, my parcel is late");
    const violations: string[] = [];
    const s = await openAs(browser, app.url, sue);
    s.page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await s.ctx.exposeFunction(
      "reportCspViolation",
      (what: string) => violations.push(what),
    );
    await s.ctx.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        const report = (globalThis as unknown as { reportCspViolation(s: string): void })
          .reportCspViolation;
        report(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`);
      });
    });

    // From the list (the island opens it), then from its own address (server-rendered).
    await s.page.reload();
    await tab(s.page, "Pending").click();
    const row = rows(s.page).filter({ hasText: "Carla Customer" }).first();
    await row.getByRole("link").click();
    await log(s.page).getByText("Hello, my parcel is late").waitFor();
    const href = await row.getByRole("link").getAttribute("href");
    assert.ok(href);
    await s.page.goto(app.url + href);
    await log(s.page).getByText("Hello, my parcel is late").waitFor();
    // Let any late report arrive: the violation event is dispatched asynchronously.
    await s.page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.deepEqual(violations, []);
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
