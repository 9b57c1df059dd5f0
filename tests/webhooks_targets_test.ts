/**
 * Webhooks never reach private addresses unless WEBHOOK_ALLOW_PRIVATE says so (server-side request
 * forgery): the admin API refuses such URLs with the reason, and a delivery to an endpoint whose
 * address is private (saved before, or its DNS changed) is not sent, recorded with the reason,
 * while a real receiver on loopback hears nothing.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { keys } from "../lib/store/keys.ts";
import { privateAddressReason, webhookTargetRefusal } from "../lib/webhooks/targets.ts";
import type { StoredWebhookEndpoint } from "../lib/webhooks/endpoints.ts";

Deno.test("[webhooks] private, loopback and metadata addresses are told apart from public ones", async () => {
  for (
    const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:169.254.169.254",
      "64:ff9b::a00:1",
    ]
  ) {
    assert.ok(privateAddressReason(ip), `${ip} is private`);
  }
  for (
    const ip of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]
  ) {
    assert.equal(privateAddressReason(ip), null, `${ip} is public`);
  }
  const toPrivate = () => Promise.resolve(["93.184.216.34", "10.0.0.7"]);
  const refusal = await webhookTargetRefusal("https://hooks.example.com/x", {
    allowPrivate: false,
    unresolved: "refuse",
    resolve: toPrivate,
  });
  assert.match(refusal ?? "", /hooks\.example\.com resolves to 10\.0\.0\.7/);
  const nowhere = () => Promise.resolve([]);
  const opts = { allowPrivate: false, resolve: nowhere };
  assert.equal(
    await webhookTargetRefusal("https://new.example.com", { ...opts, unresolved: "allow" }),
    null,
  );
  assert.ok(
    await webhookTargetRefusal("https://new.example.com", { ...opts, unresolved: "refuse" }),
  );
  assert.equal(
    await webhookTargetRefusal("http://127.0.0.1:9/x", {
      ...opts,
      allowPrivate: true,
      unresolved: "refuse",
    }),
    null,
  );
});

Deno.test("[webhooks] the admin API refuses private targets; deliveries to them are not sent", async () => {
  const app = await startTestApp({ WEBHOOK_RETRY_BASE_MS: "60000" });
  const heard: Request[] = [];
  const receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => {
      heard.push(req);
      return new Response("ok");
    },
  );
  try {
    const admin = await app.createStaff("admin");
    const events = ["conversation.created"];
    for (
      const url of [
        `http://127.0.0.1:${receiver.addr.port}/hook`,
        "http://localhost:8080/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::1]/hook",
        "https://10.0.0.5/hook",
      ]
    ) {
      const res = await app.api("POST", "/api/v1/admin/webhooks", {
        as: admin,
        body: { url, events },
      });
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, "private_target");
      assert.match(res.body.error.message, /WEBHOOK_ALLOW_PRIVATE/);
    }
    assert.deepEqual(
      (await app.api("GET", "/api/v1/admin/webhooks", { as: admin })).body.items,
      [],
    );

    const created = await app.api("POST", "/api/v1/admin/webhooks", {
      as: admin,
      body: { url: "https://93.184.216.34/hook", events },
    });
    assert.equal(created.status, 201);
    const id: string = created.body.webhook.id;
    const moved = await app.api("PUT", `/api/v1/admin/webhooks/${id}`, {
      as: admin,
      body: { url: `http://127.0.0.1:${receiver.addr.port}/hook` },
    });
    assert.equal(moved.status, 400);
    assert.equal(moved.body.error.code, "private_target");

    // An endpoint whose address became private (as if its DNS changed after it was saved).
    const stored = (await app.kv.get<StoredWebhookEndpoint>(keys.webhook(id))).value!;
    await app.kv.set(keys.webhook(id), {
      ...stored,
      url: `http://127.0.0.1:${receiver.addr.port}/hook`,
    });
    const session = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
    const sent = await app.api("POST", "/api/v1/widget/messages", {
      body: { text: "Hello", clientId: "c-1" },
      headers: { authorization: `Bearer ${session.body.visitorToken}` },
    });
    assert.equal(sent.status, 201);
    let refused = "";
    for (let i = 0; i < 400 && !refused; i++) {
      const log = await app.api("GET", `/api/v1/admin/webhooks/${id}/deliveries`, { as: admin });
      refused = log.body.items.find((d: { lastError: string | null }) => d.lastError)?.lastError ??
        "";
      if (!refused) await new Promise((r) => setTimeout(r, 25));
    }
    assert.match(refused, /^Not sent: 127\.0\.0\.1 is a loopback address/);
    assert.equal(heard.length, 0, "the loopback receiver heard nothing");
  } finally {
    await receiver.shutdown();
    await app.shutdown();
  }
});
