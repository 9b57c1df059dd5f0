import assert from "node:assert/strict";
import { findContact, getOpenConversation } from "../lib/store/engine/records.ts";
import { getMessageById } from "../lib/store/engine/records.ts";
import { listMessagesForStaff } from "../lib/store/engine/messages.ts";
import { testWhatsAppConnection } from "../lib/channels/whatsapp.ts";
import { signWhatsAppBody } from "../lib/channels/whatsapp_signature.ts";
import { saveWhatsAppConfig } from "../lib/store/whatsapp_config.ts";
import { keys } from "../lib/store/keys.ts";
import { startTestApp, type TestApp } from "./helpers.ts";
import { startFakeGraph } from "./fake_graph.ts";
import { eventually, startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { imageBody, PHONE_NUMBER_ID, textBody } from "./whatsapp_fixtures.ts";

async function openConversationOf(app: TestApp, waId: string, text: string) {
  return await eventually(async () => {
    const contact = await findContact(app.kv, "whatsapp", waId);
    const conv = contact ? await getOpenConversation(app.kv, contact.id, "whatsapp") : null;
    if (!conv) return null;
    const log = await listMessagesForStaff(app.kv, conv.id);
    return log.some((m) => m.text === text) ? conv : null;
  }, `"${text}" in an open conversation of ${waId}`);
}

Deno.test("[whatsapp] configuration stored in KV (no environment) drives webhooks and replies", async () => {
  const graph = await startFakeGraph({ token: "kv-token", phoneNumberId: PHONE_NUMBER_ID });
  const app = await startTestApp({ WHATSAPP_RETRY_BASE_MS: "5" });
  try {
    const body = JSON.stringify(textBody({ waId: "15550001111", name: "Kim" }, "configured?"));
    const post = async (secret: string) =>
      await fetch(`${app.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": await signWhatsAppBody(secret, body),
        },
        body,
      });
    const handshake = (token: string) =>
      fetch(
        `${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=42`,
      );

    // Not configured yet: nothing is accepted.
    const early = await post("kv-secret");
    assert.equal(early.status, 401);
    await early.body?.cancel();
    const earlyHandshake = await handshake("kv-verify");
    assert.equal(earlyHandshake.status, 403);
    await earlyHandshake.body?.cancel();
    assert.equal((await testWhatsAppConnection(app.deps)).ok, false);

    // Webhooks configured, but no access token yet: replies fail with a reason, nothing is sent.
    await saveWhatsAppConfig(app.kv, {
      phoneNumberId: PHONE_NUMBER_ID,
      appSecret: "kv-secret",
      verifyToken: "kv-verify",
      graphUrl: graph.url,
    });
    const first = await post("kv-secret");
    assert.equal(first.status, 200);
    await first.body?.cancel();
    const unconfigured = await openConversationOf(app, "15550001111", "configured?");
    const early2 = await app.api("POST", `/api/v1/conversations/${unconfigured.id}/messages`, {
      as: await app.createStaff("supervisor"),
      body: { text: "before the token", clientId: "c-0" },
    });
    const refused = await eventually(async () => {
      const m = await getMessageById(app.kv, early2.body.message.id);
      return m?.delivery?.status === "failed" ? m.delivery : null;
    }, "the reply to fail without a token");
    assert.equal(refused.error?.code, "not_configured");
    assert.match(refused.error?.reason ?? "", /not connected/);
    assert.equal(graph.sends().length, 0);

    await saveWhatsAppConfig(app.kv, { accessToken: "kv-token" });
    const ok = await handshake("kv-verify");
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "42");
    const check = await testWhatsAppConnection(app.deps);
    assert.equal(check.ok, true);
    assert.match(check.message, /Parley Support/);
    assert.ok(!JSON.stringify(check).includes("kv-token"));

    const accepted = await post("kv-secret");
    assert.equal(accepted.status, 200);
    await accepted.body?.cancel();
    const conv = await openConversationOf(app, "15550001111", "configured?");

    const supervisor = await app.createStaff("supervisor");
    const reply = await app.api("POST", `/api/v1/conversations/${conv.id}/messages`, {
      as: supervisor,
      body: { text: "yes, from KV", clientId: "c-1" },
    });
    assert.equal(reply.status, 201);
    const sent = await graph.waitForRequest((r) => r.method === "POST", "the reply");
    assert.equal(sent.authorization, "Bearer kv-token");
    await eventually(
      async () =>
        (await getMessageById(app.kv, reply.body.message.id))?.delivery?.status === "sent",
      "the reply to be sent",
    );
  } finally {
    await app.shutdown();
    await graph.close();
  }
});

Deno.test("[whatsapp] the same number continues its open conversation, and opens a new one after close", async () => {
  const wa = await startWhatsAppTestApp();
  try {
    const supervisor = await wa.app.createStaff("supervisor");
    const waId = "5511987654321";
    await wa.postWebhook(textBody({ waId, name: "Beatriz" }, "first"));
    const first = await openConversationOf(wa.app, waId, "first");
    await wa.postWebhook(textBody({ waId, name: "Beatriz Souza" }, "second"));
    const same = await openConversationOf(wa.app, waId, "second");
    assert.equal(same.id, first.id, "continues the open conversation");
    const contact = await findContact(wa.app.kv, "whatsapp", waId);
    assert.equal(contact?.name, "Beatriz Souza", "the latest profile name");

    const closed = await wa.app.api("POST", `/api/v1/conversations/${first.id}/close`, {
      as: supervisor,
      body: { notes: "Answered." },
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    await wa.postWebhook(textBody({ waId, name: "Beatriz Souza" }, "third, a week later"));
    const next = await openConversationOf(wa.app, waId, "third, a week later");
    assert.notEqual(next.id, first.id, "a new conversation after close");
    const old = await listMessagesForStaff(wa.app.kv, first.id);
    assert.deepEqual(
      old.filter((m) => m.author.type === "customer").map((m) => m.text),
      ["first", "second"],
      "the history is kept",
    );
  } finally {
    await wa.shutdown();
  }
});

Deno.test("[whatsapp] media and window routes only for staff who may see the conversation", async () => {
  const wa = await startWhatsAppTestApp();
  try {
    const holder = await wa.app.createStaff("agent");
    const other = await wa.app.createStaff("agent");
    await wa.app.api("PUT", "/api/v1/me/status", { as: holder, body: { status: "online" } });
    wa.graph.media.set("5550001", { bytes: new Uint8Array([1, 2, 3]), mimeType: "image/png" });
    wa.graph.media.set("5550002", {
      bytes: new TextEncoder().encode("<script>alert(1)</script>"),
      mimeType: "text/html",
    });
    await wa.postWebhook(imageBody({ waId: "3161234567" }, "5550001", "photo"));
    await wa.postWebhook(imageBody({ waId: "3161234567" }, "5550002", "page"));
    await openConversationOf(wa.app, "3161234567", "photo");
    const opened = await openConversationOf(wa.app, "3161234567", "page");
    // Assignment runs right after the message commits: wait for it.
    const conv = await eventually(async () => {
      const c = await getOpenConversation(wa.app.kv, opened.contactId, "whatsapp");
      return c?.assigneeId ? c : null;
    }, "the chat to be assigned");
    assert.equal(conv.assigneeId, holder.agent.id);
    const media = (id: string, as: { cookie: string }) =>
      fetch(`${wa.app.url}/api/v1/media/${id}`, { headers: { cookie: as.cookie } });

    const mine = await media("5550001", holder);
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await mine.arrayBuffer()), new Uint8Array([1, 2, 3]));

    const theirs = await wa.app.api("GET", "/api/v1/media/5550001", { as: other });
    assert.equal(theirs.status, 403, "another agent's active chat");
    const window = await wa.app.api("GET", `/api/v1/conversations/${conv.id}/whatsapp`, {
      as: other,
    });
    assert.equal(window.status, 403);

    // In the instant between the message commit and the conversation being recorded on
    // the media ref, the customer's open conversation decides who may see it.
    wa.graph.media.set("5550003", { bytes: new Uint8Array([9]), mimeType: "image/png" });
    await wa.app.kv.set(keys.whatsappMedia("5550003"), {
      customerId: "3161234567",
      mimeType: "image/png",
    });
    const early = await media("5550003", holder);
    assert.equal(early.status, 200);
    await early.body?.cancel();
    assert.equal((await wa.app.api("GET", "/api/v1/media/5550003", { as: other })).status, 403);

    const html = await media("5550002", holder);
    assert.equal(html.status, 200);
    assert.equal(
      html.headers.get("content-type"),
      "application/octet-stream",
      "never served as HTML",
    );
    assert.match(html.headers.get("content-disposition") ?? "", /^attachment/);
    await html.body?.cancel();

    const bogus = await wa.app.api("GET", "/api/v1/media/..%2F..%2Fetc", { as: holder });
    assert.equal(bogus.status, 404);
    const unknownConv = await wa.app.api("GET", "/api/v1/conversations/NOPE/whatsapp", {
      as: holder,
    });
    assert.equal(unknownConv.status, 404);
  } finally {
    await wa.shutdown();
  }
});

Deno.test("[whatsapp] secrets never reach logs or API answers", async () => {
  const { ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN } = await import("./whatsapp_helpers.ts");
  const logged: string[] = [];
  const original = {
    log: console.log,
    warn: console.warn,
    error: console.error,
    info: console.info,
  };
  for (const name of ["log", "warn", "error", "info"] as const) {
    console[name] = (...args: unknown[]) => {
      logged.push(
        args.map((a) =>
          a instanceof Error
            ? `${a.message} ${a.stack}`
            : typeof a === "string"
            ? a
            : JSON.stringify(a)
        ).join(" "),
      );
    };
  }
  const wa = await startWhatsAppTestApp();
  try {
    const admin = await wa.app.createStaff("admin");
    // Things that log: a skipped item, a bad signature, a refused send.
    await wa.postWebhook({
      object: "whatsapp_business_account",
      entry: [{ changes: [{ field: "account_update", value: {} }] }],
    });
    await wa.postWebhook(textBody({ waId: "4930123456" }, "x"), {
      signature: "sha256=" + "0".repeat(64),
    });
    await wa.postWebhook(textBody({ waId: "4930123456" }, "hello"));
    const conv = await openConversationOf(wa.app, "4930123456", "hello");
    wa.graph.scriptSend({
      status: 401,
      body: { error: { message: `Invalid token ${ACCESS_TOKEN}`, code: 190 } },
    });
    const reply = await wa.app.api("POST", `/api/v1/conversations/${conv.id}/messages`, {
      as: admin,
      body: { text: "hi", clientId: "secret-test" },
    });
    assert.equal(reply.status, 201);
    const failed = await eventually(async () => {
      const m = await getMessageById(wa.app.kv, reply.body.message.id);
      return m?.delivery?.status === "failed" ? m : null;
    }, "the refused reply to fail");
    const answers = [
      JSON.stringify(failed),
      JSON.stringify((await wa.app.api("GET", "/api/v1/admin/whatsapp", { as: admin })).body),
      JSON.stringify(
        (await wa.app.api("GET", `/api/v1/conversations/${conv.id}`, { as: admin })).body,
      ),
      JSON.stringify(await testWhatsAppConnection(wa.app.deps)),
    ];
    for (const secret of [ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN]) {
      for (const text of [...logged, ...answers]) {
        assert.ok(!text.includes(secret), `leaked in: ${text.slice(0, 200)}`);
      }
    }
  } finally {
    Object.assign(console, original);
    await wa.shutdown();
  }
});
