import assert from "node:assert/strict";
import { findContact, getOpenConversation } from "../lib/store/engine/records.ts";
import { getMessageById } from "../lib/store/engine/records.ts";
import type { Delivery } from "../lib/domain/engine_types.ts";
import {
  applyWhatsAppStatus,
  MAX_ATTEMPTS,
  runOutboundJob,
} from "../lib/channels/whatsapp_outbound.ts";
import { graphError } from "./fake_graph.ts";
import type { Staff } from "./helpers.ts";
import { eventually, startWhatsAppTestApp, type WhatsAppTestApp } from "./whatsapp_helpers.ts";
import { envelope, statusBody, textBody } from "./whatsapp_fixtures.ts";

let phone = 4915100000000;

/** A customer writes; returns their conversation id once it exists. */
async function customerWrites(wa: WhatsAppTestApp, text = "Hello, I need help") {
  const waId = String(++phone);
  assert.equal((await wa.postWebhook(textBody({ waId, name: "Jonas" }, text))).status, 200);
  const conversationId = await eventually(async () => {
    const contact = await findContact(wa.app.kv, "whatsapp", waId);
    return contact ? (await getOpenConversation(wa.app.kv, contact.id, "whatsapp"))?.id : null;
  }, "the customer's conversation");
  return { waId, conversationId };
}

/** The agent replies through the staff API; returns the stored message id. */
async function reply(wa: WhatsAppTestApp, as: Staff, conversationId: string, text: string) {
  const res = await wa.app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
    as,
    body: { text, clientId: crypto.randomUUID() },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.message.delivery.status, "sending", "committed before any delivery");
  return res.body.message.id as string;
}

/** Waits until the message's delivery is `status`; returns it. */
function deliveryBecomes(wa: WhatsAppTestApp, messageId: string, status: Delivery["status"]) {
  return eventually(async () => {
    const m = await getMessageById(wa.app.kv, messageId);
    return m?.delivery?.status === status ? m.delivery : null;
  }, `message ${messageId} ${status}`);
}

