/**
 * The workspace before (and without) scripts, in real Chromium: the lists and
 * a conversation are server-rendered, Closed search is a plain form, and
 * status, pick up and reply work as plain forms; a stale form's refusal says
 * why. With scripts, the same search filters as the agent types.
 */
import assert from "node:assert/strict";
import { closeConversation, setAgentStatus } from "../lib/store/engine/mod.ts";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { log, openAs, rows, tab, Visitor } from "./workspace_helpers.ts";

Deno.test("[workspace] browser: useful before scripts run: server-rendered lists and conversation", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const sue = await app.createStaff("supervisor", { name: "Sue Supervisor" });
    // A closed chat with its wrap-up, as the day in workspace_browser_test.ts leaves one.
    await setAgentStatus(app.engine, ana.agent.id, "online");
    const v1 = await new Visitor(app).start("Carla Customer");
    const c1 = await v1.say("Hello, my parcel is late");
    await closeConversation(app.engine, c1, ana.agent, { notes: "Refund issued for A-17" });
    await setAgentStatus(app.engine, ana.agent.id, "offline");
    const s = await openAs(browser, app.url, sue);

    const ctx = await browser.newContext({ javaScriptEnabled: false });
    try {
      const [name, value] = sue.cookie.split("=");
      await ctx.addCookies([{ name, value, url: app.url }]);
      const page = await ctx.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(app.url + "/?tab=closed");
      const row = rows(page).filter({ hasText: "Carla Customer" }).first();
      await row.getByRole("link").click();
      await page.getByRole("heading", { name: "Carla Customer" }).waitFor();
      await log(page).getByText("Hello, my parcel is late").waitFor();
      await page.getByText("Wrap-up: Refund issued for A-17").first().waitFor();
      // Searching Closed by contact name, as a plain form.
      await page.goto(app.url + "/?tab=closed");
      await page.getByLabel("Search closed chats by contact name").fill("carla");
      await page.getByLabel("Search closed chats by contact name").press("Enter");
      await rows(page).filter({ hasText: "Carla Customer" }).first().waitFor();
      await page.getByLabel("Search closed chats by contact name").fill("nobody-by-that-name");
      await page.getByLabel("Search closed chats by contact name").press("Enter");
      await page.getByText("No closed chats found.").waitFor();
      // With scripts, the same search filters as the agent types.
      await tab(s.page, "Closed").click();
      const search = s.page.getByLabel("Search closed chats by contact name");
      await search.fill("zzz");
      await s.page.getByText("No closed chats found.").waitFor();
      await search.fill("carl");
      await rows(s.page).filter({ hasText: "Carla Customer" }).first().waitFor();
      await search.fill("");

      // Plain forms: set the status, pick up a waiting chat, reply; a refusal says why.
      await page.goto(app.url + "/?tab=pending");
      await page.getByLabel("Status", { exact: true }).selectOption("busy");
      await page.getByRole("button", { name: "Set" }).click();
      await page.waitForLoadState();
      assert.equal(await page.getByLabel("Status", { exact: true }).inputValue(), "busy");
      const v6 = await new Visitor(app).start("Gus Customer");
      await v6.say("Is anyone reading this?");
      await page.goto(app.url + "/?tab=pending");
      const stale = await ctx.newPage();
      await stale.goto(app.url + "/?tab=pending");
      await rows(page).filter({ hasText: "Gus Customer" }).getByRole("button", {
        name: /Pick up/,
      }).click();
      await page.getByRole("heading", { name: "Gus Customer" }).waitFor();
      await page.getByRole("textbox", { name: "Message" }).fill("Yes, a plain form reply.");
      await page.getByRole("button", { name: "Send" }).click();
      await log(page).getByText("Yes, a plain form reply.").waitFor();
      assert.ok((await v6.texts()).includes("Yes, a plain form reply."));
      // A second tab still shows Gus waiting; picking up there is refused, with the reason.
      await stale.getByRole("button", { name: /Pick up Gus Customer/ }).click();
      await stale.getByRole("alert").filter({ hasText: /not pending/ }).waitFor();
    } finally {
      await ctx.close();
    }
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
