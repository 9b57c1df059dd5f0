/**
 * Helpers of the widget's browser tests: a host website on its own origin (a
 * second port) that embeds the widget with the documented snippet, waits on
 * staff-side state, and locators into the widget's shadow DOM.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Staff, TestApp } from "./helpers.ts";
import { WIDGET_STUB } from "../lib/channels/widget_snippet.ts";

export const AXE_PATH = new URL("../node_modules/axe-core/axe.min.js", import.meta.url);

export interface HostOptions {
  siteKey: string;
  /** Extra CSS for the host page (hostile styles). */
  css?: string;
  /** Send a strict CSP that allows only Parley's origin. */
  strictCsp?: boolean;
  /** Only the script tag: no stub, no calls before load. */
  oneTag?: boolean;
  /** More `data-*` settings on the script tag, e.g. `{ lang: "de" }`. */
  data?: Record<string, string>;
}

/** A website on its own origin that embeds the widget with the documented snippet. */
export function startHost(app: TestApp) {
  const nonce = "n0nce" + crypto.randomUUID().slice(0, 8);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    const opts = JSON.parse(url.searchParams.get("o") ?? "{}") as HostOptions;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style nonce="${nonce}">${opts.css ?? ""}</style>
<script nonce="${nonce}">
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
window.__before = Object.getOwnPropertyNames(window);
${
      opts.oneTag ? "" : `${WIDGET_STUB}
var customValue1 = "value-before-load";
SyntphonyConversationalAIChat.addContext({ 'CUSTOM_KEY1': customValue1 });
Parley.on("ready", function () { window.__ready = true; });`
    }
</script>
<script src="${app.url}/widget.js" data-site-key="${opts.siteKey}" ${
      Object.entries(opts.data ?? {}).map(([k, v]) => `data-${k}="${v}"`).join(" ")
    } async></script>
</head><body><h1>Welcome to the shop</h1><p>Some text.</p></body></html>`;
    const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" };
    if (opts.strictCsp) {
      const ws = app.url.replace(/^http/, "ws");
      headers["content-security-policy"] =
        `default-src 'none'; script-src 'nonce-${nonce}' ${app.url}; style-src 'nonce-${nonce}'; connect-src ${app.url} ${ws}; img-src 'none'`;
    }
    return new Response(html, { headers });
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    origin,
    url: (o: HostOptions) => `${origin}/?o=${encodeURIComponent(JSON.stringify(o))}`,
    shutdown: () => server.shutdown(),
  };
}

/** Waits until `check` returns a truthy value (staff-side state arrives asynchronously). */
export async function until<T>(
  what: string,
  check: () => T | Promise<T>,
  ms = 15_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  while (true) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`Gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// deno-lint-ignore no-explicit-any
export async function pendingConversation(app: TestApp, staff: Staff): Promise<any> {
  return await until("a pending conversation", async () => {
    const res = await app.api("GET", "/api/v1/conversations?status=pending", { as: staff });
    return res.body.items?.[0];
  });
}

// deno-lint-ignore no-explicit-any
export async function detail(app: TestApp, staff: Staff, id: string): Promise<any> {
  const res = await app.api("GET", `/api/v1/conversations/${id}`, { as: staff });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.conversation ?? res.body;
}

export function widget(page: Page) {
  return {
    launcher: page.getByRole("button", { name: /Open chat|Close chat/ }),
    input: page.getByLabel("Message", { exact: true }),
    log: page.getByRole("log", { name: "Messages" }),
    send: page.getByRole("button", { name: "Send" }),
  };
}
