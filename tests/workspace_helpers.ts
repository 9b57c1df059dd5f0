/**
 * Helpers for the workspace browser tests: a web visitor on the visitor HTTP
 * API and WebSocket, a signed-in page per staff member (with the browser
 * notifications it shows recorded), and locators in the product's words.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Staff, TestApp } from "./helpers.ts";

/** axe-core's browser build, from the npm package. */
export const AXE_PATH = new URL("../node_modules/axe-core/axe.min.js", import.meta.url);

/** A web visitor speaking through the visitor HTTP API. */
export class Visitor {
  token = "";
  conversationId: string | null = null;
  #n = 0;
  constructor(readonly app: TestApp) {}

  /** Opens a visitor session and tells Parley the visitor's name (as `setUser` does). */
  async start(name: string): Promise<this> {
    const res = await this.app.api("POST", "/api/v1/widget/sessions", { body: {} });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    this.token = res.body.visitorToken;
    const user = await this.app.api("POST", "/api/v1/widget/context", {
      body: { user: { name } },
      headers: { authorization: `Bearer ${this.token}` },
    });
    assert.ok(user.status < 300, JSON.stringify(user.body));
    return this;
  }

  async say(text: string): Promise<string> {
    const res = await this.app.api("POST", "/api/v1/widget/messages", {
      body: { text, clientId: `v-${crypto.randomUUID()}-${++this.#n}` },
      headers: { authorization: `Bearer ${this.token}` },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    this.conversationId = res.body.conversation?.id ?? res.body.message?.conversationId ??
      this.conversationId;
    return this.conversationId!;
  }

  async addContext(context: Record<string, string>): Promise<void> {
    const res = await this.app.api("POST", "/api/v1/widget/context", {
      body: { context },
      headers: { authorization: `Bearer ${this.token}` },
    });
    assert.ok(res.status < 300, JSON.stringify(res.body));
  }

  /** Opens the visitor WebSocket subscribed to its conversation. */
  async socket(): Promise<WebSocket> {
    const ws = new WebSocket(
      `${this.app.url.replace("http", "ws")}/ws/visitor?token=${encodeURIComponent(this.token)}`,
    );
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error("visitor socket failed"));
    });
    const subscribed = new Promise<void>((resolve) => {
      ws.addEventListener("message", (e) => {
        if (JSON.parse(e.data).type === "subscribed") resolve();
      });
    });
    ws.send(JSON.stringify({ type: "subscribe", conversationId: this.conversationId }));
    await subscribed;
    return ws;
  }

  /** The texts the visitor can see in its conversation. */
  async texts(): Promise<string[]> {
    const res = await this.app.api("GET", "/api/v1/widget/messages", {
      headers: { authorization: `Bearer ${this.token}` },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.messages ?? []).map((m: { text: string }) => m.text);
  }
}

/** A browser context signed in as `staff`, on the workspace, once it is live. */
export async function openAs(
  browser: Browser,
  baseUrl: string,
  staff: Staff,
  viewport = { width: 1280, height: 800 },
  timezoneId = "UTC",
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    viewport,
    timezoneId,
    permissions: ["notifications"],
  });
  const [name, value] = staff.cookie.split("=");
  await ctx.addCookies([{ name, value, url: baseUrl }]);
  // Records the browser notifications the page shows (the real API still runs), and adds up
  // layout shifts not caused by the user (Chromium's layout-shift entries).
  await ctx.addInitScript(() => {
    const cls = { value: 0 };
    Object.assign(globalThis, { layoutShift: cls });
    try {
      new PerformanceObserver((list) => {
        for (
          const e of list
            .getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]
        ) {
          if (!e.hadRecentInput) cls.value += e.value;
        }
      }).observe({ type: "layout-shift", buffered: true });
    } catch { /* not Chromium */ }
    const Real = globalThis.Notification;
    const shown: string[] = [];
    Object.assign(globalThis, { shownNotifications: shown });
    if (!Real) return;
    globalThis.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        shown.push(title);
        super(title, options);
      }
    };
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.error(`[${staff.agent.name}] page error:`, e.message));
  await page.goto(baseUrl + "/");
  await live(page);
  return { ctx, page };
}

/** Waits for the connection state "Live". */
export async function live(page: Page): Promise<void> {
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
}

/** Picks a status in the header's "Status" switcher. */
export async function setStatus(page: Page, status: "online" | "busy" | "offline") {
  const select = page.getByLabel("Status", { exact: true });
  if (await select.inputValue() === status) return;
  // Done when the server has it (routing depends on it), not when the select shows it.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/me/status")),
    select.selectOption(status),
  ]);
}

/** The "Active", "Pending" or "Closed" tab (its name carries the count). */
export function tab(page: Page, name: "Active" | "Pending" | "Closed") {
  return page.getByRole("tab", { name: new RegExp(`^${name}`) });
}

/** The rows of the list shown. */
export function rows(page: Page) {
  return page.locator("#conversation-rows li");
}

/** The open conversation's message list. */
export function log(page: Page) {
  return page.getByRole("list", { name: "Messages" }).last();
}

/** Types `text` in the composer, presses Enter, and waits for the commit. */
export async function send(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
  await stored(page, text);
}

/** Waits until the message with `text` is in the log and no longer "Sending" (it is committed). */
export async function stored(page: Page, text: string) {
  await log(page).locator("li", { hasText: text })
    .filter({ hasNot: page.locator('[data-delivery="sending"]') }).waitFor();
}

/** The page's cumulative layout shift so far (shifts right after user input excluded). */
export async function layoutShift(page: Page): Promise<number> {
  return await page.evaluate(() =>
    (globalThis as unknown as { layoutShift: { value: number } }).layoutShift.value
  );
}

/** axe-core's serious and critical violations on the page, as "rule: selectors" lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // evaluate() is not subject to the page's CSP, unlike an injected <script>.
  await page.evaluate(await Deno.readTextFile(AXE_PATH));
  const result = await page.evaluate(() =>
    (globalThis as unknown as {
      axe: { run(ctx: Document, o: unknown): Promise<unknown> };
    }).axe.run(document, { resultTypes: ["violations"] })
  ) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Screenshots of the agent's and the supervisor's workspace at 1280 and 390 px, into `folder`. */
export async function saveScreenshots(
  folder: string | undefined,
  agent: Page,
  supervisor: Page,
): Promise<void> {
  if (!folder) return;
  await agent.screenshot({ path: `${folder}/agent-1280.png` });
  await agent.getByRole("button", { name: "Transfer" }).click();
  await agent.screenshot({ path: `${folder}/agent-transfer.png` });
  await agent.getByRole("button", { name: "Context" }).click();
  await agent.screenshot({ path: `${folder}/agent-context.png` });
  await agent.getByRole("button", { name: "Context" }).click();
  await agent.getByRole("button", { name: "Quick responses" }).click();
  await agent.screenshot({ path: `${folder}/agent-quick.png` });
  await agent.keyboard.press("Escape");
  await supervisor.screenshot({ path: `${folder}/supervisor-1280.png` });
  await agent.setViewportSize({ width: 390, height: 844 });
  await agent.screenshot({ path: `${folder}/agent-390.png` });
  await agent.getByRole("button", { name: "Transfer" }).click();
  await agent.screenshot({ path: `${folder}/agent-390-transfer.png` });
  await agent.getByRole("button", { name: "Hide" }).click();
  await agent.getByRole("link", { name: "Back to list" }).click();
  await agent.screenshot({ path: `${folder}/agent-390-list.png` });
  await agent.setViewportSize({ width: 1280, height: 800 });
}
