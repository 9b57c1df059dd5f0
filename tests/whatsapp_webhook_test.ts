import assert from "node:assert/strict";
import { findContact, getOpenConversation } from "../lib/store/engine/records.ts";
import { listMessagesForStaff } from "../lib/store/engine/messages.ts";
import type { Message } from "../lib/domain/engine_types.ts";
import { signWhatsAppBody } from "../lib/channels/whatsapp_signature.ts";
import { APP_SECRET, eventually, startWhatsAppTestApp, VERIFY_TOKEN } from "./whatsapp_helpers.ts";
import {
  buttonReplyBody,
  envelope,
  imageBody,
  inbound,
  listReplyBody,
  statusBody,
  textBody,
  wamid,
} from "./whatsapp_fixtures.ts";

let phone = 16505550000;
const newCustomer = (name = "Sheena Nelson") => ({ waId: String(++phone), name });

Deno.test("[whatsapp] webhook over real HTTP: handshake, signatures, message types, idempotency", async (t) => {
  const wa = await startWhatsAppTestApp();
  const { app } = wa;
  const kv = app.kv;

  /** The customer's open conversation's log, once it holds a message with `text`. */
  const logWith = (customerId: string, text: string) =>
    eventually(async () => {
      const contact = await findContact(kv, "whatsapp", customerId);
      if (!contact) return null;
      const conv = await getOpenConversation(kv, contact.id, "whatsapp");
      if (!conv) return null;
      const log = await listMessagesForStaff(kv, conv.id);
      return log.some((m) => m.text === text) ? { contact, conv, log } : null;
    }, `a message "${text}" from ${customerId}`);
  const only = (log: Message[], text: string) => {
    const found = log.filter((m) => m.text === text);
    assert.equal(found.length, 1, `exactly one "${text}"`);
    return found[0];
  };

  try {
    await t.step(
      "verification handshake: the challenge for the right token, 403 otherwise",
      async () => {
        const ok = await fetch(
          `${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
        );
        assert.equal(ok.status, 200);
        assert.equal(await ok.text(), "1158201444");
        for (
          const query of [
            `hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
            `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
            `hub.mode=subscribe&hub.challenge=1`,
            ``,
          ]
        ) {
          const res = await fetch(`${app.url}/webhooks/whatsapp?${query}`);
          assert.equal(res.status, 403, query);
          assert.notEqual(await res.text(), "1");
        }
      },
    );

    await t.step(
      "a text message opens a Pending conversation with the contact's name and number",
      async () => {
        const sheena = newCustomer("Sheena Nelson");
        const res = await wa.postWebhook(textBody(sheena, "Does it come in another color?"));
        assert.equal(res.status, 200);
        const { contact, conv, log } = await logWith(sheena.waId, "Does it come in another color?");
        assert.equal(contact.name, "Sheena Nelson");
        assert.equal(contact.phone, `+${sheena.waId}`);
        assert.equal(conv.channel, "whatsapp");
        const m = only(log, "Does it come in another color?");
        assert.equal(m.author.type, "customer");
        assert.equal(m.kind, "text");
        const supervisor = await app.createStaff("supervisor");
        // Noted before the message is stored: open as soon as the message shows.
        const window = await app.api("GET", `/api/v1/conversations/${conv.id}/whatsapp`, {
          as: supervisor,
        });
        assert.equal(window.status, 200);
        assert.equal(window.body.window.open, true, "the 24-hour window opened");
        assert.ok(Date.parse(window.body.window.expiresAt) > Date.now() + 23 * 3600_000);
      },
    );

    await t.step(
      "the same message id twice (and five times at once) stores one message",
      async () => {
        const c = newCustomer();
        const id = wamid();
        const body = textBody(c, "only once please", id);
        assert.equal((await wa.postWebhook(body)).status, 200);
        const results = await Promise.all([1, 2, 3, 4, 5].map(() => wa.postWebhook(body)));
        assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200]);
        // One body with the duplicate and then a new message: once the new one is in,
        // the duplicate in front of it has been processed too.
        const both = envelope({
          contacts: [{ profile: { name: c.name }, wa_id: c.waId }],
          messages: [
            (body.entry[0].changes[0].value as unknown as { messages: unknown[] }).messages[0],
            {
              from: c.waId,
              id: wamid(),
              timestamp: String(Math.floor(Date.now() / 1000) + 1),
              type: "text",
              text: { body: "next" },
            },
          ],
        });
        assert.equal((await wa.postWebhook(both)).status, 200);
        const { log } = await logWith(c.waId, "next");
        only(log, "only once please");
        assert.equal(log.filter((m) => m.author.type === "customer").length, 2);
      },
    );

    await t.step(
      "image: media id, mime type and caption; staff open it through the proxy",
      async () => {
        const c = newCustomer();
        wa.graph.media.set("1003383421387256", {
          bytes: new TextEncoder().encode("JPEG-BYTES"),
          mimeType: "image/jpeg",
        });
        assert.equal(
          (await wa.postWebhook(imageBody(c, "1003383421387256", "The broken part"))).status,
          200,
        );
        const { log } = await logWith(c.waId, "The broken part");
        const m = only(log, "The broken part");
        assert.equal(m.kind, "image");
        assert.deepEqual(
          {
            id: (m.data?.media as { id: string }).id,
            mime: (m.data?.media as { mimeType: string }).mimeType,
          },
          { id: "1003383421387256", mime: "image/jpeg" },
        );
        const supervisor = await app.createStaff("supervisor");
        // Known before the message is stored: it opens as soon as the message shows.
        const res = await fetch(`${app.url}/api/v1/media/1003383421387256`, {
          headers: { cookie: supervisor.cookie },
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-type"), "image/jpeg");
        assert.equal(await res.text(), "JPEG-BYTES");
        const proxied = wa.graph.requests.filter((r) => r.path.includes("1003383421387256"));
        assert.ok(
          proxied.every((r) => r.authorization?.startsWith("Bearer ")),
          "token sent to Meta only",
        );
        assert.ok(!res.headers.get("set-cookie"));

        const anonymous = await fetch(`${app.url}/api/v1/media/1003383421387256`);
        assert.equal(anonymous.status, 401);
        await anonymous.body?.cancel();
        const unknown = await app.api("GET", "/api/v1/media/999999", { as: supervisor });
        assert.equal(unknown.status, 404, "only media that arrived in a conversation");
      },
    );

    await t.step(
      "interactive button and list replies, and an unknown type kept as unsupported",
      async () => {
        const c = newCustomer();
        await wa.postWebhook(buttonReplyBody(c, "confirm-yes", "Yes, confirm"));
        await wa.postWebhook(listReplyBody(c, "ship-express", "Express", "Next-day delivery"));
        await wa.postWebhook(
          inbound(c, "order", { order: { catalog_id: "77", product_items: [] } }),
        );
        await logWith(c.waId, "Yes, confirm");
        await logWith(c.waId, "Express — Next-day delivery");
        const { log } = await logWith(c.waId, "Unsupported WhatsApp message (type: order)");
        const button = only(log, "Yes, confirm");
        assert.equal(button.kind, "interactive");
        assert.deepEqual(button.data?.reply, {
          type: "button_reply",
          id: "confirm-yes",
          title: "Yes, confirm",
          description: null,
        });
        const order = only(log, "Unsupported WhatsApp message (type: order)");
        assert.equal(order.kind, "unsupported");
        assert.equal(order.data?.unsupportedType, "order");
      },
    );

    await t.step("a burst of messages, one webhook each, is stored in the order sent", async () => {
      const c = newCustomer();
      const texts = Array.from({ length: 20 }, (_, i) => `burst ${i + 1}`);
      for (const text of texts) assert.equal((await wa.postWebhook(textBody(c, text))).status, 200);
      const { conv } = await logWith(c.waId, "burst 20");
      const all = await eventually(async () => {
        const l = await listMessagesForStaff(kv, conv.id);
        const got = l.filter((m) => m.author.type === "customer").map((m) => m.text);
        return got.length === texts.length ? got : null;
      }, "all 20 burst messages");
      assert.deepEqual(all, texts);
    });

    await t.step("a contact without wa_id is known by its business-scoped user id", async () => {
      const ana = { userId: "US.13491208655302741918", name: "Ana" };
      await wa.postWebhook(textBody(ana, "hello from a username"));
      const { contact } = await logWith(ana.userId, "hello from a username");
      assert.equal(contact.whatsappId, "US.13491208655302741918");
      assert.equal(contact.phone, null);
    });

    await t.step("a customer who hides their number later stays the same contact", async () => {
      const both = { waId: "16505559876", userId: "US.99887766554433221100", name: "Lee" };
      await wa.postWebhook(textBody(both, "with my number"));
      const first = await logWith(both.waId, "with my number");
      await wa.postWebhook(textBody({ userId: both.userId, name: "Lee" }, "username only now"));
      const second = await logWith(both.waId, "username only now");
      assert.equal(second.conv.id, first.conv.id, "the same open conversation");
      assert.equal(second.contact.id, first.contact.id);
      assert.equal(second.contact.phone, "+16505559876");
      assert.equal(await findContact(kv, "whatsapp", both.userId), null, "no second contact");
    });

    await t.step("missing or wrong signature: 401 and nothing stored", async () => {
      const c = newCustomer();
      const bad = textBody(c, "forged message");
      const missing = await wa.postWebhook(bad, { signature: null });
      assert.equal(missing.status, 401);
      const wrong = await wa.postWebhook(bad, {
        signature: await signWhatsAppBody("not-the-app-secret", JSON.stringify(bad)),
      });
      assert.equal(wrong.status, 401);
      const garbage = await wa.postWebhook(bad, { signature: "sha256=nothex" });
      assert.equal(garbage.status, 401);
      assert.equal((wrong.body as { error: { code: string } }).error.code, "unauthorized");
      // A signed message from the same customer afterwards is the only one stored.
      await wa.postWebhook(textBody(c, "genuine message"));
      const { log } = await logWith(c.waId, "genuine message");
      assert.equal(log.filter((m) => m.text === "forged message").length, 0);
    });

    await t.step("a message to another number of the same Meta app is not ours", async () => {
      const c = newCustomer();
      const other = textBody(c, "for the other number");
      other.entry[0].changes[0].value.metadata.phone_number_id = "999999999999999";
      const res = await wa.postWebhook(other);
      assert.equal(res.status, 200, "acknowledged, so Meta stops");
      assert.equal((res.body as { messages: number }).messages, 0, "nothing queued");
      await wa.postWebhook(textBody(c, "for us"));
      const { log } = await logWith(c.waId, "for us");
      assert.equal(log.filter((m) => m.text === "for the other number").length, 0);
    });

    await t.step("malformed JSON or a foreign body with a valid signature: 400", async () => {
      const malformed = await wa.postWebhook(null, {
        raw: '{"object":"whatsapp_business_account",',
      });
      assert.equal(malformed.status, 400);
      assert.equal((malformed.body as { error: { code: string } }).error.code, "malformed_json");
      const foreign = await wa.postWebhook({ hello: "world" });
      assert.equal(foreign.status, 400);
      assert.equal((foreign.body as { error: { code: string } }).error.code, "invalid");
    });

    await t.step("fuzz: mangled signed bodies are answered 200 or 400, never 500", async () => {
      const seeds = [
        textBody(newCustomer(), "fuzz"),
        imageBody(newCustomer(), "77", "c"),
        buttonReplyBody(newCustomer(), "id", "t"),
        statusBody("wamid.X", "failed", "1", { code: 131047, title: "t" }),
      ];
      const odd = [null, 0, -1, 1e308, "", "x".repeat(300), [], {}, [[]], true, { "__proto__": 1 }];
      let seed = 7; // mulberry32: repeatable runs
      const rand = (n: number) => {
        seed = (seed + 0x6d2b79f5) | 0;
        let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        return (((x ^ (x >>> 14)) >>> 0) / 4294967296 * n) | 0;
      };
      const mangle = (value: unknown, depth = 0): unknown => {
        if (rand(6) === 0) return odd[rand(odd.length)];
        if (Array.isArray(value)) return value.map((v) => mangle(v, depth + 1));
        if (value && typeof value === "object") {
          return Object.fromEntries(
            Object.entries(value).filter(() => rand(8) !== 0).map((
              [k, v],
            ) => [k, mangle(v, depth + 1)]),
          );
        }
        return value;
      };
      const statuses = new Set<number>();
      for (let i = 0; i < 150; i++) {
        const res = await wa.postWebhook(mangle(seeds[i % seeds.length]));
        statuses.add(res.status);
        assert.ok(res.status === 200 || res.status === 400, `got ${res.status}`);
      }
      const deep = "[".repeat(20_000) + "]".repeat(20_000);
      assert.equal((await wa.postWebhook(null, { raw: deep })).status, 400);
      const nul = await wa.postWebhook(null, { raw: "null" });
      assert.equal(nul.status, 400);
      const badUtf8 = await fetch(`${app.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: {
          "x-hub-signature-256": await signWhatsAppBody(
            APP_SECRET,
            new Uint8Array([0x7b, 0xff, 0x7d]),
          ),
        },
        body: new Uint8Array([0x7b, 0xff, 0x7d]),
      });
      assert.equal(badUtf8.status, 400);
      await badUtf8.body?.cancel();
      assert.ok(statuses.has(200) && statuses.has(400), `both kinds exercised: ${[...statuses]}`);
    });

    await t.step("an oversized body: 413", async () => {
      const c = newCustomer();
      const huge = textBody(c, "x".repeat(70 * 1024));
      const res = await wa.postWebhook(huge);
      assert.equal(res.status, 413);
    });
  } finally {
    await wa.shutdown();
  }
});
