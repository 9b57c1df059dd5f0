/**
 * Security: `X-Forwarded-*` headers are believed only when TRUSTED_PROXY says
 * the peer is a proxy. Otherwise anyone could name their own site as
 * Parley's host (and pass the CSRF and widget origin checks) or pretend to
 * come from many addresses (and dodge the sign-in throttle).
 */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../fresh.config.ts";
import { startTestApp } from "./helpers.ts";

const EVIL = { origin: "https://evil.example", "x-forwarded-host": "evil.example" };

Deno.test("[security] forwarded headers from an untrusted peer are ignored", async (t) => {
  const app = await startTestApp();
  try {
    const staff = await app.createStaff("agent");
    await t.step("a foreign Origin with a matching X-Forwarded-Host is still foreign", async () => {
      const res = await app.api("PUT", "/api/v1/me/status", {
        as: staff,
        body: { status: "busy" },
        headers: EVIL,
      });
      assert.equal(res.status, 403);
      const widget = await app.api("POST", "/api/v1/widget/sessions", { body: {}, headers: EVIL });
      assert.equal(widget.status, 403);
    });
    await t.step("X-Forwarded-For does not split the sign-in throttle", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await app.api("POST", "/api/v1/auth/login", {
          body: { email: staff.agent.email, password: "wrong" },
          headers: { "x-forwarded-for": `198.51.100.${i}` },
        });
        statuses.push(res.status);
      }
      assert.equal(statuses.at(-1), 429, statuses.join(","));
    });
  } finally {
    await app.shutdown();
  }
});

Deno.test("[security] TRUSTED_PROXY: forwarded headers from the proxy are believed", async (t) => {
  const app = await startTestApp({ TRUSTED_PROXY: "127.0.0.1" });
  try {
    const staff = await app.createStaff("agent");
    await t.step("the host the browser used comes from X-Forwarded-Host", async () => {
      const res = await app.api("PUT", "/api/v1/me/status", {
        as: staff,
        body: { status: "busy" },
        headers: { origin: "https://parley.example", "x-forwarded-host": "parley.example" },
      });
      assert.equal(res.status, 200);
    });
    await t.step("the client address comes from X-Forwarded-For", async () => {
      for (let i = 0; i < 7; i++) {
        const res = await app.api("POST", "/api/v1/auth/login", {
          body: { email: staff.agent.email, password: "wrong" },
          headers: { "x-forwarded-for": `203.0.113.50, 198.51.100.${i}` },
        });
        assert.equal(res.status, 401, `attempt ${i} from its own address`);
      }
    });
  } finally {
    await app.shutdown();
  }
  const other = await startTestApp({ TRUSTED_PROXY: "10.9.9.9" });
  try {
    const staff = await other.createStaff("agent");
    const res = await other.api("PUT", "/api/v1/me/status", {
      as: staff,
      body: { status: "busy" },
      headers: EVIL,
    });
    assert.equal(res.status, 403, "a peer that is not the named proxy is not believed");
  } finally {
    await other.shutdown();
  }
});

Deno.test("[security] TRUSTED_PROXY values", () => {
  const base = { KV_PATH: ":memory:" };
  assert.equal(loadConfig(base).trustedProxy, null);
  assert.equal(loadConfig({ ...base, TRUSTED_PROXY: "false" }).trustedProxy, null);
  assert.equal(loadConfig({ ...base, TRUSTED_PROXY: "true" }).trustedProxy, "any");
  assert.deepEqual(loadConfig({ ...base, TRUSTED_PROXY: "10.0.0.1, ::1" }).trustedProxy, [
    "10.0.0.1",
    "::1",
  ]);
  assert.throws(() => loadConfig({ ...base, TRUSTED_PROXY: "proxy.example" }), ConfigError);
});
