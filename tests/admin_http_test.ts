import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { getAgent } from "../lib/store/agents.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";

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
      const accepted = res.body.items.find((e: { action: string }) =>
        e.action === "agent.invite_accepted"
      );
      assert.equal(accepted.actorId, inviteeId, "the invitee set their own password");
      assert.ok(
        res.body.items.every((e: { actorId: string; action: string }) =>
          e.actorId === admin.agent.id || e.action === "agent.invite_accepted"
        ),
      );
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
    const teams = await app.api("GET", "/api/v1/teams", { as: agent });
    assert.deepEqual(teams.body.items, [{ id: team.body.team.id, name: "Billing" }]);
    assert.equal((await app.api("GET", "/api/v1/teams")).status, 401);

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

Deno.test("[admin] a team that a channel routes to, or with chats waiting, cannot be deleted", async () => {
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

    const night = (await app.api("POST", "/api/v1/admin/teams", {
      as: admin,
      body: { name: "Night" },
    })).body.team;
    await receiveCustomerMessage(app.engine, {
      channel: "webchat",
      contact: { webVisitorId: "late-visitor" },
      clientId: "late-1",
      text: "Anyone there?",
      teamId: night.id,
    });
    const waiting = await app.api("DELETE", `/api/v1/admin/teams/${night.id}`, { as: admin });
    assert.equal(waiting.status, 409);
    assert.match(waiting.body.error.message, /1 pending chat in its queue/);
  } finally {
    await app.shutdown();
  }
});
