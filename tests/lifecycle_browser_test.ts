/**
 * Conversation lifecycle (issue 16) as people see it, in real Chromium
 * against a real server and KV: who may take a transferred chat.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { log, openAs, rows, seriousViolations, setStatus, Visitor } from "./workspace_helpers.ts";

Deno.test("[lifecycle] browser: Offline people are not transfer targets; shown disabled with why, never focused first", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    // Created first, so listed first: the Offline admin of the reported defect.
    const ada = await app.createStaff("admin", { name: "Ada Admin" });
    const ana = await app.createStaff("agent", { name: "Ana Agent", maxChats: 3 });
    const sue = await app.createStaff("supervisor", { name: "Sue Supervisor" });
    const a = await openAs(browser, app.url, ana);
    const s = await openAs(browser, app.url, sue);
    await setStatus(s.page, "busy");
    await setStatus(a.page, "online");
    const carla = await new Visitor(app).start("Carla Customer");
    await carla.say("Hello, my parcel is late");
    await rows(a.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
    await log(a.page).getByText("Hello, my parcel is late").waitFor();

    await a.page.getByRole("button", { name: "Transfer" }).click();
    const bar = a.page.getByRole("complementary", { name: "Transfer" });
    const adaOption = bar.getByLabel(/Ada Admin/);
    await adaOption.waitFor();
    assert.equal(await adaOption.isDisabled(), true, "the Offline admin cannot be chosen");
    await bar.getByText(/Offline and cannot take the chat/).waitFor();
    // Focus lands on the first person who can take it, not on the Offline admin listed above.
    await bar.getByLabel(/Sue Supervisor/).and(a.page.locator(":focus")).waitFor();
    assert.deepEqual(await seriousViolations(a.page), [], "agent, Transfer bar");

    // The admin comes online: the bar follows live, and the transfer goes through.
    const online = await app.api("PUT", "/api/v1/me/status", {
      as: ada,
      body: { status: "online" },
    });
    assert.equal(online.status, 200, JSON.stringify(online.body));
    await bar.getByText(/Offline and cannot take the chat/).waitFor({ state: "detached" });
    assert.equal(await adaOption.isDisabled(), false);
    await adaOption.check();
    await bar.getByRole("button", { name: "Confirm transfer" }).click();
    await rows(a.page).filter({ hasText: "Carla Customer" }).waitFor({ state: "detached" });
    const conv = await app.api("GET", `/api/v1/conversations/${carla.conversationId}`, {
      as: sue,
    });
    assert.equal(conv.body.conversation?.assigneeId ?? conv.body.assigneeId, ada.agent.id);
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
