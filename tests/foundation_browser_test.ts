import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";

Deno.test("[foundation] browser: setup with the code, sign in, workspace shell, sign out", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(app.url + "/");
    assert.match(page.url(), /\/setup$/, "a fresh install sends the first visitor to setup");

    // An empty form: the summary speaks to a person (no raw keys), each field says what is wrong.
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Create admin account" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Please correct the fields" });
    await summary.waitFor();
    assert.doesNotMatch(
      (await summary.textContent()) ?? "",
      /code:|email:|password:|Too small|Invalid/,
    );
    assert.match(await page.content(), /The setup code is required/);
    assert.doesNotMatch(await page.content(), /Too small|Invalid input|expected string/);

    await page.getByLabel("Setup code").fill("not-the-code");
    await page.getByLabel("Name").fill("Rosa Admin");
    await page.getByLabel("Email").fill("rosa@example.test");
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.getByRole("alert").filter({ hasText: "setup code is wrong" }).waitFor();

    await page.getByLabel("Setup code").fill(app.setupCode!);
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.waitForURL(app.url + "/");
    await page.getByText("Rosa Admin").first().waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login$/);

    await page.getByLabel("Email").fill("rosa@example.test");
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "email or password is wrong" }).waitFor();

    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(app.url + "/");
    await page.getByText("Rosa Admin").first().waitFor();

    const setup = await page.goto(app.url + "/setup");
    assert.equal(setup?.status(), 404, "setup is gone once an account exists");
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
