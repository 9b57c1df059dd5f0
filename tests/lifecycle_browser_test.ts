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

Deno.test("[lifecycle] browser: Return to queue with a note; predefined wrap-up tags from the admin page", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const ada = await app.createStaff("admin", { name: "Ada Admin" });
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const bo = await app.createStaff("agent", { name: "Bo Agent" });

    // The admin keeps the list of wrap-up tags and turns free tags off, on the routing page.
    const admin = await openAs(browser, app.url, ada);
    await admin.page.goto(app.url + "/admin/settings");
    await admin.page.getByLabel("Wrap-up tags").fill("Refund\nShipping delay\nrefund");
    await admin.page.getByLabel("Allow free tags").uncheck();
    await admin.page.getByRole("button", { name: "Save settings" }).click();
    await admin.page.getByLabel("Wrap-up tags").waitFor();
    assert.equal(
      await admin.page.getByLabel("Wrap-up tags").inputValue(),
      "Refund\nShipping delay",
    );
    assert.equal(await admin.page.getByLabel("Allow free tags").isChecked(), false);
    assert.deepEqual(await seriousViolations(admin.page), [], "routing settings page");

    const a = await openAs(browser, app.url, ana);
    const b = await openAs(browser, app.url, bo);
    await setStatus(a.page, "online");
    const carla = await new Visitor(app).start("Carla Customer");
    await carla.say("Hallo, ich brauche Hilfe");
    await rows(a.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
    await log(a.page).getByText("Hallo, ich brauche Hilfe").waitFor();

    // Ana hands it back from the chat's actions, with a note for the next agent.
    await a.page.getByRole("button", { name: "Return to queue" }).click();
    const panel = a.page.getByRole("complementary", { name: "Return to queue" });
    const note = panel.getByLabel("Note for the next agent (optional)");
    assert.equal(await note.evaluate((el) => el === document.activeElement), true);
    assert.deepEqual(await seriousViolations(a.page), [], "agent, Return to queue panel");
    await note.fill("Writes in German; Bo speaks it");
    await panel.getByRole("button", { name: "Return to queue" }).click();
    await rows(a.page).filter({ hasText: "Carla Customer" }).waitFor({ state: "detached" });

    // Bo comes Online and gets it (not Ana again), with the note in the log.
    await setStatus(b.page, "online");
    await rows(b.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
    await log(b.page).getByText("Note: Writes in German; Bo speaks it").waitFor();
    await log(b.page).getByText(/Ana Agent returned the conversation to the queue/).waitFor();
    assert.ok(
      !(await carla.texts()).some((t) => t.includes("Bo speaks it")),
      "the customer never sees the note",
    );

    // The close form offers the admin's tags as checkboxes, and no free tags.
    await b.page.getByRole("button", { name: "Close chat" }).click();
    const form = b.page.getByRole("form", { name: "Wrap-up" });
    await form.getByRole("group", { name: "Tags" }).waitFor();
    assert.equal(await form.getByRole("checkbox").count(), 2);
    assert.equal(await form.getByLabel(/tags \(comma separated\)/i).count(), 0);
    assert.deepEqual(await seriousViolations(b.page), [], "agent, wrap-up with tags");
    await form.getByLabel("Notes").fill("Answered in German");
    await form.getByRole("checkbox", { name: "Shipping delay" }).check();
    await form.getByRole("button", { name: "Close with this wrap-up" }).click();
    await form.waitFor({ state: "detached" });
    const closed = await app.api("GET", `/api/v1/conversations/${carla.conversationId}`, {
      as: ada,
    });
    assert.equal(closed.body.status, "closed");
    assert.deepEqual(closed.body.wrapUp.tags, ["Shipping delay"]);
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
