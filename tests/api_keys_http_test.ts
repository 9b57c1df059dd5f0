/**
 * API keys over real HTTP: an admin creates one (token shown once, only its hash stored,
 * audited), an integration uses it without a cookie within its scopes, and a revoked key is
 * refused on the very next request.
 */
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "./helpers.ts";
import { customerSays } from "../lib/store/engine/test_util.ts";
import { listAudit } from "../lib/store/audit.ts";

/** A request with an API key and nothing else (no cookie, no Origin): what a CRM sends. */
async function withKey(
  app: TestApp,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await fetch(app.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Every value stored in KV, as JSON text (counters, Deno.KvU64, as their number). */
async function dumpKv(kv: Deno.Kv): Promise<string> {
  const parts: string[] = [];
  const plain = (_: string, v: unknown) => typeof v === "bigint" ? v.toString() : v;
  for await (const e of kv.list({ prefix: [] })) {
    parts.push(JSON.stringify([e.key, e.value], plain));
  }
  return parts.join("\n");
}

Deno.test("[api-keys] admin creates, integration uses within scopes, revoke refuses at once", async (t) => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin", { name: "Ada Admin" });
    const supervisor = await app.createStaff("supervisor");
    const { conversation } = await customerSays(app.engine, "Where is my parcel?");

    await t.step(
      "only admins create keys; bad input is refused and nothing is stored",
      async () => {
        const asSup = await app.api("POST", "/api/v1/admin/api-keys", {
          as: supervisor,
          body: { name: "CRM", scopes: ["conversations:read"] },
        });
        assert.equal(asSup.status, 403);
        const anon = await app.api("POST", "/api/v1/admin/api-keys", {
          body: { name: "CRM", scopes: ["conversations:read"] },
        });
        assert.equal(anon.status, 401);
        const bad = await app.api("POST", "/api/v1/admin/api-keys", {
          as: admin,
          body: { name: " ", scopes: ["conversations:delete"] },
        });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, "invalid");
        assert.ok(bad.body.error.details.fields.name);
        assert.ok(bad.body.error.details.fields["scopes.0"]);
        const noScopes = await app.api("POST", "/api/v1/admin/api-keys", {
          as: admin,
          body: { name: "CRM", scopes: [] },
        });
        assert.equal(noScopes.status, 400);
        const list = await app.api("GET", "/api/v1/admin/api-keys", { as: admin });
        assert.deepEqual(list.body.items, []);
      },
    );

    let reader = "";
    let writer = "";
    let readerId = "";
    await t.step("the token is shown once and only its hash is stored", async () => {
      const created = await app.api("POST", "/api/v1/admin/api-keys", {
        as: admin,
        body: { name: "CRM sync", scopes: ["conversations:read"] },
      });
      assert.equal(created.status, 201);
      assert.equal(created.headers.get("cache-control"), "no-store");
      reader = created.body.token;
      readerId = created.body.apiKey.id;
      assert.match(reader, /^prly_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(created.body.apiKey.scopes, ["conversations:read"]);
      assert.equal(created.body.apiKey.hint, reader.slice(0, 9));
      assert.equal(created.body.apiKey.tokenHash, undefined);
      const list = await app.api("GET", "/api/v1/admin/api-keys", { as: admin });
      assert.equal(list.body.items.length, 1);
      assert.ok(!JSON.stringify(list.body).includes(reader), "the list never shows the token");
      assert.ok(!(await dumpKv(app.kv)).includes(reader.slice(5)), "KV holds no token");
      const w = await app.api("POST", "/api/v1/admin/api-keys", {
        as: admin,
        body: { name: "Website bot", scopes: ["messages:write", "conversations:read"] },
      });
      writer = w.body.token;
    });

    await t.step("a read key reads conversations without a cookie, and only reads", async () => {
      const list = await withKey(app, reader, "GET", "/api/v1/conversations?status=pending");
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.items.map((c: { id: string }) => c.id), [conversation.id]);
      const detail = await withKey(app, reader, "GET", `/api/v1/conversations/${conversation.id}`);
      assert.equal(detail.status, 200);
      assert.equal(detail.body.messages[0].text, "Where is my parcel?");
      const teams = await withKey(app, reader, "GET", "/api/v1/teams");
      assert.equal(teams.status, 200);
      const send = await withKey(
        app,
        reader,
        "POST",
        `/api/v1/conversations/${conversation.id}/messages`,
        {
          text: "Hi",
          clientId: "c1",
        },
      );
      assert.equal(send.status, 403);
      assert.equal(send.body.error.code, "missing_scope");
      assert.match(send.body.error.message, /messages:write/);
      const merge = await withKey(
        app,
        reader,
        "POST",
        `/api/v1/contacts/${conversation.contactId}/merge`,
        {
          contactId: "x",
        },
      );
      assert.equal(merge.status, 403);
      assert.equal(merge.body.error.code, "missing_scope");
    });

    await t.step("staff-only routes do not take keys", async () => {
      for (
        const [method, path] of [
          ["GET", "/api/v1/me"],
          ["GET", "/api/v1/agents"],
          ["GET", "/api/v1/admin/api-keys"],
          ["POST", `/api/v1/conversations/${conversation.id}/pickup`],
          ["POST", `/api/v1/conversations/${conversation.id}/close`],
        ]
      ) {
        const res = await withKey(app, writer, method, path, method === "POST" ? {} : undefined);
        assert.equal(res.status, 401, `${method} ${path}`);
      }
    });

    await t.step("a write key replies under its own name, once per clientId", async () => {
      const path = `/api/v1/conversations/${conversation.id}/messages`;
      const first = await withKey(app, writer, "POST", path, {
        text: "On its way!",
        clientId: "crm-1",
      });
      assert.equal(first.status, 201);
      assert.equal(first.body.message.author.type, "agent");
      assert.equal(first.body.message.author.name, "Website bot");
      const again = await withKey(app, writer, "POST", path, {
        text: "On its way!",
        clientId: "crm-1",
      });
      assert.equal(again.status, 200);
      assert.equal(again.body.message.id, first.body.message.id);
      const detail = await app.api("GET", `/api/v1/conversations/${conversation.id}`, {
        as: supervisor,
      });
      assert.equal(
        detail.body.messages.filter((m: { text: string }) => m.text === "On its way!").length,
        1,
      );
    });

    await t.step("unknown and malformed keys are 401", async () => {
      const unknown = await withKey(app, "prly_" + "A".repeat(43), "GET", "/api/v1/conversations");
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.error.code, "invalid_api_key");
      const huge = await withKey(app, "prly_" + "A".repeat(5000), "GET", "/api/v1/conversations");
      assert.equal(huge.status, 401);
      const other = await withKey(app, "not-a-key", "GET", "/api/v1/conversations");
      assert.equal(other.status, 401);
    });

    await t.step("revoked: the next request is 401, and the log says who did what", async () => {
      assert.equal((await withKey(app, reader, "GET", "/api/v1/conversations")).status, 200);
      const revoked = await app.api("POST", `/api/v1/admin/api-keys/${readerId}/revoke`, {
        as: admin,
      });
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.apiKey.revokedAt);
      const after = await withKey(app, reader, "GET", "/api/v1/conversations");
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, "invalid_api_key");
      const twice = await app.api("POST", `/api/v1/admin/api-keys/${readerId}/revoke`, {
        as: admin,
      });
      assert.equal(twice.status, 409);
      const unknown = await app.api("POST", "/api/v1/admin/api-keys/nope/revoke", { as: admin });
      assert.equal(unknown.status, 404);
      assert.equal((await withKey(app, writer, "GET", "/api/v1/conversations")).status, 200);
      const { items } = await listAudit(app.kv, { targetType: "api_key" });
      assert.deepEqual(
        items.map((e) => [e.action, e.targetLabel, e.actorName]),
        [
          ["api_key.revoked", "CRM sync", "Ada Admin"],
          ["api_key.created", "Website bot", "Ada Admin"],
          ["api_key.created", "CRM sync", "Ada Admin"],
        ],
      );
      assert.ok(!JSON.stringify(items).includes(reader.slice(5)));
      const list = await app.api("GET", "/api/v1/admin/api-keys", { as: admin });
      const row = list.body.items.find((k: { id: string }) => k.id === readerId);
      assert.ok(row.revokedAt && row.lastUsedAt, "kept, marked revoked, with its last use");
    });

    await t.step(
      "requests racing a revocation: once it answers, nothing gets through",
      async () => {
        const k = await app.api("POST", "/api/v1/admin/api-keys", {
          as: admin,
          body: { name: "Racer", scopes: ["conversations:read"] },
        });
        const during = Array.from(
          { length: 20 },
          () => withKey(app, k.body.token, "GET", "/api/v1/teams"),
        );
        const revoke = await app.api("POST", `/api/v1/admin/api-keys/${k.body.apiKey.id}/revoke`, {
          as: admin,
        });
        assert.equal(revoke.status, 200);
        for (const res of await Promise.all(during)) {
          assert.ok([200, 401].includes(res.status));
        }
        const after = await Promise.all(
          Array.from({ length: 10 }, () => withKey(app, k.body.token, "GET", "/api/v1/teams")),
        );
        assert.deepEqual(after.map((r) => r.status), Array(10).fill(401));
      },
    );
  } finally {
    await app.shutdown();
  }
});
