/**
 * Outgoing webhooks end to end, against a real receiver on 127.0.0.1: an admin adds an endpoint,
 * conversation and message events arrive signed (the signature checks out with the secret),
 * and while the receiver is down (connection refused, then 500s) deliveries are retried with
 * backoff and arrive once it is up again, each event exactly once, with the log saying so.
 */
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "./helpers.ts";
import { verifyWebhookSignature } from "../lib/webhooks/signature.ts";
import { retryDelay } from "../lib/webhooks/dispatch.ts";

interface Received {
  event: string;
  delivery: string;
  timestamp: string;
  signature: string | null;
  raw: string;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** A webhook receiver that can go down (closed port) and come back up on the same port. */
class Receiver {
  received: Received[] = [];
  /** Answer this status instead of 200 (simulates a broken receiver). */
  failWith: number | null = null;
  #server: Deno.HttpServer<Deno.NetAddr> | null = null;
  port = 0;

  start(): void {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: this.port, onListen: () => {} },
      async (req) => {
        const raw = await req.text();
        if (this.failWith) return new Response("nope", { status: this.failWith });
        this.received.push({
          event: req.headers.get("x-parley-event") ?? "",
          delivery: req.headers.get("x-parley-delivery") ?? "",
          timestamp: req.headers.get("x-parley-timestamp") ?? "",
          signature: req.headers.get("x-parley-signature"),
          raw,
          body: JSON.parse(raw),
        });
        return new Response("ok");
      },
    );
    this.port = this.#server.addr.port;
  }

  async stop(): Promise<void> {
    await this.#server?.shutdown();
    this.#server = null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/parley`;
  }
}

