/**
 * WhatsApp message templates in real Chromium against a real server and the
 * fake Graph API: the admin reads the templates from Meta in the console; an
 * agent, outside the 24-hour window, sends one by keyboard (pick, fill the
 * variable the contact did not prefill, preview, send), sees its delivery
 * states, and the customer's reply reopens the window.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "./helpers.ts";
import { startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { graphTemplates, hoursAgo, sentAt, statusBody, textBody } from "./whatsapp_fixtures.ts";
import { log, openAs, rows, seriousViolations, setStatus } from "./workspace_helpers.ts";

Deno.test("[workspace] browser: outside the WhatsApp window an agent sends a template by keyboard; the reply reopens the window", async () => {
  const wa = await startWhatsAppTestApp();
  const browser = await launchBrowser();
  try {
    wa.graph.templates.push(...graphTemplates());
    const admin = await wa.app.createStaff("admin", { name: "Ada Admin" });
    const agent = await wa.app.createStaff("agent", { name: "Wanda Agent" });

    // The admin reads the templates from Meta on the Channels page.
    const adminSession = await openAs(browser, wa.app.url, admin);
    const adminPage = adminSession.page;
    await adminPage.goto(`${wa.app.url}/admin/channels`);
    await adminPage.getByRole("button", { name: "Refresh templates" }).click();
    await adminPage.getByTestId("templates-refresh-result")
      .filter({ hasText: "4 templates read; 2 can be sent." }).waitFor();
    const table = adminPage.getByTestId("templates-table");
    await table.getByRole("row", { name: /order_update.*APPROVED/ }).waitFor();
    await table.getByRole("row", { name: /spring_sale.*PENDING/ }).waitFor();
    await table.getByRole("row", { name: /invoice_pdf/ }).getByText(/Cannot be sent/).waitFor();
    await adminSession.ctx.close();

    const { page } = await openAs(browser, wa.app.url, agent);
    await setStatus(page, "online");
    const customer = { waId: "447700900555", name: "Olga Old" };
    await wa.postWebhook(sentAt(textBody(customer, "Any news on my order?"), hoursAgo(30)));
    const row = rows(page).filter({ hasText: "Olga Old" });
    await row.getByRole("link").click();
    await log(page).getByText("Any news on my order?").waitFor();
    const box = page.getByRole("textbox", { name: "Message" });
    await page.getByText(/more than 24 hours since the customer's last message/).waitFor();
    assert.equal(await box.isDisabled(), true);

    // Keyboard only: open the template form, pick a template, fill what was not prefilled.
    const open = page.getByRole("button", { name: "Send a template" });
    await open.focus();
    await page.keyboard.press("Enter");
    const select = page.getByRole("combobox", { name: "Template" });
    await select.waitFor();
    assert.equal(
      await select.evaluate((el) => el === document.activeElement),
      true,
      "focus moves to the template picker",
    );
    await select.selectOption({ label: "follow_up (es)" });
    const name = page.getByRole("textbox", { name: "Body {{customer_name}}" });
    const order = page.getByRole("textbox", { name: "Body {{order_id}}" });
    assert.equal(await name.inputValue(), "Olga Old", "prefilled from the contact");
    assert.equal(await order.inputValue(), "");
    assert.deepEqual(await seriousViolations(page), [], "the template form is accessible");

    await page.getByRole("button", { name: "Send template" }).click();
    await page.getByRole("alert").filter({ hasText: "Fill in Body {{order_id}}." }).waitFor();
    assert.equal(await order.evaluate((el) => el === document.activeElement), true);
    assert.equal(await order.getAttribute("aria-invalid"), "true");
    await page.keyboard.type("A-77");
    await page.getByTestId("template-preview")
      .filter({ hasText: "Hola Olga Old, ¿seguimos con el pedido A-77?" }).waitFor();
    await page.keyboard.press("Enter");

    const sent = await wa.graph.waitForRequest(
      (r) => (r.body as { type?: string })?.type === "template",
      "the template at Meta",
    );
    assert.deepEqual((sent.body as { template: unknown }).template, {
      name: "follow_up",
      language: { code: "es" },
      components: [{
        type: "body",
        parameters: [
          { type: "text", parameter_name: "customer_name", text: "Olga Old" },
          { type: "text", parameter_name: "order_id", text: "A-77" },
        ],
      }],
    });
    await select.waitFor({ state: "detached" });
    assert.equal(await open.evaluate((el) => el === document.activeElement), true, "focus back");
    const item = log(page).locator("li", { hasText: "¿seguimos con el pedido A-77?" });
    await item.locator('[data-delivery="sent"]').waitFor();
    await item.getByText("WhatsApp template follow_up (es)").waitFor();
    await wa.postWebhook(statusBody(wa.graph.wamids.at(-1)!, "delivered", customer.waId));
    await item.locator('[data-delivery="delivered"]').waitFor();

    // The customer answers: the window reopens, the template offer goes, replies work.
    await wa.postWebhook(textBody(customer, "Sí, gracias"));
    await log(page).getByText("Sí, gracias").waitFor();
    await page.getByText(/WhatsApp reply window open for 23 h/).waitFor();
    assert.equal(await box.isDisabled(), false);
    assert.equal(await open.count(), 0, "no template offer inside the window");
    await box.fill("¡Perfecto!");
    await box.press("Enter");
    await log(page).locator("li", { hasText: "¡Perfecto!" }).locator('[data-delivery="sent"]')
      .waitFor();
  } finally {
    await browser.close();
    await wa.shutdown();
  }
});
