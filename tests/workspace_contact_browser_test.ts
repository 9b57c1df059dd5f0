/**
 * The contact profile beside the conversation (issue 18, gap 1), in real
 * Chromium against a real server and KV: what Parley knows about the
 * customer, corrections to name and email, and a supervisor merging the same
 * person's WhatsApp contact into the web one.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { log, openAs, rows, seriousViolations, setStatus, Visitor } from "./workspace_helpers.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";

Deno.test("[workspace] browser: the Contact panel shows, corrects and merges the customer", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const sue = await app.createStaff("supervisor", { name: "Sue Supervisor" });
    const s = await openAs(browser, app.url, sue);
    await setStatus(s.page, "online");
    const gil = await new Visitor(app).start("Gil Customer");
    const email = await app.api("POST", "/api/v1/widget/context", {
      body: { user: { email: "gil@example.test" } },
      headers: { authorization: `Bearer ${gil.token}` },
    });
    assert.equal(email.status, 200);
    const webConv = await gil.say("Hi from the website");
    // The same person writes on WhatsApp: another contact until someone merges them.
    const wa = await receiveCustomerMessage(app.engine, {
      channel: "whatsapp",
      contact: { whatsappId: "15550001111", phone: "+1 555 000 1111", name: "Gil C." },
      clientId: "wa-1",
      text: "Hi from WhatsApp",
    });
    await rows(s.page).filter({ hasText: "Hi from the website" }).getByRole("link").click();
    await log(s.page).getByText("Hi from the website").waitFor();
    const panel = s.page.getByRole("complementary", { name: "Contact" });
    const facts = panel.getByTestId("contact-facts");
    const fact = (label: string) =>
      facts.locator("div").filter({ has: s.page.locator("dt", { hasText: label }) }).locator("dd");

    await t.step(
      "what Parley knows: name, email, phone, channels, first seen, conversations",
      async () => {
        await s.page.getByRole("button", { name: "Contact" }).click();
        await fact("Name").filter({ hasText: "Gil Customer" }).waitFor();
        assert.equal(await fact("Email").textContent(), "gil@example.test");
        assert.equal(await fact("Phone").textContent(), "Not known");
        assert.equal(await fact("Channels").textContent(), "WebChat");
        assert.equal(await fact("Conversations").textContent(), "1");
        assert.match((await fact("First seen").textContent()) ?? "", /\d/);
        await panel.getByRole("heading", { name: "Context" }).waitFor();
        assert.deepEqual(await seriousViolations(s.page), []);
      },
    );

    await t.step("Edit: a bad email is refused beside the field; a good one is saved", async () => {
      await panel.getByRole("button", { name: "Edit name and email" }).click();
      await panel.getByLabel("Name").fill("Gil Gomez");
      await panel.getByLabel("Email").fill("not-an-email");
      await panel.getByRole("button", { name: "Save contact" }).click();
      await panel.getByText("Not an email address").waitFor();
      assert.equal(await panel.getByLabel("Email").getAttribute("aria-invalid"), "true");
      await panel.getByLabel("Email").fill("gil.gomez@example.test");
      await panel.getByRole("button", { name: "Save contact" }).click();
      await fact("Email").filter({ hasText: "gil.gomez@example.test" }).waitFor();
      await fact("Name").filter({ hasText: "Gil Gomez" }).waitFor();
      // Live: the list and the header follow the new name.
      await rows(s.page).filter({ hasText: "Gil Gomez" }).waitFor();
      await s.page.getByRole("heading", { level: 1, name: "Gil Gomez" }).waitFor();
      const stored = await app.api("GET", `/api/v1/conversations/${webConv}`, { as: sue });
      assert.equal(stored.body.contact.email, "gil.gomez@example.test");
    });

    await t.step(
      "a supervisor merges the WhatsApp contact into this one, after asking",
      async () => {
        await panel.getByLabel("Merge into this contact").selectOption({
          label: "Gil C. (WhatsApp)",
        });
        await panel.getByRole("button", { name: "Merge…" }).click();
        const ask = panel.getByRole("alertdialog");
        await ask.getByText("Merge Gil C. (WhatsApp) into Gil Gomez?").waitFor();
        await ask.getByRole("button", { name: "Merge contacts" }).click();
        await panel.getByRole("status").filter({ hasText: "1 conversation moved here" }).waitFor();
        await fact("Channels").filter({ hasText: "WebChat, WhatsApp" }).waitFor();
        assert.equal(await fact("Conversations").textContent(), "2");
        assert.equal(await fact("Phone").textContent(), "+1 555 000 1111");
        const waConv = await app.api("GET", `/api/v1/conversations/${wa.conversation.id}`, {
          as: sue,
        });
        assert.equal(
          waConv.body.contactId,
          (await app.api("GET", `/api/v1/conversations/${webConv}`, {
            as: sue,
          })).body.contactId,
        );
      },
    );
  } finally {
    await browser.close();
    await app.shutdown();
  }
});

Deno.test("[workspace] contact API: who may read and correct a contact, and what is refused", async () => {
  const app = await startTestApp();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const bo = await app.createStaff("agent", { name: "Bo Agent" });
    await app.api("PUT", "/api/v1/me/status", { as: ana, body: { status: "online" } });
    const v = await new Visitor(app).start("Hal Customer");
    const conv = await v.say("Hello");
    const path = `/api/v1/conversations/${conv}/contact`;
    const read = await app.api("GET", path, { as: ana });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.contact.name, "Hal Customer");
    assert.deepEqual(read.body.channels, ["webchat"]);
    assert.equal(read.body.conversationCount, 1);
    assert.equal((await app.api("GET", path, { as: bo })).status, 403, "not Bo's chat");
    assert.equal((await app.api("PUT", path, { as: bo, body: { name: "X" } })).status, 403);
    assert.equal((await app.api("GET", path)).status, 401);
    for (
      const bad of [{}, { name: "" }, { email: "nope" }, { name: "A", extra: 1 }, { name: 5 }]
    ) {
      const res = await app.api("PUT", path, { as: ana, body: bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.body.error.code, "invalid");
    }
    assert.equal(
      (await app.api("GET", `/api/v1/conversations/${"x".repeat(300)}/contact`, { as: ana }))
        .status,
      404,
    );
    const ok = await app.api("PUT", path, {
      as: ana,
      body: { name: "Hal Hughes", email: "hal@example.test" },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.contact.email, "hal@example.test");
    const cleared = await app.api("PUT", path, { as: ana, body: { email: null } });
    assert.equal(cleared.body.contact.email, null);
    assert.equal(cleared.body.contact.name, "Hal Hughes");
    // Racing corrections: each lands whole (no torn name/email pair), the last one wins.
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.api("PUT", path, {
          as: ana,
          body: { name: `Name ${i}`, email: `n${i}@example.test` },
        })),
    );
    assert.ok(results.every((r) => r.status === 200));
    const final = (await app.api("GET", path, { as: ana })).body.contact;
    assert.equal(final.email, `n${final.name.slice(5)}@example.test`, "name and email agree");
  } finally {
    await app.shutdown();
  }
});
