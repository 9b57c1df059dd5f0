/**
 * Long lists in the workspace, in real Chromium: the Closed list pages with
 * "Show more closed chats", and its search reaches chats beyond the first page.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import {
  closeConversation,
  receiveCustomerMessage,
  setAgentStatus,
} from "../lib/store/engine/mod.ts";
import { openAs, rows, tab } from "./workspace_helpers.ts";

Deno.test("[workspace] browser: Closed pages beyond 50 and search reaches old chats", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const agent = await app.createStaff("agent", { name: "Lena Agent", maxChats: 5 });
    await setAgentStatus(app.engine, agent.agent.id, "online");
    for (let i = 1; i <= 55; i++) {
      const r = await receiveCustomerMessage(app.engine, {
        channel: "webchat",
        contact: { webVisitorId: `visitor-${i}`, name: `Customer Number ${i}` },
        clientId: `m-${i}`,
        text: `Question ${i}`,
      });
      await closeConversation(app.engine, r.conversation.id, agent.agent, { notes: `Done ${i}` });
    }
    // An agent in India (UTC+5:30): times show in the browser's zone, not the server's.
    const { page } = await openAs(browser, app.url, agent, undefined, "Asia/Kolkata");
    await tab(page, "Closed").click();
    await tab(page, "Closed").filter({ hasText: "50+" }).waitFor();
    assert.equal(await rows(page).count(), 50, "the first page, newest first");
    assert.equal(await rows(page).filter({ hasText: /Customer Number 3(?!\d)/ }).count(), 0);
    await page.getByRole("button", { name: "Show more closed chats" }).click();
    await tab(page, "Closed").filter({ hasText: /\b55\b/ }).waitFor();
    assert.equal(await rows(page).count(), 55);
    await page.getByRole("button", { name: "Show more closed chats" }).waitFor({
      state: "detached",
    });

    await page.reload();
    await tab(page, "Closed").click();
    await page.getByLabel("Search closed chats by contact name").fill("number 3");
    // "Customer Number 3" is on the second page; the search finds it (and 30..39).
    await rows(page).filter({ hasText: /Customer Number 3(?!\d)/ }).waitFor();
    assert.equal(await rows(page).count(), 11);

    // Straight from the server (then hydrated), not opened by a click.
    const id = await rows(page).first().getAttribute("data-conversation");
    await page.goto(`${app.url}/?c=${id}`);
    const time = page.getByRole("list", { name: "Messages" }).locator("time").first();
    await time.waitFor();
    const iso = (await time.getAttribute("datetime"))!;
    const expected = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: "Asia/Kolkata",
    }).format(new Date(iso));
    await page.getByRole("list", { name: "Messages" }).locator("time", { hasText: expected })
      .first().waitFor();
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
