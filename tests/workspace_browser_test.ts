/**
 * The agent workspace in real Chromium against a real server and KV: two
 * agents, a supervisor and web visitors (through the visitor HTTP API and
 * WebSocket). The page is driven by role and label, in the product's words.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { startTcpProxy, type TcpProxy } from "./tcp_proxy.ts";
import {
  layoutShift,
  live,
  log,
  openAs,
  rows,
  saveScreenshots,
  send,
  seriousViolations,
  setStatus,
  stored,
  tab,
  Visitor,
} from "./workspace_helpers.ts";

Deno.test("[workspace] browser: agents, a supervisor and visitors work the whole day", async (t) => {
  const app = await startTestApp();
  const proxy: TcpProxy = startTcpProxy(app.port);
  const browser = await launchBrowser();
  // Later steps build on earlier ones: after a failure, skip the rest instead of waiting them out.
  let failed = false;
  const step = async (name: string, fn: () => Promise<void>) => {
    const ok = await t.step({ name, ignore: failed, fn });
    if (!ok) failed = true;
  };
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent", maxChats: 2 });
    const bo = await app.createStaff("agent", { name: "Bo Agent", maxChats: 1 });
    const sue = await app.createStaff("supervisor", { name: "Sue Supervisor" });
    const a = await openAs(browser, proxy.url, ana);
    const b = await openAs(browser, app.url, bo);
    const s = await openAs(browser, app.url, sue);

    const v1 = await new Visitor(app).start("Carla Customer");
    let c1 = "";

    await step(
      "status gates assignment; a pending chat is assigned and appears live",
      async () => {
        await setStatus(a.page, "offline");
        await setStatus(b.page, "offline");
        c1 = await v1.say("Hello, my parcel is late");
        await tab(a.page, "Pending").click();
        await rows(a.page).filter({ hasText: "my parcel is late" }).waitFor();
        await tab(a.page, "Active").click();
        assert.equal(await rows(a.page).count(), 0, "nobody Online: the chat waits");
        await setStatus(a.page, "online");
        await rows(a.page).filter({ hasText: "Carla Customer" }).filter({
          hasText: "my parcel is late",
        }).waitFor();
        await tab(a.page, "Active").filter({ hasText: "1" }).waitFor();
        await a.page.waitForFunction(() =>
          (globalThis as unknown as { shownNotifications: string[] }).shownNotifications
            .includes("New chat assigned")
        );
      },
    );

    await step("messages both ways, announced in the live region", async () => {
      await rows(a.page).filter({ hasText: "my parcel is late" }).getByRole("link").click();
      await log(a.page).getByText("Hello, my parcel is late").waitFor();
      await send(a.page, "Let me check that for you.");
      await log(a.page).getByText("Let me check that for you.").waitFor();
      assert.ok((await v1.texts()).includes("Let me check that for you."));
      // Shift+Enter adds a line; Enter sends both lines as one message.
      const box = a.page.getByRole("textbox", { name: "Message" });
      await box.pressSequentially("First line");
      await box.press("Shift+Enter");
      await box.pressSequentially("second line");
      await box.press("Enter");
      await stored(a.page, "second line");
      assert.ok((await v1.texts()).includes("First line\nsecond line"));
      await v1.say("Thanks! Order A-17");
      await log(a.page).getByText("Thanks! Order A-17").waitFor();
      await a.page.locator("#announcer").filter({ hasText: "Thanks! Order A-17" }).waitFor();
    });

    await step("no layout shift while messages stream in", async () => {
      const before = await layoutShift(a.page);
      for (let i = 1; i <= 5; i++) await v1.say(`Streaming line ${i}`);
      await log(a.page).getByText("Streaming line 5").waitFor();
      await rows(a.page).filter({ hasText: "Streaming line 5" }).waitFor();
      assert.equal(await layoutShift(a.page) - before, 0);
    });

    await step("the customer's typing shows, and clears when the message lands", async () => {
      const ws = await v1.socket();
      try {
        const typing = a.page.getByText("Customer is typing…");
        ws.send(JSON.stringify({ type: "typing", conversationId: c1, typing: true }));
        await typing.waitFor();
        ws.send(JSON.stringify({
          type: "send",
          conversationId: c1,
          clientId: `v-${crypto.randomUUID()}`,
          text: "Typed over the socket",
        }));
        await log(a.page).getByText("Typed over the socket").waitFor();
        await typing.waitFor({ state: "detached" });
      } finally {
        ws.close();
      }
    });

    await step("a quick response with a custom field, filled with Tab", async () => {
      const made = await app.api("POST", "/api/v1/quick-responses", {
        as: ana,
        body: {
          title: "Order status",
          shortcut: "order",
          body: "I'm {{agent.name}}: order {{field:Order number}} ships today.",
        },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await a.page.getByRole("button", { name: "Quick responses" }).click();
      await a.page.getByLabel("Search quick responses").fill("order");
      await a.page.getByRole("option", { name: /Order status/ }).click();
      const box = a.page.getByRole("textbox", { name: "Message" });
      assert.equal(
        await box.inputValue(),
        "I'm Ana Agent: order {{field:Order number}} ships today.",
      );
      await box.press("Enter"); // refused: the field is still empty
      await a.page.getByRole("alert").filter({ hasText: "Fill in Order number" }).waitFor();
      await box.press("Home");
      await box.press("Tab"); // selects the custom field
      await box.pressSequentially("A-17");
      await box.press("Enter");
      await stored(a.page, "I'm Ana Agent: order A-17 ships today.");
      assert.ok((await v1.texts()).includes("I'm Ana Agent: order A-17 ships today."));
    });

    await step("Context shows what the site attached, as inert text", async () => {
      const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
      await v1.addContext({
        plan: "Gold",
        note: hostile,
        pageUrl: "https://shop.example/checkout?step=2",
        userAgent:
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36",
        language: "pt-BR",
      });
      await a.page.getByRole("button", { name: "Context" }).click();
      const panel = a.page.getByRole("complementary", { name: "Context" });
      await panel.getByText("Gold").waitFor();
      await panel.getByText(hostile).waitFor();
      await panel.getByText("https://shop.example/checkout?step=2").waitFor();
      await panel.getByText("Chrome 131").waitFor();
      await panel.getByText("pt-BR").waitFor();
      await a.ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: proxy.url });
      await panel.getByRole("button", { name: "Copy" }).click();
      await panel.getByText("Copied.").waitFor();
      const copied = await a.page.evaluate(() => navigator.clipboard.readText());
      assert.match(copied, /^plan: Gold$/m);
      assert.ok(copied.includes(hostile), "copied as the same plain text");
      assert.equal(await panel.locator("img, script").count(), 0);
      assert.equal(
        await a.page.evaluate(() => (window as { __pwned?: number }).__pwned),
        undefined,
      );
      await a.page.getByRole("button", { name: "Context" }).click();
    });

    await step("Transfer agent → supervisor with a note", async () => {
      // A supervisor at work (Busy: no new chats) takes transfers; an Offline one may not (issue 16).
      await setStatus(s.page, "busy");
      await a.page.getByRole("button", { name: "Transfer" }).click();
      const bar = a.page.getByRole("complementary", { name: "Transfer" });
      await bar.getByText("Bo Agent").waitFor();
      assert.equal(
        await bar.getByLabel(/Bo Agent/).isDisabled(),
        true,
        "an Offline agent is not a target for an agent",
      );
      await bar.getByText(/agents transfer only to Online agents/).waitFor();
      // Focus moved into the bar, onto the first agent that can be chosen.
      await bar.getByLabel(/Sue Supervisor/).and(a.page.locator(":focus")).waitFor();
      await bar.getByLabel(/Sue Supervisor/).check();
      await bar.getByLabel("Note (optional)").fill("VIP, please handle the refund");
      await bar.getByRole("button", { name: "Confirm transfer" }).click();
      await tab(s.page, "Active").click();
      await rows(s.page).filter({ hasText: "Carla Customer" }).waitFor();
      await rows(a.page).filter({ hasText: "Carla Customer" }).waitFor({ state: "detached" });
      await a.page.getByText("Select a conversation.").waitFor(); // no longer Ana's to see
      assert.equal(await bar.count(), 0);
      await rows(s.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
      await log(s.page).getByText(/Transferred from Ana Agent to Sue Supervisor/).waitFor();
      await log(s.page).getByText("VIP, please handle the refund").waitFor();
    });

    await step("the supervisor transfers to a Busy agent at capacity", async () => {
      await setStatus(b.page, "online");
      const v2 = await new Visitor(app).start("Dan Customer");
      await v2.say("Second customer here");
      await rows(b.page).filter({ hasText: "Dan Customer" }).waitFor();
      await setStatus(b.page, "busy");
      // Keyboard only: open the bar, Escape closes it and returns to the button, Enter reopens.
      await s.page.getByRole("button", { name: "Transfer" }).click();
      await s.page.keyboard.press("Escape");
      await s.page.getByRole("complementary", { name: "Transfer" }).waitFor({ state: "detached" });
      await s.page.keyboard.press("Enter");
      const bar = s.page.getByRole("complementary", { name: "Transfer" });
      const bo = bar.getByLabel(/Bo Agent/);
      assert.equal(await bo.isDisabled(), false, "a supervisor may pick anyone");
      await bar.getByText(/Busy, at capacity \(1\/1\)/).waitFor();
      await bo.check();
      await bar.getByRole("button", { name: "Confirm transfer" }).click();
      await rows(b.page).filter({ hasText: "Carla Customer" }).waitFor();
      await tab(b.page, "Active").filter({ hasText: "2" }).waitFor();
    });

    await step("the tab title counts unread messages; arrows move through the list", async () => {
      await b.page.waitForFunction(() => /^\(\d+\) Parley$/.test(document.title));
      await s.page.goto(app.url + "/?tab=pending"); // nothing open yet
      await live(s.page);
      // The tabs: arrow keys move between them.
      await tab(s.page, "Pending").focus();
      await s.page.keyboard.press("ArrowLeft");
      await tab(s.page, "Active").and(s.page.locator("[aria-selected=true]:focus")).waitFor();
      assert.equal(await s.page.getByRole("heading").count(), 0);
      const first = rows(s.page).nth(0).getByRole("link");
      const second = rows(s.page).nth(1).getByRole("link");
      await first.focus();
      await s.page.keyboard.press("ArrowDown");
      assert.equal(await second.evaluate((el) => el === document.activeElement), true);
      await s.page.keyboard.press("ArrowUp");
      assert.equal(await first.evaluate((el) => el === document.activeElement), true);
      await s.page.keyboard.press("ArrowDown");
      const name = (await rows(s.page).nth(1).locator("span.font-medium").textContent())!;
      await s.page.keyboard.press("Enter");
      await s.page.getByRole("heading", { name }).waitFor();
    });

    await step(
      "Close chat with notes → Closed, and in the contact's previous conversations",
      async () => {
        await rows(b.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
        await b.page.getByRole("button", { name: "Close chat" }).click();
        const form = b.page.getByRole("form", { name: "Wrap-up" });
        await form.getByLabel("Notes").fill("Refund issued for A-17");
        await form.getByLabel(/Tags/).fill("refund, vip");
        await form.getByRole("button", { name: "Close with this wrap-up" }).click();
        await tab(b.page, "Closed").filter({ hasText: "1" }).waitFor();
        await tab(b.page, "Closed").click();
        await rows(b.page).filter({ hasText: "Carla Customer" }).waitFor();
        const again = await v1.say("One more question");
        assert.notEqual(again, c1, "writing after close opens a new conversation");
        // A new chat for the same contact; Ana is Online with room (Bo is Busy).
        await tab(a.page, "Active").click();
        await rows(a.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
        await a.page.getByText("Previous conversations").click();
        await a.page.getByText("Wrap-up: Refund issued for A-17").waitFor();
      },
    );

    await step("a reload keeps everything", async () => {
      const before = await log(a.page).locator("li").count();
      await a.page.reload();
      await live(a.page);
      await log(a.page).getByText("One more question").waitFor();
      assert.equal(await log(a.page).locator("li").count(), before);
      assert.match(await a.page.title(), /Parley/);
    });

    await step("reading older messages, a new one does not move the view", async () => {
      const convId = new URL(a.page.url()).searchParams.get("c")!;
      for (let i = 1; i <= 30; i++) {
        const res = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
          as: ana,
          body: { text: `Checking step ${i} of 30`, clientId: `bulk-${i}` },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      await log(a.page).getByText("Checking step 30 of 30").waitFor();
      const region = a.page.getByRole("region", { name: "Conversation log" });
      // The agent scrolls up to read (and the page has seen the scroll before anything arrives).
      await region.hover();
      await a.page.mouse.wheel(0, -100_000);
      await region.evaluate((el) =>
        new Promise((resolve) => {
          const check = () => el.scrollTop === 0 ? resolve(null) : requestAnimationFrame(check);
          check();
        })
      );
      await a.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
      await v1.say("Are you still there?");
      await log(a.page).getByText("Are you still there?").waitFor();
      const button = a.page.getByRole("button", { name: "New messages below" });
      await button.waitFor();
      assert.equal(await region.evaluate((el) => el.scrollTop), 0, "the view stayed put");
      await button.click();
      assert.ok(
        await region.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 40),
        "the button brings the newest message into view",
      );
    });

    await step("an agent asks a supervisor; the supervisor answers in place", async () => {
      await a.page.getByLabel("Ask a supervisor").check();
      await send(a.page, "Can I refund twice?");
      const question = log(a.page).locator("li", { hasText: "Can I refund twice?" });
      await question.getByText("Internal · question for a supervisor").waitFor();
      await s.page.getByLabel("Questions only").check();
      const row = rows(s.page).filter({ hasText: "Question for a supervisor" });
      await row.waitFor();
      assert.equal(await rows(s.page).count(), 1, "only chats with an open question");
      await row.getByRole("link").click();
      await log(s.page).getByText("Can I refund twice?").waitFor();
      await s.page.getByLabel("Internal note").and(s.page.locator(":checked")).waitFor();
      await send(s.page, "Yes, once more is fine.");
      const answer = log(a.page).locator("li", { hasText: "Yes, once more is fine." });
      await answer.getByText(/Internal note/).waitFor();
      assert.equal(await answer.getAttribute("data-kind"), "internal");
      await rows(s.page).waitFor({ state: "detached" }); // no open question is left
      await s.page.getByLabel("Questions only").uncheck();
      assert.ok(
        !(await v1.texts()).some((t) => t.includes("refund twice")),
        "never to the customer",
      );
    });

    await step("Pick up: agents when dynamic assignment is off, supervisors always", async () => {
      const admin = await app.createStaff("admin");
      const off = await app.api("PUT", "/api/v1/admin/settings", {
        as: admin,
        body: { dynamicAssignment: false },
      });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      const v3 = await new Visitor(app).start("Eve Customer");
      await v3.say("Anyone there?");
      await tab(a.page, "Pending").click();
      const row = rows(a.page).filter({ hasText: "Eve Customer" });
      await row.getByText("#1 in queue").waitFor();
      await row.getByRole("button", { name: /Pick up/ }).click();
      await a.page.getByRole("heading", { name: "Eve Customer" }).waitFor();
      await tab(a.page, "Active").filter({ hasText: "2" }).waitFor();

      const v4 = await new Visitor(app).start("Finn Customer");
      await v4.say("Hello?");
      await tab(b.page, "Pending").click();
      await rows(b.page).filter({ hasText: "Finn Customer" }).waitFor();
      assert.equal(
        await rows(b.page).filter({ hasText: "Finn Customer" }).getByRole("button").count(),
        1,
        "dynamic assignment is off: agents pick up by hand",
      );
      const on = await app.api("PUT", "/api/v1/admin/settings", {
        as: admin,
        body: { dynamicAssignment: true },
      });
      assert.equal(on.status, 200, JSON.stringify(on.body));
      // Back on: nobody has room (Ana 2/2, Bo Busy), so Finn waits; only supervisors pick by hand.
      await rows(b.page).filter({ hasText: "Finn Customer" }).getByRole("button")
        .waitFor({ state: "detached" });
      await tab(s.page, "Pending").click();
      await rows(s.page).filter({ hasText: "Finn Customer" }).getByRole("button", {
        name: /Pick up/,
      }).click();
      await s.page.getByRole("heading", { name: "Finn Customer" }).waitFor();
      await tab(s.page, "Active").click();
      await rows(s.page).filter({ hasText: "Finn Customer" }).waitFor();
    });

    await step("a dropped connection shows reconnecting and loses no message", async () => {
      await tab(a.page, "Active").click();
      await rows(a.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
      await a.page.getByRole("heading", { name: "Carla Customer" }).waitFor();
      proxy.cut();
      await a.page.getByRole("status").filter({ hasText: "Reconnecting" }).waitFor();
      await v1.say("Sent while you were away");
      proxy.restore();
      await live(a.page);
      await log(a.page).getByText("Sent while you were away").waitFor();
      assert.equal(await log(a.page).getByText("Sent while you were away").count(), 1);
      await a.ctx.setOffline(true); // the browser itself knows it is offline
      await a.page.getByRole("status").filter({ hasText: "Offline" }).waitFor();
      await a.ctx.setOffline(false);
      await live(a.page);
    });

    // WORKSPACE_SHOTS=folder saves screenshots of the day's end to look at.
    if (!failed) await saveScreenshots(Deno.env.get("WORKSPACE_SHOTS"), a.page, s.page);

    await step("axe-core finds no serious or critical violations", async () => {
      // The agent with a conversation open; the supervisor with the Transfer bar open; the
      // wrap-up form; a phone-sized list.
      assert.deepEqual(await seriousViolations(a.page), [], "agent, conversation open");
      await s.page.getByRole("button", { name: "Transfer" }).click();
      await s.page.getByRole("complementary", { name: "Transfer" }).waitFor();
      assert.deepEqual(await seriousViolations(s.page), [], "supervisor, Transfer bar");
      await s.page.getByRole("button", { name: "Close chat" }).click();
      await s.page.getByRole("form", { name: "Wrap-up" }).waitFor();
      assert.deepEqual(await seriousViolations(s.page), [], "supervisor, wrap-up form");
      await b.page.setViewportSize({ width: 390, height: 844 });
      assert.deepEqual(await seriousViolations(b.page), [], "agent at 390 px");
    });
    await step("signed out elsewhere: the next action leads to sign-in", async () => {
      const out = await app.api("POST", "/api/v1/auth/logout", { as: bo });
      assert.ok(out.status < 300, JSON.stringify(out.body));
      await setStatus(b.page, "online");
      await b.page.waitForURL(/\/login$/);
    });
  } finally {
    await browser.close();
    proxy.close();
    await app.shutdown();
  }
});
