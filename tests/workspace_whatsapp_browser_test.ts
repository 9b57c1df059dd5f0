/**
 * The workspace with a WhatsApp conversation, in real Chromium: signed
 * webhooks into a real server (fake Graph API on loopback), and the composer
 * following the 24-hour customer-service window.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "./helpers.ts";
import { startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { textBody } from "./whatsapp_fixtures.ts";
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
  } finally {
    await browser.close();
    await wa.shutdown();
  }
});
