/**
 * The widget in real Chromium, embedded by a host page served from another
 * origin (a second port on 127.0.0.1), talking to a real Parley: context,
 * a full chat, isolation, refusal, the demo page. The agent side uses the
 * staff HTTP API and WebSocket.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { createSite } from "../lib/store/sites.ts";
import { AXE_PATH, detail, pendingConversation, startHost, until, widget } from "./widget_host.ts";

Deno.test("[widget] browser: context before and after load, a full chat with an agent, reload resumes, close and start again", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, {
      name: "Shop support",
      allowedOrigins: [host.origin],
    });
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });
    const page = await browser.newPage();
    await page.goto(host.url({ siteKey: site.siteKey }));
    const w = widget(page);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    await page.evaluate(() => {
      // deno-lint-ignore no-explicit-any
      (window as any).SyntphonyConversationalAIChat.addContext({ afterLoad: "yes" });
    });

    // Keyboard only: Tab reaches the launcher, Enter opens the chat.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await w.input.waitFor();
    assert.equal(
      await page.evaluate(() =>
        document.querySelector("parley-chat")?.shadowRoot?.activeElement?.id
      ),
      "i",
      "opening the chat moves focus to the message field",
    );
    await page.getByRole("heading", { name: "Shop support" }).waitFor();
    await w.input.fill("Hello, is my order on its way?");
    await w.input.press("Enter");
    await w.log.getByText("Hello, is my order on its way?").waitFor();
    await page.getByText("Waiting for an agent…", { exact: true }).waitFor();
    await page.getByRole("status").getByText("You are number 1 in the queue.").waitFor();

    const pending = await pendingConversation(app, sam);
    const conversationId: string = pending.id;
    const conv = await until("the context before the first message", async () => {
      const d = await detail(app, sam, conversationId);
      return d.context?.afterLoad === "yes" ? d : null;
    });
    assert.equal(conv.context.CUSTOM_KEY1, "value-before-load");

    await page.evaluate(() => {
      // deno-lint-ignore no-explicit-any
      (window as any).SyntphonyConversationalAIChat.addContext({ cartItems: 3 });
    });
    await until("context added later merges live", async () => {
      const d = await detail(app, sam, conversationId);
      return d.context?.cartItems === 3;
    });

    // Too many keys and a bad value in one call: the keys that fit are stored, and the console
    // names each one that is not (issue 18: one bad value never costs the whole call).
    const warnings: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "warning") warnings.push(msg.text());
    });
    await page.evaluate(() => {
      const big: Record<string, unknown> = { nested: { a: 1 } };
      for (let i = 0; i < 60; i++) big["k" + i] = i;
      // deno-lint-ignore no-explicit-any
      (window as any).Parley.addContext(big);
    });
    const stored = await until("the keys that fit are stored", async () => {
      const d = await detail(app, sam, conversationId);
      return d.context?.k0 === 0 ? d.context : null;
    });
    assert.equal(Object.keys(stored).length, 50, "filled up to the 50-key bound");
    assert.equal(stored.k59, undefined);
    await until(
      "a warning naming the keys over the bound",
      () => warnings.some((w) => w.includes('"k59"') && /at most 50 keys/.test(w)),
    );
    assert.ok(warnings.some((w) => w.includes("nested")), warnings.join("\n"));

    // At work (an Offline supervisor picks up nothing: it would go straight back to the queue).
    await app.api("PUT", "/api/v1/me/status", { as: sam, body: { status: "busy" } });
    const pickup = await app.api("POST", `/api/v1/conversations/${conversationId}/pickup`, {
      as: sam,
    });
    assert.equal(pickup.status, 200, JSON.stringify(pickup.body));
    await page.getByText("You are chatting with Sam Agent.").waitFor();

    // The agent's typing shows in the widget (agent side: the staff WebSocket).
    // Deno's WebSocket takes headers (not in the DOM typings this project also loads).
    const agentWs = new WebSocket(
      app.url.replace(/^http/, "ws") + "/ws/agent",
      { headers: { cookie: sam.cookie } } as unknown as string[],
    );
    try {
      await new Promise((resolve, reject) => {
        agentWs.onopen = resolve;
        agentWs.onerror = reject;
      });
      const subscribed = new Promise((resolve) => {
        agentWs.onmessage = (e) => {
          if (JSON.parse(e.data).type === "subscribed") resolve(true);
        };
      });
      agentWs.send(JSON.stringify({ type: "subscribe", conversationId }));
      await subscribed;
      agentWs.send(JSON.stringify({ type: "typing", conversationId, typing: true }));
      await page.getByText("Sam Agent is typing…").waitFor();
      // And the other way: the visitor typing reaches the agent's socket.
      const visitorTyping = new Promise((resolve) => {
        agentWs.onmessage = (e) => {
          const f = JSON.parse(e.data);
          if (f.type === "typing" && f.from?.kind === "visitor" && f.typing) resolve(true);
        };
      });
      await w.input.pressSequentially("Let me");
      await visitorTyping;
      await w.input.fill("");
    } finally {
      agentWs.close();
    }
    const reply = await app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
      as: sam,
      body: { text: "Yes, it ships today.", clientId: "r1" },
    });
    assert.equal(reply.status, 201);
    await w.log.getByText("Yes, it ships today.").waitFor();

    // Unread badge while the panel is closed; Escape closes and returns focus to the launcher.
    await w.input.press("Escape");
    await page.getByRole("button", { name: "Open chat" }).waitFor();
    await app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
      as: sam,
      body: { text: "Anything else?", clientId: "r2" },
    });
    await page.getByRole("button", { name: "Open chat (1 unread)" }).waitFor();
    await w.launcher.click();
    await w.log.getByText("Anything else?").waitFor();
    await page.getByRole("button", { name: "Close chat" }).first().waitFor();

    // axe-core: no serious or critical accessibility violations with the chat open.
    await page.evaluate(await Deno.readTextFile(AXE_PATH));
    // deno-lint-ignore no-explicit-any
    const axe: any = await page.evaluate(() =>
      // deno-lint-ignore no-explicit-any
      (window as any).axe.run(document, { resultTypes: ["violations"] })
    );
    assert.deepEqual(
      axe.violations
        .filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical")
        .map((v: { id: string; nodes: { target: string[] }[] }) =>
          `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
        ),
      [],
    );

    // A reload resumes the same conversation with its history, open as it was (issue 18).
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    await page.getByRole("button", { name: "Close chat" }).first().waitFor();
    await w.log.getByText("Hello, is my order on its way?").waitFor();
    await w.log.getByText("Anything else?").waitFor();
    assert.equal(await w.log.getByText("Yes, it ships today.").count(), 1, "no duplicates");

    // Closed: the widget says so and lets the visitor start a new conversation.
    const closed = await app.api("POST", `/api/v1/conversations/${conversationId}/close`, {
      as: sam,
      body: { notes: "Answered shipping question" },
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    await page.getByText("This conversation is closed.").waitFor();
    assert.equal(await page.getByText("This conversation is closed.").count(), 1, "said once");
    await page.getByRole("button", { name: "Start a new conversation" }).click();
    await w.input.fill("One more question");
    await w.input.press("Enter");
    await w.log.getByText("One more question").waitFor();
    assert.equal(await w.log.getByText("Anything else?").count(), 0, "a fresh conversation view");
    const next = await pendingConversation(app, sam);
    assert.notEqual(next.id, conversationId, "a new conversation was opened");
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
Deno.test("[widget] browser: hostile CSS and a strict CSP leave the widget intact, two globals only", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, { name: "Shop", allowedOrigins: [host.origin] });
    const page = await browser.newPage();
    await page.goto(host.url({
      siteKey: site.siteKey,
      strictCsp: true,
      css:
        "* { all: unset !important; } html, body { font-size: 64px !important; } div, button, textarea { font-size: 80px; color: red; display: block; width: 900px; }",
    }));
    const w = widget(page);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    const launcher = await w.launcher.boundingBox();
    assert.ok(launcher, "the launcher is visible");
    assert.equal(Math.round(launcher.width), 56);
    assert.equal(Math.round(launcher.height), 56);
    await w.launcher.click();
    await w.input.waitFor();
    const input = await page.evaluate(() => {
      const el = document.querySelector("parley-chat")!.shadowRoot!.getElementById("i")!;
      const style = getComputedStyle(el);
      return { fontSize: style.fontSize, color: style.color };
    });
    assert.deepEqual(input, { fontSize: "14px", color: "rgb(17, 24, 39)" });
    const panel = await page.getByRole("dialog").boundingBox();
    assert.ok(panel && Math.round(panel.width) === 360, `panel width ${panel?.width}`);
    await w.input.fill("Styled fine");
    await w.send.click();
    await w.log.getByText("Styled fine").waitFor();
    await until(
      "the message delivered",
      async () => (await w.log.getByText("Sending…").count()) === 0,
    );
    // The widget's styles do not leak out: the host's heading keeps the host's (hostile) style.
    const h1 = await page.evaluate(() => getComputedStyle(document.querySelector("h1")!).fontSize);
    assert.equal(h1, "64px");
    const extra = await page.evaluate(() => {
      const before = new Set((window as unknown as { __before: string[] }).__before);
      return Object.getOwnPropertyNames(window).filter((n) =>
        !before.has(n) && n !== "__ready" && n !== "__before"
      );
    });
    assert.deepEqual(extra.sort(), ["Parley", "SyntphonyConversationalAIChat"], "no other globals");
    assert.deepEqual(
      await page.evaluate(() => Object.keys((window as unknown as { Parley: object }).Parley)),
      ["__parley", "open", "close", "toggle", "setUser", "addContext", "on"],
    );
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      [],
      "nothing the widget does is blocked by the host's CSP",
    );
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});

Deno.test("[widget] browser: a page on an origin the site does not allow gets no chat", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, {
      name: "Elsewhere",
      allowedOrigins: ["https://only-this.example"],
    });
    const page = await browser.newPage();
    const warned = new Promise<string>((resolve) => {
      page.on("console", (msg) => {
        if (msg.type() === "warning" && msg.text().startsWith("Parley:")) resolve(msg.text());
      });
    });
    await page.goto(host.url({ siteKey: site.siteKey }));
    assert.match(await warned, /refused this page's origin/);
    assert.equal(await page.locator("parley-chat").count(), 0, "no launcher on a refused origin");
    const res = await fetch(`${app.url}/api/v1/widget/sessions?siteKey=${site.siteKey}`, {
      method: "POST",
      headers: { origin: host.origin, "content-type": "application/json" },
      body: JSON.stringify({ siteKey: site.siteKey }),
    });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error.code, "origin_not_allowed");
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});

Deno.test("[widget] browser: /demo on Parley's own origin and CSP, with its context example", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (msg) => {
      // Failed loads are checked by URL below (the browser asks for /favicon.ico on its own).
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) {
        problems.push(msg.text());
      }
    });
    page.on("pageerror", (err) => problems.push(String(err)));
    page.on("response", (res) => {
      if (res.status() >= 400 && !res.url().endsWith("/favicon.ico")) {
        problems.push(`${res.status()} ${res.url()}`);
      }
    });
    await page.goto(app.url + "/demo");
    const w = widget(page);
    await w.launcher.waitFor();
    await page.getByRole("button", { name: "Ask us a question" }).click();
    await w.input.fill("Hi from the demo page");
    await w.input.press("Enter");
    await w.log.getByText("Hi from the demo page").waitFor();
    const conv = await pendingConversation(app, sam);
    const first = await detail(app, sam, conv.id);
    assert.match(String(first.context.CUSTOM_KEY1), /^demo-/);
    assert.equal(first.context.page, "/demo");
    await page.getByRole("button", { name: "Add the blue mug to the cart" }).click();
    await until(
      "the cart context merged live",
      async () => (await detail(app, sam, conv.id)).context.cartItems === 1,
    );
    assert.deepEqual(problems, [], "no script errors or CSP refusals on the demo page");
  } finally {
    await browser.close();
    await app.shutdown();
  }
});

Deno.test("[widget] browser: one script tag without the stub, with data-* settings (left, colour, German)", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const site = await createSite(app.engine, { name: "Laden", allowedOrigins: [host.origin] });
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(host.url({
      siteKey: site.siteKey,
      oneTag: true,
      data: {
        position: "left",
        colour: "#aa0000",
        lang: "de",
        greeting: "Hallo! Wie können wir helfen?",
      },
    }));
    const launcher = page.getByRole("button", { name: "Chat öffnen" });
    await launcher.waitFor();
    const box = (await launcher.boundingBox())!;
    assert.ok(box.x < 100, `on the left: x = ${box.x}`);
    assert.equal(
      await launcher.evaluate((el) => getComputedStyle(el).backgroundColor),
      "rgb(170, 0, 0)",
    );
    // The script installed both objects itself; the documented call works after load.
    await page.evaluate(() => {
      // deno-lint-ignore no-explicit-any
      (window as any).SyntphonyConversationalAIChat.addContext({ CUSTOM_KEY1: "after-load-only" });
    });
    await launcher.click();
    await page.getByText("Hallo! Wie können wir helfen?").waitFor();
    await page.getByLabel("Nachricht", { exact: true }).fill("Guten Tag");
    await page.getByRole("button", { name: "Senden" }).click();
    await page.getByText("Warten auf einen Mitarbeiter…").waitFor();
    const conv = await pendingConversation(app, sam);
    await until(
      "the context sent after load",
      async () => (await detail(app, sam, conv.id)).context?.CUSTOM_KEY1 === "after-load-only",
    );
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
