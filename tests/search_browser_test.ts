/**
 * Search in the workspace (issue 18, gap 2), in real Chromium against a real
 * server and KV: `/` focuses the box, typing lists matching conversations with
 * the words marked and the count announced, the keyboard picks one and Enter
 * opens it; an agent finds only their own chats; the box works without
 * scripts as a form; axe finds nothing serious.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { log, openAs, seriousViolations } from "./workspace_helpers.ts";
import { closeConversation, receiveCustomerMessage } from "../lib/store/engine/mod.ts";

Deno.test("[search] browser: search by keyboard, open a result, only one's own as an agent", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const admin = await app.createStaff("admin");
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { dynamicAssignment: false },
    });
    const sue = await app.createStaff("supervisor", { name: "Sue Supervisor" });
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const chat = async (text: string, name: string) =>
      (await receiveCustomerMessage(app.engine, {
        channel: "webchat",
        contact: { webVisitorId: crypto.randomUUID(), name },
        clientId: crypto.randomUUID(),
        text,
      })).conversation.id;
    const older = await chat("My café order never arrived", "Olga Older");
    const newer = await chat("Where is my cafe ORDER?", "Nina Newer");
    await chat("Something else entirely", "Carl Other");
    await closeConversation(app.engine, older, sue.agent, { notes: "Reshipped", tags: ["late"] });

    const s = await openAs(browser, app.url, sue);
    const box = s.page.getByRole("combobox", { name: "Search conversations" });
    const results = s.page.getByRole("listbox", { name: "Search results" });

    await t.step(
      "`/` focuses the box; typing lists matches, newest first, words marked",
      async () => {
        await s.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await s.page.keyboard.press("/");
        assert.equal(await box.evaluate((el) => el === document.activeElement), true);
        assert.equal(await box.inputValue(), "", "the slash is not typed into the box");
        await s.page.keyboard.type("cafe ord");
        await results.getByRole("option").nth(1).waitFor();
        const options = results.getByRole("option");
        assert.equal(await options.count(), 2);
        assert.match((await options.nth(0).textContent()) ?? "", /Nina Newer/);
        assert.match((await options.nth(1).textContent()) ?? "", /Olga Older/);
        assert.deepEqual(await options.nth(1).locator("mark").allTextContents(), ["café", "order"]);
        await s.page.locator("#search-status").filter({ hasText: "2 conversations found." })
          .waitFor();
        assert.equal(await s.page.locator("#search-status").getAttribute("aria-live"), "polite");
        assert.equal(await box.getAttribute("aria-expanded"), "true");
        assert.deepEqual(await seriousViolations(s.page), []);
      },
    );

    await t.step("arrows pick a result and Enter opens its conversation", async () => {
      await box.press("ArrowDown");
      await box.press("ArrowDown");
      assert.equal(await box.getAttribute("aria-activedescendant"), "search-result-1");
      assert.equal(
        await results.getByRole("option", { selected: true }).getAttribute("data-conversation"),
        older,
      );
      await box.press("Enter");
      await s.page.getByRole("heading", { level: 1, name: "Olga Older" }).waitFor();
      await log(s.page).getByText("My café order never arrived").waitFor();
      assert.equal(new URL(s.page.url()).searchParams.get("c"), older);
      assert.equal(await box.getAttribute("aria-expanded"), "false");
      // Focus went to the conversation, so the keyboard carries on there.
      assert.equal(
        await s.page.evaluate(() => document.activeElement?.tagName),
        "H1",
      );
      assert.deepEqual(await seriousViolations(s.page), []);
    });

    await t.step("a tag finds the closed chat; no match says so", async () => {
      await s.page.keyboard.press("/");
      await box.fill("late");
      await s.page.locator("#search-status").filter({ hasText: "1 conversation found." })
        .waitFor();
      assert.equal(await results.getByRole("option").count(), 1);
      assert.match((await results.getByRole("option").textContent()) ?? "", /Wrap-up/);
      await box.fill("zebra");
      await s.page.locator("#search-status").filter({ hasText: "No conversations match." })
        .waitFor();
      assert.equal(await results.getByRole("option").count(), 0);
      await box.press("Escape");
      assert.equal(await box.getAttribute("aria-expanded"), "false");
    });

    await t.step("an agent finds only the chats they hold", async () => {
      await app.api("PUT", "/api/v1/me/status", { as: ana, body: { status: "online" } });
      const res = await app.api("POST", `/api/v1/conversations/${newer}/pickup`, {
        as: ana,
        body: {},
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const a = await openAs(browser, app.url, ana);
      const anaBox = a.page.getByRole("combobox", { name: "Search conversations" });
      await anaBox.fill("cafe");
      const options = a.page.getByRole("listbox", { name: "Search results" }).getByRole("option");
      await options.first().waitFor();
      await a.page.locator("#search-status").filter({ hasText: "1 conversation found." }).waitFor();
      assert.match((await options.first().textContent()) ?? "", /Nina Newer/);
      await a.ctx.close();
    });

    await t.step("without scripts the box is a form to a results page", async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const [name, value] = sue.cookie.split("=");
      await ctx.addCookies([{ name, value, url: app.url }]);
      const page = await ctx.newPage();
      await page.goto(app.url + "/");
      await page.getByRole("combobox", { name: "Search conversations" }).fill("cafe");
      await page.getByRole("combobox", { name: "Search conversations" }).press("Enter");
      await page.getByRole("heading", { name: "Search conversations" }).waitFor();
      await page.getByText("2 conversations found.").waitFor();
      await page.getByRole("link", { name: "Olga Older" }).click();
      await page.waitForURL((u) => u.searchParams.get("c") === older);
      await ctx.close();
    });
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
