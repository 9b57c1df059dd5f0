import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { getAgent, listAgents } from "../lib/store/agents.ts";

/** Every admin page (GET) and form post. */
const ADMIN_PAGES: Array<[string, string]> = [
  ["GET", "/admin"],
  ["GET", "/admin/agents"],
  ["POST", "/admin/agents"],
  ["GET", "/admin/agents/X"],
  ["POST", "/admin/agents/X"],
  ["POST", "/admin/agents/X/password"],
  ["POST", "/admin/agents/X/deactivate"],
  ["POST", "/admin/agents/X/reactivate"],
  ["GET", "/admin/teams"],
  ["POST", "/admin/teams"],
  ["POST", "/admin/teams/X"],
  ["POST", "/admin/teams/X/delete"],
  ["GET", "/admin/quick-responses"],
  ["POST", "/admin/quick-responses"],
  ["POST", "/admin/quick-responses/import"],
  ["GET", "/admin/quick-responses/X"],
  ["POST", "/admin/quick-responses/X"],
  ["POST", "/admin/quick-responses/X/delete"],
  ["GET", "/admin/settings"],
  ["POST", "/admin/settings"],
  ["GET", "/admin/channels"],
  ["POST", "/admin/channels/sites"],
  ["POST", "/admin/channels/sites/X"],
  ["POST", "/admin/channels/whatsapp"],
  ["POST", "/admin/channels/whatsapp/test"],
  ["GET", "/admin/audit"],
];

/** Every admin JSON API route. */
const ADMIN_API: Array<[string, string]> = [
  ["GET", "/api/v1/admin/agents"],
  ["POST", "/api/v1/admin/agents"],
  ["GET", "/api/v1/admin/agents/X"],
  ["PUT", "/api/v1/admin/agents/X"],
  ["POST", "/api/v1/admin/agents/X/deactivate"],
  ["POST", "/api/v1/admin/agents/X/reactivate"],
  ["POST", "/api/v1/admin/agents/X/password"],
  ["GET", "/api/v1/admin/teams"],
  ["POST", "/api/v1/admin/teams"],
  ["PUT", "/api/v1/admin/teams/X"],
  ["DELETE", "/api/v1/admin/teams/X"],
  ["GET", "/api/v1/admin/quick-responses"],
  ["POST", "/api/v1/admin/quick-responses"],
  ["PUT", "/api/v1/admin/quick-responses/X"],
  ["DELETE", "/api/v1/admin/quick-responses/X"],
  ["GET", "/api/v1/admin/quick-responses/export"],
  ["POST", "/api/v1/admin/quick-responses/import"],
  ["GET", "/api/v1/admin/audit"],
  ["GET", "/api/v1/admin/settings"],
  ["PUT", "/api/v1/admin/settings"],
  ["GET", "/api/v1/admin/sites"],
  ["POST", "/api/v1/admin/sites"],
  ["PUT", "/api/v1/admin/sites/X"],
  ["GET", "/api/v1/admin/whatsapp"],
  ["PUT", "/api/v1/admin/whatsapp"],
  ["POST", "/api/v1/admin/whatsapp/test"],
];

Deno.test("[admin] permission matrix: agents and supervisors 403, signed out 401 or sign-in", async () => {
  const app = await startTestApp();
  try {
    const agent = await app.createStaff("agent");
    const supervisor = await app.createStaff("supervisor");
    const before = await listAgents(app.kv);
    for (const [method, path] of ADMIN_API) {
      const body = method === "GET" ? undefined : { name: "x" };
      for (const who of [agent, supervisor]) {
        const res = await app.api(method, path, { as: who, body });
        assert.equal(res.status, 403, `${who.agent.role} ${method} ${path}`);
        assert.equal(res.body.error.code, "forbidden");
      }
      const anon = await app.api(method, path, { body });
      assert.equal(anon.status, 401, `signed out ${method} ${path}`);
    }
    for (const [method, path] of ADMIN_PAGES) {
      const body = method === "POST" ? "name=x" : undefined;
      const headers = { "content-type": "application/x-www-form-urlencoded" };
      for (const who of [agent, supervisor]) {
        const res = await app.api(method, path, { as: who, rawBody: body, headers });
        assert.equal(res.status, 403, `${who.agent.role} ${method} ${path}`);
        assert.match(String(res.body), /Admins only/);
      }
      const anon = await app.api(method, path, { rawBody: body, headers });
      assert.equal(anon.status, 302, `signed out ${method} ${path}`);
      assert.equal(anon.headers.get("location"), "/login");
    }
    assert.deepEqual(await listAgents(app.kv), before, "nothing changed");
  } finally {
    await app.shutdown();
  }
});

