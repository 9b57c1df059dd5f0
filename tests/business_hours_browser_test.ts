/**
 * Business hours in real Chromium (issue 16, item 4): out of hours the widget
 * says so before the visitor types and takes a message with an email address
 * (a bad one is refused in words, nothing sent); the agent finds the chat in
 * Pending marked "Offline message", in the list and in the conversation; an
 * admin edits the hours with the keyboard alone, a mistake named beside its
 * field. axe finds nothing serious on any of it.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { createSite } from "../lib/store/sites.ts";

import { closedToday } from "./business_hours_fixtures.ts";
import { getDefaultHours, setDefaultHours } from "../lib/store/business_hours.ts";
import { startHost, until } from "./widget_host.ts";
import { openAs, rows, seriousViolations, tab } from "./workspace_helpers.ts";

Deno.test("[hours] browser: out of hours the widget takes a message and an email; the agent sees it marked", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const admin = await app.createStaff("admin");
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });
    await setDefaultHours(app.engine, closedToday(), admin.agent);
    const site = await createSite(app.engine, { name: "Shop", allowedOrigins: [host.origin] });

    const page = await browser.newPage();
    await page.goto(host.url({ siteKey: site.siteKey }));
    await page.getByRole("button", { name: "Open chat" }).click();
    // Said before the visitor types: closed, when it opens, and the form instead of the composer.
    await page.getByText("We are closed right now. We open again", { exact: false }).waitFor();
    const message = page.getByRole("textbox", { name: "Message" });
    const email = page.getByRole("textbox", { name: "Email" });
    await message.waitFor();
    assert.equal(await page.getByRole("button", { name: "Send", exact: true }).count(), 0);
    assert.deepEqual(await seriousViolations(page), [], "axe: the offline form");

    // Keyboard only, with a bad address first: refused in words, nothing sent.
    await page.getByRole("textbox", { name: "Name" }).focus();
    await page.keyboard.type("Ann");
    await page.keyboard.press("Tab");
    await page.keyboard.type("ann-at-example");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Please call me back about invoice 42.");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").getByText("Enter a valid email address.").waitFor();
    assert.equal(await email.getAttribute("aria-invalid"), "true");
    const none = await app.api("GET", "/api/v1/conversations?status=pending", { as: sam });
    assert.equal(none.body.items.length, 0, "nothing was sent");

    await email.fill("ann@example.com");
    await page.getByRole("button", { name: "Send message" }).click();
    await page.getByRole("status").getByText(
      "Thank you! We got your message and will answer you at ann@example.com.",
    ).waitFor();
    await page.getByRole("log", { name: "Messages" })
      .getByText("Please call me back about invoice 42.").waitFor();

    // An ordinary chat waits too (a message sent through the API, not the offline form).
    const other = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
    const plain = await app.api("POST", "/api/v1/widget/messages", {
      body: { text: "An ordinary question", clientId: "plain-1" },
      headers: { authorization: `Bearer ${other.body.visitorToken}` },
    });
    assert.equal(plain.status, 201);
    assert.equal(plain.body.conversation.offlineMessage, false);

    // The agent side: Pending, marked, in the list and in the conversation; a filter for them.
    const { ctx, page: ws } = await openAs(browser, app.url, sam);
    try {
      await tab(ws, "Pending").click();
      const row = rows(ws).filter({ hasText: "Please call me back" });
      await row.getByText("Offline message").waitFor();
      await rows(ws).filter({ hasText: "An ordinary question" }).waitFor();
      assert.equal(
        await rows(ws).filter({ hasText: "An ordinary question" }).getByText("Offline message")
          .count(),
        0,
      );
      await ws.getByRole("checkbox", { name: "Offline messages only" }).check();
      await rows(ws).filter({ hasText: "An ordinary question" }).waitFor({ state: "detached" });
      assert.equal(await rows(ws).count(), 1, "only the offline message");
      await row.locator("a[data-row]").click();
      await ws.getByRole("heading", { name: "Ann" }).waitFor();
      await ws.locator("h1 ~ span", { hasText: "Offline message" }).first().waitFor();
      assert.deepEqual(await seriousViolations(ws), [], "axe: the workspace with the mark");
    } finally {
      await ctx.close();
    }
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});

Deno.test("[hours] browser: an admin sets the hours with the keyboard; a mistake is named by its field", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const admin = await app.createStaff("admin");
    const ctx = await browser.newContext();
    const [name, value] = admin.cookie.split("=");
    await ctx.addCookies([{ name, value, url: app.url }]);
    const page = await ctx.newPage();
    await page.goto(app.url + "/admin/hours");
    await page.getByRole("heading", { name: "Business hours", level: 1 }).waitFor();
    assert.deepEqual(await seriousViolations(page), [], "axe: the hours page");

    // From the switch onwards, Tab walks the fields in order: switch, time zone, Monday … Sunday.
    await page.getByRole("checkbox", { name: "Use business hours" }).focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("Europe/Madrid");
    await page.keyboard.press("Tab");
    await page.keyboard.type("09:00-13:00, 14:00-18:00"); // Monday
    await page.keyboard.press("Tab");
    await page.keyboard.type("9-17"); // Tuesday: not a time
    await page.keyboard.press("Enter");
    const tuesday = page.getByRole("textbox", { name: "Tuesday" });
    await page.getByText("Tuesday: write opening times like 09:00-17:00", { exact: false })
      .waitFor();
    assert.equal(await tuesday.getAttribute("aria-invalid"), "true");
    assert.equal(await tuesday.inputValue(), "9-17", "what was typed is kept");
    assert.equal(
      await page.getByRole("textbox", { name: "Monday" }).inputValue(),
      "09:00-13:00, 14:00-18:00",
    );
    assert.equal((await getDefaultHours(app.kv)).enabled, false, "nothing saved");
    assert.deepEqual(await seriousViolations(page), [], "axe: the page with its errors");

    await tuesday.focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("22:00-02:00");
    await page.getByRole("textbox", { name: "Holidays" }).focus();
    await page.keyboard.type("2026-12-25");
    await page.keyboard.press("Tab"); // the WhatsApp away message
    await page.keyboard.type("We are out; back at nine.");
    await page.keyboard.press("Tab"); // to the button
    await page.keyboard.press("Enter");
    await page.getByRole("status").getByText("Changes saved.").waitFor();
    const saved = await until("the hours saved", async () => {
      const h = await getDefaultHours(app.kv);
      return h.enabled ? h : null;
    });
    assert.equal(saved.timeZone, "Europe/Madrid");
    assert.deepEqual(saved.weekly.mon, [
      { from: "09:00", to: "13:00" },
      { from: "14:00", to: "18:00" },
    ]);
    assert.deepEqual(saved.weekly.tue, [{ from: "22:00", to: "02:00" }]);
    assert.deepEqual(saved.holidays, ["2026-12-25"]);
    assert.equal(saved.awayMessage, "We are out; back at nine.");
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
