/**
 * The widget's reliability in real Chromium: the offline queue, failed sends
 * with Retry, no duplicate after a lost answer, and the live socket
 * reconnecting after a drop without losing or doubling anything.
 */
import assert from "node:assert/strict";
import type { WebSocketRoute } from "playwright-core";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { createSite } from "../lib/store/sites.ts";
import { pendingConversation, startHost, until, widget } from "./widget_host.ts";

Deno.test("[widget] browser: offline queue, failed send with retry, no duplicate after a lost answer", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, { name: "Shop", allowedOrigins: [host.origin] });
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url({ siteKey: site.siteKey }));
    const w = widget(page);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    await w.launcher.click();

    // The answer to the first send is lost after the server stored it; the retry must not duplicate.
    let lost = 0;
    await page.route("**/api/v1/widget/messages?**", async (route) => {
      if (route.request().method() === "POST" && lost === 0) {
        lost++;
        await route.fetch();
        await route.abort("connectionreset");
        return;
      }
      await route.fallback();
    });
    await w.input.fill("First message");
    await w.input.press("Enter");
    await w.log.getByText("First message").waitFor();
    await until(
      "the first message delivered",
      async () => (await w.log.getByText("Sending…").count()) === 0,
    );
    const conv = await pendingConversation(app, sam);
    const messages = await app.api("GET", `/api/v1/conversations/${conv.id}/messages`, { as: sam });
    const firsts = messages.body.items.filter((m: { text: string }) => m.text === "First message");
    assert.equal(firsts.length, 1, "stored once although it was sent twice");
    await page.unroute("**/api/v1/widget/messages?**");

    // Offline: the message waits as "Sending…" and goes out when the page is back online.
    await context.setOffline(true);
    await page.getByText("You are offline. Messages will be sent when you are back.").waitFor();
    await w.input.fill("Typed while offline");
    await w.input.press("Enter");
    await w.log.getByText("Sending…").waitFor();
    await context.setOffline(false);
    await until(
      "the offline message delivered",
      async () => (await w.log.getByText("Sending…").count()) === 0,
    );

    // The network fails on every try: "Not sent." with Retry; Retry delivers it once.
    await page.route("**/api/v1/widget/messages?**", async (route) => {
      if (route.request().method() === "POST") return await route.abort("failed");
      await route.fallback();
    });
    await w.input.fill("Flaky network message");
    await w.input.press("Enter");
    await w.log.getByText("Not sent.").waitFor();
    await page.unroute("**/api/v1/widget/messages?**");
    await w.log.getByRole("button", { name: "Retry" }).click();
    await until(
      "the retried message delivered",
      async () =>
        (await w.log.getByText("Not sent.").count()) === 0 &&
        (await w.log.getByText("Sending…").count()) === 0,
    );

    const after = await app.api("GET", `/api/v1/conversations/${conv.id}/messages`, { as: sam });
    const texts = after.body.items.filter((m: { type: string }) => m.type === "message")
      .map((m: { text: string }) => m.text);
    assert.deepEqual(texts, ["First message", "Typed while offline", "Flaky network message"]);
    for (const text of texts) assert.equal(await w.log.getByText(text).count(), 1, text);
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
Deno.test("[widget] browser: the live socket reconnects after a drop; nothing lost, nothing doubled", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, { name: "Shop", allowedOrigins: [host.origin] });
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });
    const page = await browser.newPage();
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/ws\/visitor/, (ws) => {
      ws.connectToServer();
      sockets.push(ws);
    });
    const heard: string[] = [];
    await page.exposeFunction("heard", (text: string) => heard.push(text));
    await page.goto(host.url({ siteKey: site.siteKey }));
    const w = widget(page);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    await page.evaluate(() => {
      // deno-lint-ignore no-explicit-any
      const win = window as any;
      win.Parley.on("message", (m: { text: string }) => win.heard(m.text));
    });
    await w.launcher.click();
    await w.input.fill("Hello");
    await w.input.press("Enter");
    const conv = await pendingConversation(app, sam);
    // At work (an Offline supervisor picks up nothing: it would go straight back to the queue).
    await app.api("PUT", "/api/v1/me/status", { as: sam, body: { status: "busy" } });
    await app.api("POST", `/api/v1/conversations/${conv.id}/pickup`, { as: sam });
    await page.getByText("You are chatting with Sam Agent.").waitFor();
    await until("the live socket", () => sockets.length >= 1);

    await sockets[0].close({ code: 1012, reason: "restarting" });
    const reply = await app.api("POST", `/api/v1/conversations/${conv.id}/messages`, {
      as: sam,
      body: { text: "Sent while the socket was down", clientId: "d1" },
    });
    assert.equal(reply.status, 201);
    await w.log.getByText("Sent while the socket was down").waitFor();
    await until("a new socket after the drop", () => sockets.length >= 2);
    await app.api("POST", `/api/v1/conversations/${conv.id}/messages`, {
      as: sam,
      body: { text: "And after it", clientId: "d2" },
    });
    await w.log.getByText("And after it").waitFor();
    assert.equal(await w.log.getByText("Sent while the socket was down").count(), 1);
    assert.equal(await w.log.getByText("And after it").count(), 1);
    await until("on('message') heard both replies", () => heard.length >= 2);
    assert.deepEqual(heard, ["Sent while the socket was down", "And after it"]);
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
