/**
 * Dark mode in real Chromium: the workspace and the admin console follow the
 * system setting (`prefers-color-scheme`), and axe finds no serious problem
 * (colour contrast included) in either theme, with a conversation open, a
 * side panel, a notice and the admin forms on screen.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, type Staff, startTestApp } from "./helpers.ts";
import { rows, seriousViolations, Visitor } from "./workspace_helpers.ts";

async function openIn(
  browser: Browser,
  url: string,
  staff: Staff,
  colorScheme: "dark" | "light",
): Promise<Page> {
  const ctx = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
  const [name, value] = staff.cookie.split("=");
  await ctx.addCookies([{ name, value, url }]);
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

const bodyBackground = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);

Deno.test("[theme] browser: workspace and admin follow the system's dark or light setting, axe clean in both", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const ada = await app.createStaff("admin", { name: "Ada Admin" });
    await app.api("PUT", "/api/v1/me/status", { as: ada, body: { status: "online" } });
    const vic = await new Visitor(app).start("Vic Visitor");
    await vic.say("Is dark mode easy on the eyes?");
    for (const scheme of ["dark", "light"] as const) {
      await t.step(`${scheme}: the workspace with a chat and a side panel`, async () => {
        const page = await openIn(browser, app.url, ada, scheme);
        await page.goto(app.url + "/");
        await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
        assert.equal(
          await bodyBackground(page),
          scheme === "dark" ? "rgb(17, 24, 39)" : "rgb(249, 250, 251)",
        );
        await rows(page).filter({ hasText: "Vic Visitor" }).getByRole("link").click();
        await page.getByText("Is dark mode easy on the eyes?").first().waitFor();
        await page.getByRole("textbox", { name: "Message" }).fill("Very");
        await page.getByRole("textbox", { name: "Message" }).press("Enter");
        await page.getByRole("button", { name: "Transfer", exact: true }).click();
        assert.deepEqual(await seriousViolations(page), [], `${scheme} workspace`);
        await page.getByRole("checkbox", { name: "Internal note" }).check();
        assert.deepEqual(await seriousViolations(page), [], `${scheme} note mode`);
        await page.context().close();
      });
      await t.step(`${scheme}: admin pages and reports`, async () => {
        const page = await openIn(browser, app.url, ada, scheme);
        for (
          const path of [
            "/admin/agents",
            "/admin/settings",
            "/admin/channels",
            "/supervise/reports",
          ]
        ) {
          await page.goto(app.url + path);
          assert.deepEqual(await seriousViolations(page), [], `${scheme} ${path}`);
        }
        await page.goto(app.url + "/login?invited=1&email=new%40example.test");
        assert.deepEqual(await seriousViolations(page), [], `${scheme} sign-in`);
        await page.context().close();
      });
    }
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