Deno.test("[admin] cross-site form posts and API calls are refused (CSRF)", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const evil = { origin: "https://evil.example" };
    const page = await app.api("POST", "/admin/teams", {
      as: admin,
      rawBody: "name=Evil",
      headers: { ...evil, "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(page.status, 403);
    const api = await app.api("POST", "/api/v1/admin/agents", {
      as: admin,
      body: { name: "Evil", email: "evil@example.test", role: "admin", password: "0123456789" },
      headers: evil,
    });
    assert.equal(api.status, 403);
    const teams = await app.api("GET", "/api/v1/admin/teams", { as: admin });
    assert.deepEqual(teams.body.items, []);
    assert.equal((await listAgents(app.kv)).length, 1);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[admin] no input makes an admin route answer 500", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const bodies = ["{not json", "null", "[]", '"text"', '{"name":{"$gt":1},"role":7}', "{}"];
    const ids = ["X", "x".repeat(3000), "%00", "..%2F..", encodeURIComponent("ключ")];
    for (const [method, template] of ADMIN_API) {
      for (const id of ids) {
        const path = template.replace("/X", `/${id}`);
        for (const rawBody of method === "GET" ? [undefined] : bodies) {
          const res = await app.api(method, path, {
            as: admin,
            rawBody,
            headers: { "content-type": "application/json" },
          });
          assert.ok(
            res.status >= 200 && res.status < 500,
            `${method} ${path.slice(0, 60)} ${rawBody}`,
          );
          if (res.status >= 400) assert.equal(typeof res.body.error.code, "string");
        }
      }
    }
    const form = { "content-type": "application/x-www-form-urlencoded" };
    for (const [method, template] of ADMIN_PAGES) {
      if (method !== "POST") continue;
      for (const id of ids) {
        for (const rawBody of ["", "name=&role=wizard&maxChats=-1&teamId=nope", "a=%ZZ"]) {
          const res = await app.api(method, template.replace("/X", `/${id}`), {
            as: admin,
            rawBody,
            headers: form,
          });
          assert.ok(res.status < 500, `${method} ${template} ${id.slice(0, 10)} ${rawBody}`);
        }
      }
    }
  } finally {
    await app.shutdown();
  }
});

Deno.test("[admin] accounts over HTTP: invite link, edit, reset, deactivate ends sessions", async (t) => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");

    let inviteePath = "";
    let inviteeId = "";
    await t.step("create with an invite link; the invitee sets a password once", async () => {
      const res = await app.api("POST", "/api/v1/admin/agents", {
        as: admin,
        body: { name: "Ina Invitee", email: "Ina@Example.test", role: "agent", invite: true },
      });
      assert.equal(res.status, 201);
      assert.match(res.body.invitePath, /^\/invite\/[\w-]{20,}$/);
      inviteePath = res.body.invitePath;
      inviteeId = res.body.agent.id;
      const page = await app.api("GET", inviteePath);
      assert.equal(page.status, 200);
      assert.match(page.body, /ina@example\.test/);

      const form = { "content-type": "application/x-www-form-urlencoded" };
      const mismatch = await app.api("POST", inviteePath, {
        rawBody: "password=long-enough-1&confirm=long-enough-2",
        headers: form,
      });
      assert.equal(mismatch.status, 400);
      assert.match(mismatch.body, /The two passwords differ/);
      const ok = await app.api("POST", inviteePath, {
        rawBody: "password=long-enough-1&confirm=long-enough-1",
        headers: form,
      });
      assert.equal(ok.status, 303);
      const login = await app.api("POST", "/api/v1/auth/login", {
        body: { email: "ina@example.test", password: "long-enough-1" },
      });
      assert.equal(login.status, 200);
      assert.equal((await app.api("GET", inviteePath)).status, 404, "the link works once");
    });

    await t.step("create needs a password or an invite; bad fields are named", async () => {
      const res = await app.api("POST", "/api/v1/admin/agents", {
        as: admin,
        body: { name: "No Pw", email: "nopw@example.test", role: "agent", maxChats: 0 },
      });
      assert.equal(res.status, 400);
      assert.ok(res.body.error.details.fields.password);
      assert.ok(res.body.error.details.fields.maxChats);
    });

    await t.step("edit: email taken is a 409; unknown team a 400; changes apply", async () => {
      const other = await app.createStaff("agent");
      const taken = await app.api("PUT", `/api/v1/admin/agents/${inviteeId}`, {
        as: admin,
        body: { email: other.agent.email },
      });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error.code, "email_taken");
      const team = await app.api("PUT", `/api/v1/admin/agents/${inviteeId}`, {
        as: admin,
        body: { teamId: "nope" },
      });
      assert.equal(team.status, 400);
      const ok = await app.api("PUT", `/api/v1/admin/agents/${inviteeId}`, {
        as: admin,
        body: { role: "supervisor", maxChats: 3 },
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.agent.role, "supervisor");
      assert.equal(ok.body.agent.maxChats, 3);
      assert.equal(ok.body.agent.passwordHash, undefined);
    });

    await t.step("an admin cannot demote or deactivate themselves", async () => {
      const demote = await app.api("PUT", `/api/v1/admin/agents/${admin.agent.id}`, {
        as: admin,
        body: { role: "agent" },
      });
      assert.equal(demote.status, 409);
      const off = await app.api("POST", `/api/v1/admin/agents/${admin.agent.id}/deactivate`, {
        as: admin,
      });
      assert.equal(off.status, 409);
    });

    await t.step("reset password and deactivate end the account's sessions at once", async () => {
      const victim = await app.createStaff("agent");
      assert.equal((await app.api("GET", "/api/v1/quick-responses", { as: victim })).status, 200);
      const reset = await app.api("POST", `/api/v1/admin/agents/${victim.agent.id}/password`, {
        as: admin,
        body: { password: "a-brand-new-password" },
      });
      assert.equal(reset.status, 200);
      assert.equal((await app.api("GET", "/api/v1/quick-responses", { as: victim })).status, 401);

      const login = await app.api("POST", "/api/v1/auth/login", {
        body: { email: victim.agent.email, password: "a-brand-new-password" },
      });
      assert.equal(login.status, 200);
      const cookie = login.headers.get("set-cookie")!.split(";")[0];
      const session = { ...victim, cookie };
      assert.equal((await app.api("GET", "/api/v1/quick-responses", { as: session })).status, 200);
      const off = await app.api("POST", `/api/v1/admin/agents/${victim.agent.id}/deactivate`, {
        as: admin,
      });
      assert.equal(off.status, 200);
      assert.equal((await app.api("GET", "/api/v1/quick-responses", { as: session })).status, 401);
      const again = await app.api("POST", "/api/v1/auth/login", {
        body: { email: victim.agent.email, password: "a-brand-new-password" },
      });
      assert.equal(again.status, 401, "a deactivated account cannot sign in");
      assert.equal((await getAgent(app.kv, victim.agent.id))?.active, false);
    });

    await t.step("the list shows every account with status and load", async () => {
      const res = await app.api("GET", "/api/v1/admin/agents", { as: admin });
      assert.equal(res.status, 200);
      const ina = res.body.items.find((r: { id: string }) => r.id === inviteeId);
      assert.equal(ina.status, "offline");
      assert.equal(ina.activeChats, 0);
      assert.equal(ina.passwordHash, undefined);
    });

    await t.step("the audit log records each change with who did it", async () => {
      const res = await app.api("GET", `/api/v1/admin/audit?targetType=agent`, { as: admin });
      assert.equal(res.status, 200);
      const actions = res.body.items.map((e: { action: string }) => e.action);
      for (
        const a of ["agent.created", "agent.updated", "agent.password_reset", "agent.deactivated"]
      ) {
        assert.ok(actions.includes(a), a);
      }
      assert.ok(res.body.items.every((e: { actorId: string }) => e.actorId === admin.agent.id));
      const bad = await app.api("GET", `/api/v1/admin/audit?targetType=bogus`, { as: admin });
      assert.equal(bad.status, 400);
    });
  } finally {
    await app.shutdown();
  }
});