Deno.test("[whatsapp] outbound delivery against the fake Graph API: send, retry, failures, rate limits", async (t) => {
  const wa = await startWhatsAppTestApp();
  try {
    const supervisor = await wa.app.createStaff("supervisor");

    await t.step(
      "send: the right body to /{version}/{phone-number-id}/messages, then sent",
      async () => {
        const { waId, conversationId } = await customerWrites(wa);
        const id = await reply(wa, supervisor, conversationId, "Hi Jonas, how can I help?");
        await deliveryBecomes(wa, id, "sent");
        const sends = wa.graph.sends();
        assert.equal(sends.length, 1);
        assert.equal(sends[0].path, "/v21.0/106540352242922/messages");
        assert.equal(sends[0].authorization, "Bearer EAAG-test-access-token");
        assert.deepEqual(sends[0].body, {
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: waId,
          type: "text",
          text: { preview_url: false, body: "Hi Jonas, how can I help?" },
        });
      },
    );

    await t.step(
      "a burst of replies reaches WhatsApp in the order the agent wrote them",
      async () => {
        const { conversationId } = await customerWrites(wa);
        const before = wa.graph.sends().length;
        const texts = Array.from({ length: 10 }, (_, i) => `part ${i + 1}`);
        const ids = [];
        for (const text of texts) ids.push(await reply(wa, supervisor, conversationId, text));
        for (const id of ids) await deliveryBecomes(wa, id, "sent");
        const bodies = wa.graph.sends().slice(before).map((r) =>
          (r.body as { text: { body: string } }).text.body
        );
        assert.deepEqual(bodies, texts);
      },
    );

    await t.step("a redelivered job does not send the message twice", async () => {
      const { conversationId } = await customerWrites(wa);
      const id = await reply(wa, supervisor, conversationId, "exactly once");
      await deliveryBecomes(wa, id, "sent");
      const before = wa.graph.sends().length;
      const message = await getMessageById(wa.app.kv, id);
      await runOutboundJob(wa.app.deps, { conversationId, seq: message!.seq, messageId: id });
      await runOutboundJob(wa.app.deps, { conversationId, seq: message!.seq, messageId: id });
      assert.equal(wa.graph.sends().length, before);
      assert.equal((await getMessageById(wa.app.kv, id))?.delivery?.status, "sent");

      wa.graph.scriptSend({ status: 400, body: graphError(131026, "Message Undeliverable") });
      const refused = await reply(wa, supervisor, conversationId, "refused once");
      await deliveryBecomes(wa, refused, "failed");
      const count = wa.graph.sends().length;
      const seq = (await getMessageById(wa.app.kv, refused))!.seq;
      await runOutboundJob(wa.app.deps, { conversationId, seq, messageId: refused });
      assert.equal(wa.graph.sends().length, count, "a failed message is not sent again");
      assert.equal((await getMessageById(wa.app.kv, refused))?.delivery?.status, "failed");
    });

    await t.step("retry after a 500: sent on the second attempt", async () => {
      const { conversationId } = await customerWrites(wa);
      const before = wa.graph.sends().length;
      wa.graph.scriptSend({ status: 500, body: graphError(2, "Service temporarily unavailable") });
      const id = await reply(wa, supervisor, conversationId, "after a hiccup");
      await deliveryBecomes(wa, id, "sent");
      const attempts = wa.graph.sends().slice(before);
      assert.equal(attempts.length, 2);
      assert.deepEqual(attempts[0].body, attempts[1].body, "the same message again");
    });

    await t.step("rate limit (429 with 130429, then 131056): retried until accepted", async () => {
      const { conversationId } = await customerWrites(wa);
      const before = wa.graph.sends().length;
      wa.graph.scriptSend(
        {
          status: 429,
          body: graphError(130429, "Rate limit hit"),
          headers: { "retry-after": "0" },
        },
        {
          status: 400,
          body: graphError(131056, "(Business Account, Consumer Account) pair rate limit hit"),
        },
      );
      const id = await reply(wa, supervisor, conversationId, "patience");
      await deliveryBecomes(wa, id, "sent");
      assert.equal(wa.graph.sends().length - before, 3);
    });

    await t.step(
      "permanent failure: failed at once with Meta's code and reason, no retry",
      async () => {
        const { conversationId } = await customerWrites(wa);
        const before = wa.graph.sends().length;
        wa.graph.scriptSend({
          status: 400,
          body: graphError(131026, "Message Undeliverable", "Unable to deliver message."),
        });
        const id = await reply(wa, supervisor, conversationId, "will not arrive");
        const delivery = await deliveryBecomes(wa, id, "failed");
        assert.equal(delivery.error?.code, "131026");
        assert.match(delivery.error?.reason ?? "", /could not deliver/);
        // A later message goes out normally: the failed one was not retried in between.
        const next = await reply(wa, supervisor, conversationId, "next one");
        await deliveryBecomes(wa, next, "sent");
        assert.equal(wa.graph.sends().length - before, 2);
      },
    );

    await t.step("131047: failed with the 24-hour window reason", async () => {
      const { conversationId } = await customerWrites(wa);
      wa.graph.scriptSend({
        status: 400,
        body: graphError(
          131047,
          "Re-engagement message",
          "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        ),
      });
      const id = await reply(wa, supervisor, conversationId, "too late");
      const delivery = await deliveryBecomes(wa, id, "failed");
      assert.equal(delivery.error?.code, "131047");
      assert.match(
        delivery.error?.reason ?? "",
        /more than 24 hours since the customer's last message/i,
      );
    });

    await t.step(`a 5xx that never ends: failed after ${MAX_ATTEMPTS} attempts`, async () => {
      const { conversationId } = await customerWrites(wa);
      const before = wa.graph.sends().length;
      wa.graph.scriptSend(
        ...Array.from({ length: MAX_ATTEMPTS }, () => ({
          status: 503,
          body: graphError(133004, "Server temporarily unavailable"),
        })),
      );
      const id = await reply(wa, supervisor, conversationId, "into the void");
      const delivery = await deliveryBecomes(wa, id, "failed");
      assert.match(delivery.error?.reason ?? "", new RegExp(`after ${MAX_ATTEMPTS} attempts`));
      assert.equal(wa.graph.sends().length - before, MAX_ATTEMPTS);
    });

    await t.step("statuses in order: delivered, then read", async () => {
      const { waId, conversationId } = await customerWrites(wa);
      const id = await reply(wa, supervisor, conversationId, "status me");
      await deliveryBecomes(wa, id, "sent");
      const wamid = wa.graph.wamids.at(-1)!;
      await wa.postWebhook(statusBody(wamid, "sent", waId));
      await wa.postWebhook(statusBody(wamid, "delivered", waId));
      await deliveryBecomes(wa, id, "delivered");
      await wa.postWebhook(statusBody(wamid, "read", waId));
      await deliveryBecomes(wa, id, "read");
    });

    await t.step("statuses out of order and twice: read stays read", async () => {
      const { waId, conversationId } = await customerWrites(wa);
      const id = await reply(wa, supervisor, conversationId, "out of order");
      await deliveryBecomes(wa, id, "sent");
      const wamid = wa.graph.wamids.at(-1)!;
      await wa.postWebhook(statusBody(wamid, "read", waId));
      await deliveryBecomes(wa, id, "read");
      await wa.postWebhook(statusBody(wamid, "read", waId));
      await wa.postWebhook(statusBody(wamid, "delivered", waId));
      await wa.postWebhook(statusBody(wamid, "sent", waId));
      await wa.postWebhook(
        statusBody(wamid, "failed", waId, { code: 131000, title: "Something went wrong" }),
      );
      // The same stale statuses again in one body, followed by a status of another
      // message: once that one shows, the stale ones before it were processed.
      const marker = await reply(wa, supervisor, conversationId, "marker");
      await deliveryBecomes(wa, marker, "sent");
      const one = (b: ReturnType<typeof statusBody>) =>
        (b.entry[0].changes[0].value as unknown as { statuses: unknown[] }).statuses[0];
      await wa.postWebhook(envelope({
        statuses: [
          one(statusBody(wamid, "delivered", waId)),
          one(statusBody(wamid, "sent", waId)),
          one(statusBody(wamid, "failed", waId, { code: 131000, title: "Something went wrong" })),
          one(statusBody(wa.graph.wamids.at(-1)!, "delivered", waId)),
        ],
      }));
      await deliveryBecomes(wa, marker, "delivered");
      assert.equal((await getMessageById(wa.app.kv, id))?.delivery?.status, "read");
    });

    await t.step("a failed status carries Meta's code and title to the agent", async () => {
      const { waId, conversationId } = await customerWrites(wa);
      const id = await reply(wa, supervisor, conversationId, "fails later");
      await deliveryBecomes(wa, id, "sent");
      await wa.postWebhook(statusBody(wa.graph.wamids.at(-1)!, "failed", waId, {
        code: 131049,
        title: "This message was not delivered to maintain healthy ecosystem engagement.",
      }));
      const delivery = await deliveryBecomes(wa, id, "failed");
      assert.equal(delivery.error?.code, "131049");
      assert.match(delivery.error?.reason ?? "", /healthy ecosystem engagement/);
    });

    await t.step(
      "a status that arrives before its message id is stored is applied later",
      async () => {
        const { waId, conversationId } = await customerWrites(wa);
        const early = "wamid.HBgNEARLYSTATUS" + crypto.randomUUID().replace(/-/g, "");
        assert.equal(
          await applyWhatsAppStatus(wa.app.engine, {
            wamid: early,
            status: "delivered",
            at: new Date().toISOString(),
            recipientId: waId,
            error: null,
          }),
          "parked",
        );
        wa.graph.scriptSend({
          status: 200,
          body: {
            messaging_product: "whatsapp",
            contacts: [{ input: waId, wa_id: waId }],
            messages: [{ id: early }],
          },
        });
        const id = await reply(wa, supervisor, conversationId, "Meta was faster than us");
        await deliveryBecomes(wa, id, "delivered");
      },
    );
  } finally {
    await wa.shutdown();
  }
});
