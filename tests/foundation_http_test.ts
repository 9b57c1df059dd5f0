import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { listAgents } from "../lib/store/agents.ts";

Deno.test("[foundation] health, sign-in, roles and API conventions over real HTTP", async (t) => {
  const app = await startTestApp();
  try {
    await t.step("healthz answers when KV does", async () => {
      const res = await app.api("GET", "/healthz");
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ok: true });
    });

    const admin = await app.createStaff("admin");
    const agent = await app.createStaff("agent");

    await t.step("login with the right password sets an HttpOnly session cookie", async () => {
      const res = await app.api("POST", "/api/v1/auth/login", {
        body: { email: agent.agent.email, password: agent.password },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.agent.email, agent.agent.email);
      assert.equal(res.body.agent.passwordHash, undefined, "the hash never leaves the server");
      const cookie = res.headers.get("set-cookie") ?? "";
      assert.match(cookie, /parley_session=/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
    });

    await t.step("wrong password and unknown email get the same 401", async () => {
      const wrong = await app.api("POST", "/api/v1/auth/login", {
        body: { email: agent.agent.email, password: "not-the-password" },
      });
      const unknown = await app.api("POST", "/api/v1/auth/login", {
        body: { email: "nobody@example.test", password: "not-the-password" },
      });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(wrong.body.error.message, unknown.body.error.message);
      assert.equal(wrong.headers.get("set-cookie"), null);
    });

    await t.step("repeated failures for one email are throttled with 429", async () => {
      const target = await app.createStaff("agent");
      let last = 0;
      for (let i = 0; i < 6; i++) {
        last = (await app.api("POST", "/api/v1/auth/login", {
          body: { email: target.agent.email, password: "wrong-password" },
        })).status;
      }
      assert.equal(last, 429);
      const right = await app.api("POST", "/api/v1/auth/login", {
        body: { email: target.agent.email, password: target.password },
      });
      assert.equal(right.status, 429, "even the right password waits out the throttle");
      assert.ok(right.headers.get("retry-after"));
    });

    await t.step("malformed JSON is a 400 with a reason", async () => {
      const res = await app.api("POST", "/api/v1/admin/agents", {
        as: admin,
        rawBody: "{not json",
        headers: { "content-type": "application/json" },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "malformed_json");
    });

    await t.step("invalid fields are a 400 naming them, and nothing is created", async () => {
      const before = (await listAgents(app.kv)).length;
      const res = await app.api("POST", "/api/v1/admin/agents", {
        as: admin,
        body: { name: "", email: "nope", password: "short", role: "wizard" },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "invalid");
      for (const field of ["name", "email", "password", "role"]) {
        assert.ok(res.body.error.details.fields[field], field);
      }
      assert.equal((await listAgents(app.kv)).length, before);
    });

    await t.step("a body over the limit is a 413", async () => {
      const res = await app.api("POST", "/api/v1/admin/agents", {
        as: admin,
        body: {
          name: "x".repeat(70 * 1024),
          email: "big@example.test",
          password: "long-enough-1",
          role: "agent",
        },
      });
      assert.equal(res.status, 413);
      assert.equal(res.body.error.code, "too_large");
    });

    await t.step("no session is a 401; an agent on an admin route is a 403", async () => {
      const body = {
        name: "New",
        email: "new@example.test",
        password: "long-enough-1",
        role: "agent",
      };
      const anonymous = await app.api("POST", "/api/v1/admin/agents", { body });
      assert.equal(anonymous.status, 401);
      const asAgent = await app.api("POST", "/api/v1/admin/agents", { as: agent, body });
      assert.equal(asAgent.status, 403);
      assert.equal(asAgent.body.error.code, "forbidden");
      assert.equal(
        await (await import("../lib/store/agents.ts")).getAgentByEmail(app.kv, "new@example.test"),
        null,
      );
    });

    await t.step(
      "an admin creates an agent who can then sign in; a duplicate email is a 409",
      async () => {
        const body = {
          name: "Ana",
          email: "Ana@Example.test",
          password: "long-enough-1",
          role: "agent",
          maxChats: 3,
        };
        const res = await app.api("POST", "/api/v1/admin/agents", { as: admin, body });
        assert.equal(res.status, 201);
        assert.equal(res.body.agent.email, "ana@example.test");
        assert.equal(res.body.agent.maxChats, 3);
        const again = await app.api("POST", "/api/v1/admin/agents", { as: admin, body });
        assert.equal(again.status, 409);
        const login = await app.api("POST", "/api/v1/auth/login", {
          body: { email: "ana@example.test", password: "long-enough-1" },
        });
        assert.equal(login.status, 200);
      },
    );

    await t.step("a cross-origin state change with a session cookie is refused", async () => {
      const res = await app.api("POST", "/api/v1/admin/agents", {
        as: admin,
        headers: { origin: "https://evil.example" },
        body: { name: "Eve", email: "eve@example.test", password: "long-enough-1", role: "admin" },
      });
      assert.equal(res.status, 403);
      assert.equal(
        await (await import("../lib/store/agents.ts")).getAgentByEmail(app.kv, "eve@example.test"),
        null,
      );
    });

    await t.step("unknown API routes are JSON 404s; pages carry security headers", async () => {
      const res = await app.api("GET", "/api/v1/does-not-exist");
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "not_found");
      const page = await fetch(app.url + "/login");
      await page.body?.cancel();
      const csp = page.headers.get("content-security-policy") ?? "";
      assert.match(csp, /script-src 'self' 'nonce-[0-9a-f]+'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(page.headers.get("x-content-type-options"), "nosniff");
      assert.ok(page.headers.get("referrer-policy"));
    });

    await t.step(
      "scripts and pages go out gzipped; the event stream is never held back",
      async () => {
        const js = await fetch(app.url + app.deps.assets.islandsJs, {
          headers: { "accept-encoding": "gzip" },
        });
        const body = await js.text(); // fetch unpacks it
        assert.equal(js.headers.get("content-encoding"), "gzip");
        assert.match(js.headers.get("cache-control") ?? "", /immutable/);
        assert.ok(body.length > 1000);
        const stream = await fetch(app.url + "/api/v1/stream", {
          headers: { cookie: agent.cookie, "accept-encoding": "gzip" },
        });
        assert.equal(stream.headers.get("content-encoding"), null);
        await stream.body?.cancel();
      },
    );

    await t.step("logout ends the session", async () => {
      const staff = await app.createStaff("agent");
      const out = await app.api("POST", "/api/v1/auth/logout", { as: staff });
      assert.equal(out.status, 204);
      const page = await fetch(app.url + "/", {
        headers: { cookie: staff.cookie },
        redirect: "manual",
      });
      await page.body?.cancel();
      assert.equal(page.status, 302);
      assert.equal(page.headers.get("location"), "/login");
    });
  } finally {
    await app.shutdown();
  }
});

Deno.test("[foundation] setup needs the one-time code and closes once an account exists", async () => {
  const app = await startTestApp();
  try {
    assert.ok(app.setupCode);
    const form = (code: string) =>
      new URLSearchParams({
        code,
        name: "Root",
        email: "root@example.test",
        password: "long-enough-1",
      });
    const wrong = await fetch(app.url + "/setup", {
      method: "POST",
      body: form("guess"),
      headers: { origin: app.url },
    });
    assert.equal(wrong.status, 403);
    assert.match(await wrong.text(), /setup code is wrong/);
    assert.equal((await listAgents(app.kv)).length, 0);
    const right = await fetch(app.url + "/setup", {
      method: "POST",
      body: form(app.setupCode),
      headers: { origin: app.url },
      redirect: "manual",
    });
    await right.body?.cancel();
    assert.equal(right.status, 302);
    assert.match(right.headers.get("set-cookie") ?? "", /parley_session=/);
    const gone = await fetch(app.url + "/setup");
    await gone.body?.cancel();
    assert.equal(gone.status, 404);
    const [admin] = await listAgents(app.kv);
    assert.equal(admin.role, "admin");
  } finally {
    await app.shutdown();
  }
});
