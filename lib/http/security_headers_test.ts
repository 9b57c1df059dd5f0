import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { securityHeaders } from "./middleware.ts";

/** An app with the security headers around a page that prints its nonce. */
function pageApp() {
  const app = new Hono<AppEnv>();
  app.use("*", securityHeaders());
  app.get("/page", (c) => c.html(`<script nonce="${c.get("nonce")}">1</script>`));
  app.get("/framed", (c) => {
    c.header("content-security-policy", "frame-ancestors https://host.example");
    c.header("x-frame-options", "SAMEORIGIN");
    return c.text("embeddable");
  });
  app.get("/ws/agent", (c) => c.text("upgrade"));
  return app;
}

Deno.test("[http] security headers: a page gets a CSP whose nonce is the one its scripts carry", async () => {
  const res = await pageApp().request("/page");
  const csp = res.headers.get("content-security-policy") ?? "";
  const nonce = /script-src 'self' 'nonce-([0-9a-f]{32})'/.exec(csp)?.[1];
  assert.ok(nonce, csp);
  assert.equal(await res.text(), `<script nonce="${nonce}">1</script>`);
  for (const part of ["default-src 'self'", "object-src 'none'", "base-uri 'none'"]) {
    assert.ok(csp.includes(part), part);
  }
  assert.ok(csp.includes("frame-ancestors 'none'"));
  assert.equal(res.headers.get("x-frame-options"), "DENY");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
});

Deno.test("[http] security headers: every request gets a fresh nonce", async () => {
  const app = pageApp();
  const nonces = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const csp = (await app.request("/page")).headers.get("content-security-policy") ?? "";
    nonces.add(/'nonce-([0-9a-f]+)'/.exec(csp)?.[1] ?? "");
  }
  assert.equal(nonces.size, 5);
  assert.ok(!nonces.has(""));
});

Deno.test("[http] security headers: a route's own framing policy is kept; WebSocket paths are left alone", async () => {
  const app = pageApp();
  const framed = await app.request("/framed");
  assert.equal(
    framed.headers.get("content-security-policy"),
    "frame-ancestors https://host.example",
  );
  assert.equal(framed.headers.get("x-frame-options"), "SAMEORIGIN");
  assert.equal(framed.headers.get("x-content-type-options"), "nosniff");
  const ws = await app.request("/ws/agent");
  assert.equal(ws.headers.get("content-security-policy"), null);
  assert.equal(ws.headers.get("x-content-type-options"), null);
});
