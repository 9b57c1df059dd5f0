import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { listAgents } from "../lib/store/agents.ts";

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
        for (
          const rawBody of [
            "",
            "name=&role=wizard&maxChats=-1&teamId=nope",
            "a=%ZZ",
            "--x\r\nbroken",
          ]
        ) {
          const res = await app.api(method, template.replace("/X", `/${id}`), {
            as: admin,
            rawBody,
            headers: rawBody.startsWith("--") ? { "content-type": "multipart/form-data" } : form,
          });
          assert.ok(res.status < 500, `${method} ${template} ${id.slice(0, 10)} ${rawBody}`);
        }
      }
    }
  } finally {
    await app.shutdown();
  }
});
