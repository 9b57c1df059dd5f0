/**
 * The admin console's API keys section in Chromium, by keyboard: create a key (a field error
 * first), copy it with the Copy button (the clipboard holds the working key), revoke it (the
 * key stops working).
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";

Deno.test("[api-keys] browser: create by keyboard, copy, use, revoke", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const admin = await app.createStaff("admin", { name: "Kim Admin" });
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    const [name, value] = admin.cookie.split("=");
    await context.addCookies([{ name, value, url: app.url }]);
    const page = await context.newPage();
    await page.goto(app.url + "/admin");
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByText("No API keys yet.").waitFor();

    // Keyboard only: name, then Tab to each scope and Space to tick, Enter to submit.
    await page.getByLabel("Name", { exact: true }).focus();
    await page.keyboard.type("Website bot");
    await page.keyboard.press("Enter");
    await page.getByText("Choose at least one scope").waitFor();
    assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Website bot");
    await page.getByLabel("Read conversations").focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    assert.equal(await page.getByLabel(/^Write messages/).isChecked(), true);
    await page.getByRole("button", { name: "Create key" }).focus();
    await page.keyboard.press("Enter");

    const shown = page.getByLabel("API key for Website bot");
    await shown.waitFor();
    const token = await shown.inputValue();
    assert.match(token, /^prly_/);
    await page.waitForLoadState("load"); // the island bundle has run: Copy is live
    await page.getByRole("button", { name: "Copy API key for Website bot" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Copied." }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);

    const use = () =>
      fetch(app.url + "/api/v1/conversations", { headers: { authorization: `Bearer ${token}` } })
        .then(async (r) => (await r.body?.cancel(), r.status));
    assert.equal(await use(), 200);

    // Away and back: the token is not shown again; the list shows its hint only.
    await page.goto(app.url + "/admin/api-keys");
    assert.equal(await page.getByLabel("API key for Website bot").count(), 0);
    assert.ok(!(await page.content()).includes(token));
    const row = page.locator("[data-api-key-id]").filter({ hasText: "Website bot" });
    await row.getByText(token.slice(0, 9) + "…").waitFor();
    await row.getByText("Active", { exact: true }).waitFor();

    await row.getByRole("button", { name: "Revoke Website bot" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "API key revoked" }).waitFor();
    await page.locator("[data-api-key-id]").filter({ hasText: "Website bot" }).getByText(
      "Revoked",
      { exact: true },
    )
      .waitFor();
    assert.equal(await use(), 401);

    await page.getByRole("link", { name: "Audit log" }).click();
    // The audit log speaks in words (issue 18); the code stays on the cell for machines.
    await page.getByTestId("audit-table").getByRole("cell", {
      name: "API key revoked",
      exact: true,
    })
      .first().waitFor();
    assert.equal(
      await page.locator('td[data-action="api_key.revoked"]').first().textContent(),
      "API key revoked",
    );
    await context.close();
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
