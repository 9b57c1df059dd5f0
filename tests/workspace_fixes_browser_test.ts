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

Deno.test("[workspace] browser: closing moves on without overriding the agent; previews never show notes; tabs stay on one line", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent", maxChats: 5 });
    const a = await openAs(browser, app.url, ana, { width: 1366, height: 768 });
    await setStatus(a.page, "online");
    const dan = await new Visitor(app).start("Dan Customer");
    await dan.say("Hi, Dan here");
    const eve = await new Visitor(app).start("Eve Customer");
    await eve.say("Hi, Eve here");
    const fay = await new Visitor(app).start("Fay Customer");
    await fay.say("Hi, Fay here");
    await rows(a.page).filter({ hasText: "Fay Customer" }).waitFor();
    const box = a.page.getByRole("textbox", { name: "Message" });

    const closeOpenChat = async (notes: string) => {
      await a.page.getByRole("button", { name: "Close chat" }).click();
      const form = a.page.getByRole("form", { name: "Wrap-up" });
      await form.getByLabel("Notes").fill(notes);
      assert.equal(
        await a.page.getByRole("button", { name: "Close chat" }).count(),
        1,
        "the form's button has a name of its own",
      );
      await form.getByRole("button", { name: "Close with this wrap-up" }).click();
    };

    await t.step("an internal note is never the Closed list's preview", async () => {
      await rows(a.page).filter({ hasText: "Dan Customer" }).getByRole("link").click();
      await log(a.page).getByText("Hi, Dan here").waitFor();
      await box.fill("Your refund is on its way.");
      await box.press("Enter");
      await stored(a.page, "Your refund is on its way.");
      await a.page.getByLabel("Internal note").check();
      await box.fill("Customer was rude, watch out");
      await box.press("Enter");
      await stored(a.page, "Customer was rude, watch out");
      await a.page.getByLabel("Internal note").uncheck();
      await closeOpenChat("Refunded");
      await tab(a.page, "Closed").filter({ hasText: "1" }).waitFor();
      const closed = await app.api("GET", "/api/v1/conversations?status=closed", { as: ana });
      assert.equal(closed.body.items[0].lastMessage.text, "Your refund is on its way.");
    });

    await t.step("after closing, the next chat opens with focus in its composer", async () => {
      const next = a.page.getByRole("heading", { level: 1 });
      await a.page.waitForFunction(() => document.activeElement?.id === "composer");
      const name = await next.textContent();
      assert.ok(name === "Eve Customer" || name === "Fay Customer", String(name));
      assert.equal(await tab(a.page, "Active").getAttribute("aria-selected"), "true");
      await tab(a.page, "Closed").click();
      const row = rows(a.page).filter({ hasText: "Dan Customer" });
      await row.waitFor();
      assert.equal(await row.getByText("Customer was rude").count(), 0);
      await row.getByText("Your refund is on its way.").waitFor();
      await tab(a.page, "Active").click();
    });

    await t.step("a tab clicked right after Close is not overridden", async () => {
      await closeOpenChat("Done");
      await tab(a.page, "Pending").click();
      await tab(a.page, "Closed").filter({ hasText: "2" }).waitFor(); // the close went through
      await a.page.waitForTimeout(500); // and whatever would follow it
      assert.equal(await tab(a.page, "Pending").getAttribute("aria-selected"), "true");
      assert.equal(
        await a.page.evaluate(() => document.activeElement?.id),
        "tab-pending",
        "focus stays where the agent put it",
      );
    });

    await t.step("closing the last chat returns focus to the list", async () => {
      await tab(a.page, "Active").click();
      await rows(a.page).first().getByRole("link").click();
      await closeOpenChat("All done");
      await a.page.getByText("Select a conversation.").waitFor();
      await a.page.waitForFunction(() => document.activeElement?.id === "tab-active");
      assert.deepEqual(await seriousViolations(a.page), []);
    });

    await t.step("at 1366 px every tab keeps its count on one line", async () => {
      await setStatus(a.page, "offline");
      for (let i = 0; i < 12; i++) await (await new Visitor(app).start(`Queue ${i}`)).say("hello");
      await tab(a.page, "Pending").filter({ hasText: "12" }).waitFor();
      for (const name of ["Pending", "Active", "Closed"] as const) {
        await tab(a.page, name).click();
        for (const other of ["Active", "Pending", "Closed"] as const) {
          const shape = await tab(a.page, other).evaluate((el) => {
            const label = el.firstChild as Text;
            const range = document.createRange();
            range.selectNodeContents(label);
            const badge = el.querySelector("span")!.getBoundingClientRect();
            return {
              labelTop: Math.round(range.getBoundingClientRect().top),
              badgeBottom: Math.round(badge.bottom),
              overflow: el.scrollWidth > el.clientWidth,
            };
          });
          assert.ok(shape.badgeBottom > shape.labelTop, `${other}: count beside the label`);
          assert.ok(
            shape.badgeBottom - shape.labelTop < 24,
            `${other} (with ${name} selected) on one line: ${JSON.stringify(shape)}`,
          );
          assert.equal(shape.overflow, false, `${other} fits its tab`);
        }
      }
    });
  } finally {
    await browser.close();
    await app.shutdown();
  }
});

Deno.test("[workspace] browser: the Sound switch silences the chime, and is remembered", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent", maxChats: 5 });
    const a = await openAs(browser, app.url, ana);
    // Counts the chimes the page plays (each is two WebAudio oscillators).
    await a.ctx.addInitScript(() => {
      const counter = { n: 0 };
      Object.assign(globalThis, { chimes: counter });
      const real = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        counter.n++;
        return real.call(this);
      };
    });
    await a.page.reload();
    await a.page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await setStatus(a.page, "online");
    const chimes = () =>
      a.page.evaluate(() => (globalThis as unknown as { chimes: { n: number } }).chimes.n);
    const sound = a.page.getByRole("button", { name: "Sound" });
    assert.equal(await sound.getAttribute("aria-pressed"), "true", "on by default");
    await (await new Visitor(app).start("Ivy Customer")).say("First chat");
    await rows(a.page).filter({ hasText: "Ivy Customer" }).waitFor();
    await a.page.waitForFunction(() =>
      (globalThis as unknown as { chimes: { n: number } }).chimes.n > 0
    );
    await sound.click();
    assert.equal(await sound.getAttribute("aria-pressed"), "false");
    await a.page.reload();
    await a.page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    assert.equal(await sound.getAttribute("aria-pressed"), "false", "remembered");
    await (await new Visitor(app).start("Jo Customer")).say("Second chat");
    await rows(a.page).filter({ hasText: "Jo Customer" }).waitFor();
    // The notification for the new chat is shown, so the chime would have played by now.
    await a.page.waitForFunction(() =>
      (globalThis as unknown as { shownNotifications: string[] }).shownNotifications.length > 0
    );
    assert.equal(await chimes(), 0, "silent");
    assert.deepEqual(await seriousViolations(a.page), []);
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
