/**
 * WhatsApp through the agent's eyes, in real Chromium: a customer writes on
 * WhatsApp (signed webhooks into a real server), the agent sees the chat
 * arrive live in the workspace, opens a photo through the media proxy,
 * replies, and watches the reply go to "Read" as Meta's statuses come in;
 * a reply refused with 131047 shows why.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser } from "./helpers.ts";
import { startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { imageBody, statusBody, textBody } from "./whatsapp_fixtures.ts";
import { graphError } from "./fake_graph.ts";

const log = (page: Page) => page.getByRole("list", { name: "Messages" }).last();

Deno.test("[whatsapp] browser: a WhatsApp chat arrives live, the agent replies and sees it read", async () => {
  const wa = await startWhatsAppTestApp();
  const browser = await launchBrowser();
  try {
    const agent = await wa.app.createStaff("agent", { name: "Maya Agent" });
    await wa.app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "online" } });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name, value] = agent.cookie.split("=");
    await ctx.addCookies([{ name, value, url: wa.app.url }]);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(wa.app.url + "/");
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();

    // A customer writes, with a photo; the chat appears in the agent's list without a reload.
    const customer = { waId: "447700900555", name: "Oliver Smith" };
    wa.graph.media.set("880011", {
      bytes: new Uint8Array([0xff, 0xd8, 0xff]),
      mimeType: "image/jpeg",
    });
    await wa.postWebhook(textBody(customer, "My order #1042 has not arrived"));
    await wa.postWebhook(imageBody(customer, "880011", "The tracking page"));
    const row = page.locator("#conversation-rows li").filter({ hasText: "Oliver Smith" });
    await row.waitFor();
    await row.getByRole("link").first().click();
    await log(page).getByText("My order #1042 has not arrived").waitFor();
    await log(page).getByText("The tracking page").waitFor();

    // The photo was downloaded from Meta into Parley's store and shows as a thumbnail (Meta gave
    // no file name: it is named by its kind); Meta's media id still opens through the media proxy
    // (with the agent's session, not Meta's token).
    const photo = log(page).getByRole("img", { name: "whatsapp-image.jpg" });
    await photo.waitFor();
    assert.match(await photo.getAttribute("src") ?? "", /^\/api\/v1\/attachments\/[0-9A-Za-z]+$/);
    const media = await page.request.get(wa.app.url + "/api/v1/media/880011");
    assert.equal(media.status(), 200);
    assert.equal(media.headers()["content-type"], "image/jpeg");

    // The agent replies; Meta gets it; delivered, then read, show live.
    const reply = "Sorry, Oliver! It ships today.";
    await page.getByRole("textbox", { name: "Message" }).fill(reply);
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
    const sent = await wa.graph.waitForRequest(
      (r) => r.method === "POST" && (r.body as { text?: { body?: string } })?.text?.body === reply,
      "the agent's reply",
    );
    assert.equal((sent.body as { to: string }).to, customer.waId);
    const item = log(page).locator("li", { hasText: reply });
    await item.locator('[data-delivery="sent"]').waitFor();
    const wamid = wa.graph.wamids.at(-1)!;
    await wa.postWebhook(statusBody(wamid, "delivered", customer.waId));
    await item.locator('[data-delivery="delivered"]').waitFor();
    await wa.postWebhook(statusBody(wamid, "read", customer.waId));
    await item.locator('[data-delivery="read"]').waitFor();

    // Outside the 24-hour window Meta refuses with 131047: the agent sees why.
    wa.graph.scriptSend({
      status: 400,
      body: graphError(131047, "Re-engagement message", "More than 24 hours have passed."),
    });
    const late = "Are you still there?";
    await page.getByRole("textbox", { name: "Message" }).fill(late);
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
    const failed = log(page).locator("li", { hasText: late }).locator('[data-delivery="failed"]');
    await failed.waitFor();
    assert.match(await failed.innerText(), /24 hours since the customer's last message/i);
    assert.deepEqual(errors, [], "no script errors on the page");
    await ctx.close();
  } finally {
    await browser.close();
    await wa.shutdown();
  }
});