Deno.test("[admin] quick responses over HTTP: scopes, personal ones, import and export", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const agent = await app.createStaff("agent");
    const team = await app.api("POST", "/api/v1/admin/teams", {
      as: admin,
      body: { name: "Billing" },
    });
    assert.equal(team.status, 201);

    const shared = await app.api("POST", "/api/v1/admin/quick-responses", {
      as: admin,
      body: { title: "Greeting", shortcut: "/hi", body: "Hi {{contact.firstName}}!" },
    });
    assert.equal(shared.status, 201);
    const bad = await app.api("POST", "/api/v1/admin/quick-responses", {
      as: admin,
      body: { title: "Bad", shortcut: "bad", body: "Hi {{contact.name" },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.details.fields.body, /not closed/);
    await app.api("POST", "/api/v1/admin/quick-responses", {
      as: admin,
      body: {
        title: "Refund",
        shortcut: "refund",
        body: "Refund for {{field:Order number}}",
        scope: "team",
        teamId: team.body.team.id,
      },
    });

    const mine = await app.api("POST", "/api/v1/quick-responses", {
      as: agent,
      body: { title: "My sign-off", shortcut: "bye", body: "Bye from {{agent.firstName}}" },
    });
    assert.equal(mine.status, 201);
    assert.equal(mine.body.quickResponse.scope, "personal");
    const notShared = await app.api("POST", "/api/v1/quick-responses", {
      as: agent,
      body: { title: "X", shortcut: "x", body: "x", scope: "everyone" },
    });
    assert.equal(notShared.status, 403);
    const editShared = await app.api(
      "PUT",
      `/api/v1/quick-responses/${shared.body.quickResponse.id}`,
      {
        as: agent,
        body: { title: "Hacked", shortcut: "hi", body: "x" },
      },
    );
    assert.equal(editShared.status, 404);

    const list = await app.api("GET", "/api/v1/quick-responses", { as: agent });
    assert.deepEqual(list.body.items.map((q: { title: string }) => q.title), [
      "Greeting",
      "My sign-off",
    ]);

    const exported = await app.api("GET", "/api/v1/admin/quick-responses/export", { as: admin });
    assert.equal(exported.status, 200);
    assert.equal(exported.body.quickResponses.length, 3);
    const fresh = await startTestApp();
    try {
      const admin2 = await fresh.createStaff("admin");
      const shared2 = exported.body.quickResponses.filter((q: { scope: string }) =>
        q.scope === "everyone"
      );
      const imported = await fresh.api("POST", "/api/v1/admin/quick-responses/import", {
        as: admin2,
        body: { quickResponses: shared2 },
      });
      assert.equal(imported.status, 200);
      assert.deepEqual(imported.body, { created: 1, updated: 0 });
      const wrong = await fresh.api("POST", "/api/v1/admin/quick-responses/import", {
        as: admin2,
        body: { quickResponses: [{ title: "", shortcut: "a b", body: "{{x}}" }] },
      });
      assert.equal(wrong.status, 400);
      const all = await fresh.api("GET", "/api/v1/admin/quick-responses", { as: admin2 });
      assert.equal(all.body.items.length, 1, "a failed import changes nothing");
    } finally {
      await fresh.shutdown();
    }
  } finally {
    await app.shutdown();
  }
});

