/**
 * The widget's additions from issue 18 (gap 5) in real Chromium, on a host
 * page of its own origin: times on messages, "Download transcript", the
 * optional pre-chat form (a site setting), full screen on a phone, and the
 * open panel remembered across a reload. The transcript and the form come
 * from the on-demand module `/widget-more.js`.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { detail, pendingConversation, startHost, until, widget } from "./widget_host.ts";
import { seriousViolations } from "./workspace_helpers.ts";
import { createSite } from "../lib/store/sites.ts";

Deno.test("[widget] browser: pre-chat form, times, transcript, phone full screen, open after reload", async (t) => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, {
      name: "Form shop",
      allowedOrigins: [host.origin],
      preChatForm: true,
    });
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const loaded: string[] = [];
    page.on("request", (r) => loaded.push(new URL(r.url()).pathname));
    await page.goto(host.url({ siteKey: site.siteKey }));
    const w = widget(page);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);

    await t.step("the pre-chat form asks for name and email first", async () => {
      await w.launcher.click();
      const email = page.getByLabel("Email");
      await email.waitFor();
      assert.equal(await w.input.isVisible(), false, "no composer until the visitor says who");
      assert.deepEqual(await seriousViolations(page), []);
      await page.getByLabel("Name").fill("Vera Visitor");
      await email.fill("not-an-email");
      await page.getByRole("button", { name: "Start chat" }).click();
      await page.getByRole("alert").filter({ hasText: "Enter a valid email address." }).waitFor();
      assert.equal(await email.getAttribute("aria-invalid"), "true");
      await email.fill("vera@example.test");
      await page.getByRole("button", { name: "Start chat" }).click();
      await w.input.waitFor();
      assert.equal(await email.count(), 0, "the form is gone");
      await w.input.fill("Hello, who answers?");
      await w.input.press("Enter");
      await w.log.getByText("Hello, who answers?").waitFor();
      const conv = await pendingConversation(app, sam);
      const d = await until("the contact carries what the form said", async () => {
        const x = await detail(app, sam, conv.id);
        return x.contact?.email === "vera@example.test" ? x : null;
      });
      assert.equal(d.contact.name, "Vera Visitor");
      await app.api("PUT", "/api/v1/me/status", { as: sam, body: { status: "busy" } });
      await app.api("POST", `/api/v1/conversations/${conv.id}/pickup`, { as: sam });
      const reply = await app.api("POST", `/api/v1/conversations/${conv.id}/messages`, {
        as: sam,
        body: { text: "Sam here, happy to help.", clientId: "s1" },
      });
      assert.equal(reply.status, 201);
      await w.log.getByText("Sam here, happy to help.").waitFor();
    });

    await t.step("each message shows its time", async () => {
      const stamp = w.log.locator(".m").filter({ hasText: "Sam here" }).locator("time");
      assert.match((await stamp.textContent()) ?? "", /\d{1,2}[:.]\d{2}/);
      assert.ok(Date.parse((await stamp.getAttribute("datetime")) ?? "") > 0);
    });

    await t.step("Download transcript saves the conversation as text", async () => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download transcript" }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^chat-transcript-\d{4}-\d{2}-\d{2}\.txt$/);
      const text = await Deno.readTextFile((await download.path())!);
      assert.match(text, /^Form shop\n/);
      assert.match(text, /You: Hello, who answers\?/);
      assert.match(text, /Sam Agent: Sam here, happy to help\./);
      assert.ok(loaded.includes("/widget-more.js"), "from the on-demand module");
      assert.equal(
        loaded.filter((p) => p === "/widget-more.js").length,
        1,
        "loaded once, reused",
      );
    });

    await t.step("a reload keeps it open; no second pre-chat form", async () => {
      await page.reload();
      await page.waitForFunction(() =>
        (window as unknown as { __ready?: boolean }).__ready === true
      );
      await w.log.getByText("Sam here, happy to help.").waitFor();
      assert.equal(await page.getByLabel("Email").count(), 0);
      await w.input.waitFor();
      // Closed before the next reload: it stays closed.
      await page.getByRole("button", { name: "Close chat" }).first().click();
      await page.reload();
      await page.waitForFunction(() =>
        (window as unknown as { __ready?: boolean }).__ready === true
      );
      await page.getByRole("button", { name: "Open chat" }).waitFor();
      assert.equal(await w.input.isVisible(), false);
    });

    await t.step("on a phone the open chat fills the screen", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await w.launcher.click();
      await w.input.waitFor();
      const box = await page.locator("parley-chat").evaluate((h) => {
        const r = h.shadowRoot!.querySelector(".p")!.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height };
      });
      assert.deepEqual(box, { x: 0, y: 0, w: 390, h: 844 });
      assert.deepEqual(await seriousViolations(page), []);
    });
    await context.close();
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