/** Polls until `check` holds (the test's own limit stops a hang; no timing is asserted). */
async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for: ${what}`);
}

async function deliveries(app: TestApp, admin: Parameters<TestApp["api"]>[2], id: string) {
  const res = await app.api("GET", `/api/v1/admin/webhooks/${id}/deliveries`, admin);
  assert.equal(res.status, 200);
  // deno-lint-ignore no-explicit-any
  return res.body.items as any[];
}

Deno.test("[webhooks] signed events reach a receiver, through its downtime, once each", async (t) => {
  const app = await startTestApp({
    WEBHOOK_RETRY_BASE_MS: "40",
    WEBHOOK_TIMEOUT_MS: "2000",
    WEBHOOK_ALLOW_PRIVATE: "1", // the receiver is on loopback
  });
  const receiver = new Receiver();
  receiver.start();
  try {
    const admin = await app.createStaff("admin", { name: "Ada Admin" });
    const agent = await app.createStaff("agent", { name: "Ana Agent" });
    const as = { as: admin };

    await t.step("admin API: validation, roles, secret shown once", async () => {
      const bad = await app.api("POST", "/api/v1/admin/webhooks", {
        as: admin,
        body: { url: "ftp://example.com", events: ["conversation.exploded"] },
      });
      assert.equal(bad.status, 400);
      assert.ok(bad.body.error.details.fields.url);
      const notAdmin = await app.api("POST", "/api/v1/admin/webhooks", {
        as: agent,
        body: { url: receiver.url, events: ["message.created"] },
      });
      assert.equal(notAdmin.status, 403);
      assert.deepEqual((await app.api("GET", "/api/v1/admin/webhooks", as)).body.items, []);
    });

    // Before the endpoint exists: this conversation's events are not sent to it later.
    const before = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
    const early = await app.api("POST", "/api/v1/widget/messages", {
      body: { text: "Before any webhook", clientId: "early-1" },
      headers: { authorization: `Bearer ${before.body.visitorToken}` },
    });
    assert.equal(early.status, 201);

    const created = await app.api("POST", "/api/v1/admin/webhooks", {
      as: admin,
      body: {
        url: receiver.url,
        events: [
          "conversation.created",
          "message.created",
          "conversation.assigned",
          "conversation.closed",
        ],
      },
    });
    assert.equal(created.status, 201);
    const secret: string = created.body.secret;
    const hookId: string = created.body.webhook.id;
    assert.match(secret, /^whsec_/);
    assert.equal(created.body.webhook.secret, undefined);
    const listed = await app.api("GET", "/api/v1/admin/webhooks", as);
    assert.ok(!JSON.stringify(listed.body).includes(secret), "the list never shows the secret");

    let conversationId = "";
    await t.step("a visitor's first message: created + message.created, signed", async () => {
      const session = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
      const sent = await app.api("POST", "/api/v1/widget/messages", {
        body: { text: "Where is my parcel?", clientId: "m-1" },
        headers: { authorization: `Bearer ${session.body.visitorToken}` },
      });
      assert.equal(sent.status, 201);
      await until("two events", () => receiver.received.length >= 2);
      conversationId = receiver.received.find((r) => r.event === "conversation.created")!.body
        .data.conversation.id;
      assert.ok(conversationId);
      const types = receiver.received.map((r) => r.event).sort();
      assert.deepEqual(types, ["conversation.created", "message.created"]);
      for (const r of receiver.received) {
        assert.equal(await verifyWebhookSignature(secret, r.raw, r.signature), true);
        assert.equal(await verifyWebhookSignature(secret, r.raw + " ", r.signature), false);
        assert.equal(await verifyWebhookSignature("whsec_wrong", r.raw, r.signature), false);
        assert.equal(r.body.type, r.event);
        assert.equal(String(Math.floor(Date.parse(r.body.sentAt) / 1000)), r.timestamp);
        assert.equal(r.body.data.conversation.id, conversationId);
      }
      const message = receiver.received.find((r) => r.event === "message.created")!.body;
      assert.equal(message.data.message.text, "Where is my parcel?");
      assert.equal(message.data.message.author.type, "customer");
      assert.ok(
        !receiver.received.some((r) => JSON.stringify(r.body).includes("Before any webhook")),
        "events from before the endpoint existed are not sent",
      );
    });

    await t.step(
      "receiver down: retried with backoff, delivered once it is up, once each",
      async () => {
        await receiver.stop();
        const already = receiver.received.length;
        const online = await app.api("PUT", "/api/v1/me/status", {
          as: agent,
          body: { status: "online" },
        });
        assert.equal(online.status, 200); // the pending chat is assigned: conversation.assigned
        await until(
          "two failed attempts",
          async () =>
            (await deliveries(app, as, hookId)).some((d) =>
              d.payload.type === "conversation.assigned" && d.attempts >= 2
            ),
        );
        const failing = (await deliveries(app, as, hookId)).find((d) =>
          d.payload.type === "conversation.assigned" && d.attempts >= 2
        );
        assert.equal(failing.status, "pending");
        assert.equal(failing.lastStatus, null);
        assert.match(failing.lastError, /Could not connect/);
        assert.ok(failing.nextAttemptAt, "the next try is scheduled");

        // Up again, but broken: 500s are retried too.
        receiver.failWith = 500;
        receiver.start();
        await until(
          "an HTTP 500 recorded",
          async () => (await deliveries(app, as, hookId)).some((d) => d.lastStatus === 500),
        );
        receiver.failWith = null;

        const close = await app.api("POST", `/api/v1/conversations/${conversationId}/close`, {
          as: agent,
          body: { notes: "Parcel found", tags: ["shipping"] },
        });
        assert.equal(close.status, 200);
        await until(
          "assigned and closed delivered",
          () =>
            receiver.received.some((r) => r.event === "conversation.assigned") &&
            receiver.received.some((r) => r.event === "conversation.closed"),
        );
        await until(
          "the log shows every delivery delivered",
          async () => (await deliveries(app, as, hookId)).every((d) => d.status === "delivered"),
        );
        // Both pending chats get assigned (the one from before the endpoint too: that is new).
        const assigned = receiver.received.filter((r) =>
          r.event === "conversation.assigned" && r.body.data.conversation.id === conversationId
        );
        assert.equal(assigned.length, 1, "delivered exactly once");
        assert.equal(assigned[0].body.data.conversation.assigneeId, agent.agent.id);
        const closed = receiver.received.find((r) => r.event === "conversation.closed")!;
        assert.equal(closed.body.data.conversation.wrapUp.notes, "Parcel found");
        assert.ok(receiver.received.length > already);
        const ids = receiver.received.map((r) => r.body.id);
        assert.equal(new Set(ids).size, ids.length, "no event twice");
        const log = await deliveries(app, as, hookId);
        const retried = log.find((d) =>
          d.payload.type === "conversation.assigned" &&
          d.payload.data.conversation.id === conversationId
        );
        assert.ok(retried.attempts >= 3, `attempts: ${retried.attempts}`);
        assert.equal(retried.lastStatus, 200);
        assert.ok(retried.deliveredAt);
        for (const r of receiver.received) {
          assert.equal(await verifyWebhookSignature(secret, r.raw, r.signature), true);
        }
      },
    );

    await t.step(
      "paused: nothing new is sent; the delivery log page shows the history",
      async () => {
        const paused = await app.api("PUT", `/api/v1/admin/webhooks/${hookId}`, {
          as: admin,
          body: { active: false },
        });
        assert.equal(paused.status, 200);
        assert.equal(paused.body.webhook.active, false);
        const count = (await deliveries(app, as, hookId)).length;
        const session = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
        await app.api("POST", "/api/v1/widget/messages", {
          body: { text: "While paused", clientId: "p-1" },
          headers: { authorization: `Bearer ${session.body.visitorToken}` },
        });
        // A later, unrelated endpoint hears this message: so the fan-out has passed it by then.
        const other = new Receiver();
        other.start();
        try {
          const second = await app.api("POST", "/api/v1/admin/webhooks", {
            as: admin,
            body: { url: other.url, events: ["message.created"] },
          });
          const s2 = await app.api("POST", "/api/v1/widget/messages", {
            body: { text: "After the second endpoint", clientId: "p-2" },
            headers: { authorization: `Bearer ${session.body.visitorToken}` },
          });
          assert.equal(s2.status, 201);
          await until("the second endpoint got it", () => other.received.length === 1);
          assert.equal(other.received[0].body.data.message.text, "After the second endpoint");
          assert.equal(
            await verifyWebhookSignature(
              second.body.secret,
              other.received[0].raw,
              other.received[0].signature,
            ),
            true,
          );
        } finally {
          await other.stop();
        }
        assert.equal(
          (await deliveries(app, as, hookId)).length,
          count,
          "paused: no new deliveries",
        );
        assert.ok(!receiver.received.some((r) => JSON.stringify(r.body).includes("While paused")));

        // The console's form: errors next to the fields, then the secret shown once.
        const form = (fields: Record<string, string>) => ({
          as: admin,
          rawBody: new URLSearchParams(fields).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        });
        const noEvents = await app.api(
          "POST",
          "/admin/webhooks",
          form({ url: "https://x.example" }),
        );
        assert.equal(noEvents.status, 400);
        assert.match(noEvents.body, /Choose at least one event/);
        const added = await app.api(
          "POST",
          "/admin/webhooks",
          form({ url: "https://crm.example.com/h", "event-conversation-closed": "on" }),
        );
        assert.equal(added.status, 200);
        assert.match(added.body, /Signing secret/);
        const shown = /value="(whsec_[A-Za-z0-9_-]+)"/.exec(added.body)?.[1];
        assert.ok(shown, "the new secret is on the page");
        const listPage = await app.api("GET", "/admin/webhooks", as);
        assert.ok(!listPage.body.includes(shown), "and never again");
        assert.match(listPage.body, /crm\.example\.com/);

        const page = await app.api("GET", `/admin/webhooks/${hookId}`, as);
        assert.equal(page.status, 200);
        assert.match(page.body, /Delivery log/);
        assert.match(page.body, /conversation\.assigned/);
        assert.match(page.body, /Delivered/);
        assert.ok(!page.body.includes(secret), "the page shows a hint, never the secret");
        const audit = await app.api("GET", "/api/v1/admin/audit?targetType=webhook", as);
        assert.deepEqual(
          audit.body.items.map((e: { action: string }) => e.action),
          ["webhook.created", "webhook.created", "webhook.updated", "webhook.created"],
        );
      },
    );
  } finally {
    await receiver.stop();
    await app.shutdown();
  }
});

Deno.test("[webhooks] retry delays double from the base and stop at an hour", () => {
  const options = {
    retryBaseMs: 10_000,
    maxAttempts: 10,
    timeoutMs: 10_000,
    allowPrivateTargets: false,
  };
  assert.deepEqual([2, 3, 4, 5].map((n) => retryDelay(options, n)), [
    10_000,
    20_000,
    40_000,
    80_000,
  ]);
  assert.equal(retryDelay(options, 20), 60 * 60_000);
});