Deno.test("[admin] a team that a channel routes to cannot be deleted", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const team = (await app.api("POST", "/api/v1/admin/teams", {
      as: admin,
      body: { name: "Sales" },
    })).body.team;
    const site = await app.api("POST", "/api/v1/admin/sites", {
      as: admin,
      body: { name: "Shop", allowedOrigins: ["https://shop.example"], teamId: team.id },
    });
    assert.equal(site.status, 201);
    const unknownTeam = await app.api("POST", "/api/v1/admin/sites", {
      as: admin,
      body: { name: "Other", teamId: "no-such-team" },
    });
    assert.equal(unknownTeam.status, 400);
    const wa = await app.api("PUT", "/api/v1/admin/whatsapp", {
      as: admin,
      body: { teamId: team.id, accessToken: "secret-token-value" },
    });
    assert.equal(wa.status, 200);
    assert.equal(wa.body.accessTokenSet, true);
    assert.ok(!JSON.stringify(wa.body).includes("secret-token-value"), "secrets are write-only");

    const refused = await app.api("DELETE", `/api/v1/admin/teams/${team.id}`, { as: admin });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, "team_in_use");
    assert.match(refused.body.error.message, /"Shop" and the WhatsApp number/);

    await app.api("PUT", `/api/v1/admin/sites/${site.body.site.id}`, {
      as: admin,
      body: { teamId: null },
    });
    await app.api("PUT", "/api/v1/admin/whatsapp", { as: admin, body: { teamId: null } });
    const ok = await app.api("DELETE", `/api/v1/admin/teams/${team.id}`, { as: admin });
    assert.equal(ok.status, 204);
  } finally {
    await app.shutdown();
  }
});
