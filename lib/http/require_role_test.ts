import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppDeps } from "../app_deps.ts";
import { createSession, SESSION_COOKIE } from "../auth/sessions.ts";
import { setAgentActive } from "../store/agents.ts";
import { Engine } from "../store/engine/engine.ts";
import { randomAgent } from "../store/engine/test_util.ts";
import type { AppEnv } from "./context.ts";
import { errorResponse } from "./error_response.ts";
import { currentAgent, loadSession, requireRole } from "./middleware.ts";

/** Sessions from real KV, then `requireRole` in front of routes that say who called. */
async function roleApp() {
  const kv = await Deno.openKv(":memory:");
  const app = new Hono<AppEnv>();
  app.onError((err) => errorResponse(err));
  app.use("*", loadSession({ kv } as AppDeps));
  app.get("/anyone", requireRole(), (c) => c.json({ name: currentAgent(c).name }));
  app.get("/supervisors", requireRole("supervisor", "admin"), (c) => c.json({ ok: true }));
  const cookieOf = async (role: "agent" | "supervisor" | "admin") => {
    const agent = await randomAgent(kv, role, { name: `A ${role}` });
    return { agent, cookie: `${SESSION_COOKIE}=${await createSession(kv, agent.id, 60_000)}` };
  };
  return { kv, app, cookieOf };
}

Deno.test("[http] requireRole: signed out, or with a session that does not exist, is a 401", async () => {
  const { kv, app } = await roleApp();
  try {
    const signedOut: Record<string, string>[] = [{}, { cookie: `${SESSION_COOKIE}=made-up` }];
    for (const headers of signedOut) {
      const res = await app.request("/anyone", { headers });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), {
        error: { code: "unauthorized", message: "Sign in first." },
      });
    }
  } finally {
    kv.close();
  }
});

Deno.test("[http] requireRole: a role outside the list is a 403 that names the roles needed", async () => {
  const { kv, app, cookieOf } = await roleApp();
  try {
    const { cookie } = await cookieOf("agent");
    const res = await app.request("/supervisors", { headers: { cookie } });
    assert.equal(res.status, 403);
    const body = await res.json();
    assert.equal(body.error.code, "forbidden");
    assert.equal(body.error.message, "This needs the supervisor or admin role.");
    const anyone = await app.request("/anyone", { headers: { cookie } });
    assert.equal(anyone.status, 200);
    assert.deepEqual(await anyone.json(), { name: "A agent" });
  } finally {
    kv.close();
  }
});

Deno.test("[http] requireRole: a listed role passes and the handler knows who it is", async () => {
  const { kv, app, cookieOf } = await roleApp();
  try {
    for (const role of ["supervisor", "admin"] as const) {
      const { cookie } = await cookieOf(role);
      assert.equal((await app.request("/supervisors", { headers: { cookie } })).status, 200);
      const who = await app.request("/anyone", { headers: { cookie } });
      assert.deepEqual(await who.json(), { name: `A ${role}` });
    }
  } finally {
    kv.close();
  }
});

Deno.test("[http] requireRole: a deactivated account's session no longer signs anyone in", async () => {
  const { kv, app, cookieOf } = await roleApp();
  try {
    const { agent, cookie } = await cookieOf("supervisor");
    assert.equal((await app.request("/supervisors", { headers: { cookie } })).status, 200);
    await setAgentActive(new Engine(kv), agent.id, false);
    const res = await app.request("/supervisors", { headers: { cookie } });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, "unauthorized");
  } finally {
    kv.close();
  }
});
