/**
 * The workspace with a WhatsApp conversation, in real Chromium: signed
 * webhooks into a real server (fake Graph API on loopback), and the composer
 * following the 24-hour customer-service window.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "./helpers.ts";
import { startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { textBody } from "./whatsapp_fixtures.ts";
import { graphError } from "./fake_graph.ts";
import { log, openAs, rows, setStatus } from "./workspace_helpers.ts";

Deno.test("[workspace] browser: WhatsApp free-form replies follow the 24-hour window", async () => {
  const wa = await startWhatsAppTestApp();
  const browser = await launchBrowser();
  try {
    const agent = await wa.app.createStaff("agent", { name: "Wanda Agent" });
    const { page } = await openAs(browser, wa.app.url, agent);
    await setStatus(page, "online");
    const customer = { waId: "447700900777", name: "Olga Old" };
    // Meta's timestamp says when the customer wrote: 25 hours ago.
    const old = textBody(customer, "I wrote yesterday") as unknown as {
      entry: { changes: { value: { messages: { timestamp: string }[] } }[] }[];
    };
    old.entry[0].changes[0].value.messages[0].timestamp = String(
      Math.floor(Date.now() / 1000) - 25 * 3600,
    );
    assert.equal((await wa.postWebhook(old)).status, 200);
    const row = rows(page).filter({ hasText: "Olga Old" });
    await row.getByText("WhatsApp").waitFor();
    await row.getByRole("link").click();
    await log(page).getByText("I wrote yesterday").waitFor();
    const box = page.getByRole("textbox", { name: "Message" });
    await page.getByText(/more than 24 hours since the customer's last message/).waitFor();
    assert.equal(await box.isDisabled(), true, "free-form replies are off outside the window");
    await page.getByLabel("Internal note").check();
    assert.equal(await box.isDisabled(), false, "internal notes still work");
    await page.getByLabel("Internal note").uncheck();

    await wa.postWebhook(textBody(customer, "Hello again, today"));
    await log(page).getByText("Hello again, today").waitFor();
    await page.getByText(/WhatsApp reply window open for 23 h/).waitFor();
    assert.equal(await box.isDisabled(), false);

    // A reply Meta refuses shows "Failed" with the reason; Retry sends it again.
    wa.graph.scriptSend({
      status: 400,
      body: graphError(131026, "Message undeliverable", "The recipient cannot be reached."),
    });
    await box.fill("Your refund is on its way");
    await box.press("Enter");
    const failed = log(page).locator("li", { hasText: "Your refund is on its way" })
      .filter({ has: page.locator('[data-delivery="failed"]') });
    await failed.waitFor();
    await failed.getByRole("button", { name: "Retry" }).click();
    await log(page).locator("li", { hasText: "Your refund is on its way" })
      .filter({ has: page.locator('[data-delivery="sent"]') }).waitFor();
    assert.equal(
      wa.graph.sends().filter((r) =>
        (r.body as { text?: { body?: string } }).text?.body === "Your refund is on its way"
      ).length,
      2,
      "Meta was asked twice: the refused send and the retry",
    );
  } finally {
    await browser.close();
    await wa.shutdown();
  }
});
