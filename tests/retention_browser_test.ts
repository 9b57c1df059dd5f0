/** Privacy requests in the admin console (issue 16, item 6), in real Chromium: erase asks first. */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import {
  closeConversation,
  getContact,
  receiveCustomerMessage,
  setAgentStatus,
} from "../lib/store/engine/mod.ts";
import { openAs, seriousViolations } from "./workspace_helpers.ts";

Deno.test("[privacy] browser: find a contact, download their data, erase only after typing ERASE", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const ada = await app.createStaff("admin", { name: "Ada Admin" });
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    await setAgentStatus(app.engine, ana.agent.id, "online");
    const r = await receiveCustomerMessage(app.engine, {
      channel: "webchat",
      contact: { webVisitorId: "v-erase", name: "Erin Example", email: "erin@example.com" },
      clientId: "m1",
      text: "Please delete my data",
    });
    await closeConversation(app.engine, r.conversation.id, ana.agent, { notes: "GDPR request" });

    const { page } = await openAs(browser, app.url, ada);
    await page.goto(app.url + "/admin/privacy");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Privacy" })
      .waitFor();
    await page.getByLabel("Name, email, phone, WhatsApp number or contact id").fill("erin@");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("Erin Example").waitFor();
    assert.deepEqual(await seriousViolations(page), [], "privacy search");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export data (JSON)" }).click(),
    ]);
    const body = JSON.parse(await Deno.readTextFile((await download.path())!));
    assert.equal(body.contact.name, "Erin Example");
    assert.equal(body.conversations[0].messages[0].text, "Please delete my data");

    await page.getByRole("link", { name: "Erase…" }).click();
    await page.getByRole("heading", { name: "Erase Erin Example?" }).waitFor();
    await page.getByText(/1 conversation loses its messages/).waitFor();
    assert.deepEqual(await seriousViolations(page), [], "erase confirmation");
    // Without the word, nothing happens: the field says why.
    await page.getByRole("button", { name: "Erase this contact" }).click();
    await page.getByText(/Type ERASE to confirm: erasing cannot be undone/).first().waitFor();
    assert.ok(await getContact(app.kv, r.contact.id), "not erased without the confirmation");
    await page.getByLabel("Type ERASE to confirm").fill("ERASE");
    await page.getByRole("button", { name: "Erase this contact" }).click();
    await page.getByText("Contact erased.").waitFor();
    assert.equal(await getContact(app.kv, r.contact.id), null);
    await page.goto(app.url + "/admin/audit?targetType=contact");
    await page.getByText("Contact erased").first().waitFor();
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
