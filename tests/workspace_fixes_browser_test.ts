/**
 * Defects found when a support team used the workspace for a day (issue 18),
 * in real Chromium against a real server and KV: quick-response placeholders
 * that always resolve or become fields to fill, going Offline with chats asks
 * first, closing a chat leaves focus somewhere useful.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import {
  log,
  openAs,
  rows,
  seriousViolations,
  setStatus,
  stored,
  tab,
  Visitor,
} from "./workspace_helpers.ts";

Deno.test("[workspace] browser: placeholders resolve from what the engine holds or become fields; Offline with chats asks first", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent", maxChats: 3 });
    const a = await openAs(browser, app.url, ana);
    await setStatus(a.page, "online");
    const carla = await new Visitor(app).start("Carla Customer");
    const email = await app.api("POST", "/api/v1/widget/context", {
      body: { user: { email: "carla@example.test" } },
      headers: { authorization: `Bearer ${carla.token}` },
    });
    assert.equal(email.status, 200, JSON.stringify(email.body));
    await carla.say("Hello, where is my order?");
    await rows(a.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
    await log(a.page).getByText("Hello, where is my order?").waitFor();
    const box = a.page.getByRole("textbox", { name: "Message" });

    await t.step("a quick response: known values filled, unknown ones become fields", async () => {
      const made = await app.api("POST", "/api/v1/quick-responses", {
        as: ana,
        body: {
          title: "Reach you",
          shortcut: "reach",
          body:
            "Hi {{contact.firstName}}, we'll write to {{contact.email}} or call {{contact.phone}} about your {{context.plan}} plan.",
        },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await a.page.getByRole("button", { name: "Quick responses" }).click();
      await a.page.getByLabel("Search quick responses").fill("reach");
      await a.page.getByRole("option", { name: /Reach you/ }).click();
      assert.equal(
        await box.inputValue(),
        "Hi Carla, we'll write to carla@example.test or call {{field:Customer phone}} about your {{field:plan}} plan.",
        "the email from setUser fills in; the phone and context nobody gave become fields",
      );
      // The first field is selected: typing replaces it; Tab goes to the next.
      await box.pressSequentially("+1 555 0100");
      await box.press("Tab");
      await box.pressSequentially("Gold");
      await box.press("Enter");
      const sent =
        "Hi Carla, we'll write to carla@example.test or call +1 555 0100 about your Gold plan.";
      await stored(a.page, sent);
      assert.ok((await carla.texts()).includes(sent));
    });

    await t.step("a template typed by hand: never a dead end", async () => {
      await box.fill("Your receipt goes to {{contact.email}}; SMS to {{ contact.phone }}.");
      await box.press("Enter");
      await a.page.getByRole("alert").filter({ hasText: "Fill in Customer phone" }).waitFor();
      assert.equal(
        await box.inputValue(),
        "Your receipt goes to carla@example.test; SMS to {{field:Customer phone}}.",
      );
      await box.pressSequentially("+1 555 0101"); // the field is selected
      await box.press("Enter");
      await stored(a.page, "Your receipt goes to carla@example.test; SMS to +1 555 0101.");
    });

    await t.step("choosing Offline with active chats says how many go back, and asks", async () => {
      const status = a.page.getByLabel("Status", { exact: true });
      await status.selectOption("offline");
      const ask = a.page.getByRole("alertdialog");
      await ask.getByText("Going Offline sends your active chat back to the queue").waitFor();
      assert.deepEqual(await seriousViolations(a.page), []);
      assert.equal(await status.inputValue(), "online", "nothing changed yet");
      await ask.getByRole("button", { name: "Keep my chats" }).click();
      await ask.waitFor({ state: "detached" });
      const me = await app.api("GET", "/api/v1/me", { as: ana });
      assert.equal(me.body.status, "online");
      assert.equal(me.body.activeChats, 1);

      await status.selectOption("offline");
      await Promise.all([
        a.page.waitForResponse((r) => r.url().endsWith("/api/v1/me/status")),
        a.page.getByRole("button", { name: "Go Offline" }).click(),
      ]);
      const after = await app.api("GET", "/api/v1/me", { as: ana });
      assert.equal(after.body.status, "offline");
      await tab(a.page, "Pending").click();
      await rows(a.page).filter({ hasText: "Carla Customer" }).waitFor();
    });

    await t.step("Offline without chats asks nothing", async () => {
      await setStatus(a.page, "busy");
      await setStatus(a.page, "offline");
      assert.equal(await a.page.getByRole("alertdialog").count(), 0);
    });
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
