/**
 * WhatsApp message templates over real HTTP against the fake Graph API: the
 * admin refresh (every page, cached in KV), what agents may send, a template
 * send outside the 24-hour window (the exact payload Meta receives, its
 * delivery states), Meta refusing one (132001, 132000), bad input, and the
 * customer's reply reopening the window.
 */
import assert from "node:assert/strict";
import type { Delivery } from "../lib/domain/engine_types.ts";
import { findContact, getMessageById, getOpenConversation } from "../lib/store/engine/records.ts";
import { listMessagesForStaff } from "../lib/store/engine/messages.ts";
import { customerSays } from "../lib/store/engine/test_util.ts";
import { graphError } from "./fake_graph.ts";
import type { Staff } from "./helpers.ts";
import { eventually, startWhatsAppTestApp, type WhatsAppTestApp } from "./whatsapp_helpers.ts";
import { graphTemplates, hoursAgo, sentAt, statusBody, textBody } from "./whatsapp_fixtures.ts";

let phone = 447700800000;

/** A customer who last wrote 30 hours ago: the window is closed. */
async function quietCustomer(wa: WhatsAppTestApp, name = "Ana Lima") {
  const waId = String(++phone);
  await wa.postWebhook(sentAt(textBody({ waId, name }, "Old question"), hoursAgo(30)));
  const conversationId = await eventually(async () => {
    const contact = await findContact(wa.app.kv, "whatsapp", waId);
    return contact ? (await getOpenConversation(wa.app.kv, contact.id, "whatsapp"))?.id : null;
  }, "the conversation");
  return { waId, conversationId };
}

function sendTemplate(wa: WhatsAppTestApp, as: Staff, conversationId: string, body: unknown) {
  return wa.app.api("POST", `/api/v1/conversations/${conversationId}/templates`, { as, body });
}

function deliveryBecomes(wa: WhatsAppTestApp, messageId: string, status: Delivery["status"]) {
  return eventually(async () => {
    const m = await getMessageById(wa.app.kv, messageId);
    return m?.delivery?.status === status ? m.delivery : null;
  }, `message ${messageId} ${status}`);
}

Deno.test("[whatsapp] templates: admin refresh reads every page into KV; agents see only the ones they can send", async () => {
  const wa = await startWhatsAppTestApp();
  try {
    const admin = await wa.app.createStaff("admin");
    const agent = await wa.app.createStaff("agent");
    wa.graph.templates.push(...graphTemplates());
    // Enough to need two pages of 100.
    for (let i = 0; i < 110; i++) {
      wa.graph.templates.push({
        id: `2${i}`,
        name: `bulk_${String(i).padStart(3, "0")}`,
        language: "en_US",
        status: "APPROVED",
        category: "UTILITY",
        components: [{ type: "BODY", text: `Bulk ${i} for {{1}}` }],
      });
    }
    const before = await wa.app.api("GET", "/api/v1/whatsapp/templates", { as: agent });
    assert.equal(before.status, 200);
    assert.deepEqual(before.body.items, [], "nothing before the first refresh");

    const forbidden = await wa.app.api("POST", "/api/v1/admin/whatsapp/templates/refresh", {
      as: agent,
    });
    assert.equal(forbidden.status, 403);

    const refreshed = await wa.app.api("POST", "/api/v1/admin/whatsapp/templates/refresh", {
      as: admin,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal(refreshed.body.ok, true);
    assert.equal(refreshed.body.items.length, 114);
    assert.ok(refreshed.body.state.fetchedAt);
    const pages = wa.graph.requests.filter((r) => r.path.endsWith("/message_templates"));
    assert.equal(pages.length, 2, "both pages read");
    assert.equal(pages[0].path, "/v21.0/102290129340398/message_templates");

    const order = refreshed.body.items.find((t: { name: string }) => t.name === "order_update");
    assert.deepEqual(order, {
      id: "1001",
      name: "order_update",
      language: "en_US",
      status: "APPROVED",
      category: "UTILITY",
      parameterFormat: "positional",
      header: "Order {{1}}",
      body: "Hi {{1}}, your order is {{2}}. Reply to this message to continue.",
      footer: "Parley Shop",
      buttons: ["Talk to us"],
      variables: [
        { component: "header", key: "1", example: "A-1" },
        { component: "body", key: "1", example: "Pablo" },
        { component: "body", key: "2", example: "on its way" },
      ],
      unsupported: null,
    });
    const pdf = refreshed.body.items.find((t: { name: string }) => t.name === "invoice_pdf");
    assert.match(pdf.unsupported, /document media/);

    const forAgents = await wa.app.api("GET", "/api/v1/whatsapp/templates", { as: agent });
    const names = forAgents.body.items.map((t: { name: string }) => t.name);
    assert.ok(names.includes("order_update") && names.includes("follow_up"));
    assert.ok(!names.includes("spring_sale"), "pending templates are not offered");
    assert.ok(!names.includes("invoice_pdf"), "templates Parley cannot fill are not offered");

    // A template deleted at Meta disappears from the cache on the next refresh.
    wa.graph.templates.splice(0, 1);
    const again = await wa.app.api("POST", "/api/v1/admin/whatsapp/templates/refresh", {
      as: admin,
    });
    assert.equal(again.body.items.length, 113);
    assert.ok(!again.body.items.some((t: { name: string }) => t.name === "order_update"));

    // Meta failing keeps the cache and says why.
    wa.graph.scriptTemplates({ status: 400, body: graphError(100, "Invalid parameter") });
    const failed = await wa.app.api("POST", "/api/v1/admin/whatsapp/templates/refresh", {
      as: admin,
    });
    assert.equal(failed.body.ok, false);
    assert.match(failed.body.message, /could not be read: WhatsApp refused .*100/);
    assert.equal(failed.body.items.length, 113, "the cached list stays");
    assert.equal(failed.body.state.error, failed.body.message);
    const listed = await wa.app.api("GET", "/api/v1/admin/whatsapp/templates", { as: admin });
    assert.equal(listed.body.items.length, 113);
    const audit = await wa.app.api("GET", "/api/v1/admin/audit?targetType=whatsapp", { as: admin });
    assert.ok(
      audit.body.items.some((e: { action: string }) => e.action === "whatsapp.templates_refreshed"),
    );
  } finally {
    await wa.shutdown();
  }
});

Deno.test("[whatsapp] templates: no WhatsApp Business Account id → the refresh says what to set", async () => {
  const wa = await startWhatsAppTestApp({ WHATSAPP_BUSINESS_ACCOUNT_ID: "" });
  try {
    const admin = await wa.app.createStaff("admin");
    const res = await wa.app.api("POST", "/api/v1/admin/whatsapp/templates/refresh", { as: admin });
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, false);
    assert.match(res.body.message, /WhatsApp Business Account id/);
    assert.equal(res.body.state.error, res.body.message);
  } finally {
    await wa.shutdown();
  }
});

Deno.test("[whatsapp] templates: sent outside the window with the right payload, delivery states, refusals, and the reply reopens the window", async (t) => {
  const wa = await startWhatsAppTestApp();
  try {
    const admin = await wa.app.createStaff("admin");
    const supervisor = await wa.app.createStaff("supervisor");
    const agent = await wa.app.createStaff("agent");
    wa.graph.templates.push(...graphTemplates());
    await wa.app.api("POST", "/api/v1/admin/whatsapp/templates/refresh", { as: admin });

    await t.step(
      "positional template: Meta receives name, language and the values in order",
      async () => {
        const { waId, conversationId } = await quietCustomer(wa);
        const free = await wa.app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
          as: supervisor,
          body: { text: "Hello?", clientId: crypto.randomUUID() },
        });
        assert.equal(free.status, 409, "free-form is refused: the window is closed");
        const res = await sendTemplate(wa, supervisor, conversationId, {
          clientId: "tpl-1",
          name: "order_update",
          language: "en_US",
          values: { "header:1": "A-42", "body:1": "Ana", "body:2": "ready for pickup" },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const message = res.body.message;
        assert.equal(message.kind, "template");
        assert.equal(message.delivery.status, "sending");
        assert.equal(
          message.text,
          "*Order A-42*\n\nHi Ana, your order is ready for pickup. Reply to this message to continue.\n\nParley Shop\n\n[Talk to us]",
        );
        const sent = await wa.graph.waitForRequest(
          (r) => (r.body as { type?: string })?.type === "template",
          "the template send",
        );
        assert.deepEqual(sent.body, {
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: waId,
          type: "template",
          template: {
            name: "order_update",
            language: { code: "en_US" },
            components: [
              { type: "header", parameters: [{ type: "text", text: "A-42" }] },
              {
                type: "body",
                parameters: [{ type: "text", text: "Ana" }, {
                  type: "text",
                  text: "ready for pickup",
                }],
              },
            ],
          },
        });
        await deliveryBecomes(wa, message.id, "sent");
        const wamid = wa.graph.wamids.at(-1)!;
        await wa.postWebhook(statusBody(wamid, "delivered", waId));
        await deliveryBecomes(wa, message.id, "delivered");

        const again = await sendTemplate(wa, supervisor, conversationId, {
          clientId: "tpl-1",
          name: "order_update",
          language: "en_US",
          values: { "header:1": "A-42", "body:1": "Ana", "body:2": "ready for pickup" },
        });
        assert.equal(again.status, 200, "the same clientId stores nothing new");
        assert.equal(again.body.message.id, message.id);
        // Still so after the template left the cache (a retry whose first answer was lost).
        await wa.app.kv.delete(["whatsapp_templates", "order_update", "en_US"]);
        const later = await sendTemplate(wa, supervisor, conversationId, {
          clientId: "tpl-1",
          name: "order_update",
          language: "en_US",
          values: {},
        });
        assert.equal(later.status, 200, JSON.stringify(later.body));
        assert.equal(later.body.message.id, message.id);
        const templateSends = wa.graph.sends().filter((r) =>
          (r.body as { type?: string }).type === "template"
        );
        assert.equal(templateSends.length, 1, "Meta was asked once");
        await wa.app.api("POST", "/api/v1/admin/whatsapp/templates/refresh", { as: admin });

        // The customer answers: the window reopens and free-form replies go out again.
        await wa.postWebhook(textBody({ waId, name: "Ana Lima" }, "Great, coming today"));
        await eventually(async () => {
          const log = await listMessagesForStaff(wa.app.kv, conversationId);
          return log.some((m) => m.text === "Great, coming today");
        }, "the customer's answer");
        const reply = await wa.app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
          as: supervisor,
          body: { text: "See you soon!", clientId: crypto.randomUUID() },
        });
        assert.equal(reply.status, 201, JSON.stringify(reply.body));
        await deliveryBecomes(wa, reply.body.message.id, "sent");
      },
    );

    await t.step("named template: each value goes with its parameter_name", async () => {
      const { conversationId } = await quietCustomer(wa);
      const res = await sendTemplate(wa, supervisor, conversationId, {
        clientId: "tpl-named",
        name: "follow_up",
        language: "es",
        values: { "body:customer_name": "Ana", "body:order_id": "A-77" },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.message.text, "Hola Ana, ¿seguimos con el pedido A-77?");
      const sent = await wa.graph.waitForRequest(
        (r) => (r.body as { template?: { name?: string } })?.template?.name === "follow_up",
        "the named template",
      );
      assert.deepEqual((sent.body as { template: unknown }).template, {
        name: "follow_up",
        language: { code: "es" },
        components: [{
          type: "body",
          parameters: [
            { type: "text", parameter_name: "customer_name", text: "Ana" },
            { type: "text", parameter_name: "order_id", text: "A-77" },
          ],
        }],
      });
      await deliveryBecomes(wa, res.body.message.id, "sent");
    });

    await t.step(
      "Meta refuses: deleted at Meta (132001) and changed variables (132000) → failed with a readable reason",
      async () => {
        const { conversationId } = await quietCustomer(wa);
        // Deleted at Meta after the cache was filled.
        const followUp = wa.graph.templates.findIndex((x) => x.name === "follow_up");
        const [removed] = wa.graph.templates.splice(followUp, 1);
        const gone = await sendTemplate(wa, supervisor, conversationId, {
          clientId: "tpl-gone",
          name: "follow_up",
          language: "es",
          values: { "body:customer_name": "Ana", "body:order_id": "A-77" },
        });
        assert.equal(gone.status, 201);
        const goneDelivery = await deliveryBecomes(wa, gone.body.message.id, "failed");
        assert.equal(goneDelivery.error?.code, "132001");
        assert.match(goneDelivery.error?.reason ?? "", /no such template in this language/);
        wa.graph.templates.push(removed);

        // Its body gained a variable at Meta; Parley's cached copy has one less.
        const order = wa.graph.templates.find((x) => x.name === "order_update")!;
        const body = order.components[1] as { text: string };
        const original = body.text;
        body.text = `${original} Ref {{3}}.`;
        const mismatch = await sendTemplate(wa, supervisor, conversationId, {
          clientId: "tpl-mismatch",
          name: "order_update",
          language: "en_US",
          values: { "header:1": "A-1", "body:1": "Ana", "body:2": "late" },
        });
        const delivery = await deliveryBecomes(wa, mismatch.body.message.id, "failed");
        assert.equal(delivery.error?.code, "132000");
        assert.match(delivery.error?.reason ?? "", /variables do not match/);
        body.text = original;
      },
    );

    await t.step("bad input is refused and stores nothing", async () => {
      const { conversationId } = await quietCustomer(wa);
      const missing = await sendTemplate(wa, supervisor, conversationId, {
        clientId: "x1",
        name: "order_update",
        language: "en_US",
        values: { "header:1": "A-1", "body:1": "Ana" },
      });
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.body.error.details.fields, { "body:2": "Fill this in." });
      const newline = await sendTemplate(wa, supervisor, conversationId, {
        clientId: "x2",
        name: "order_update",
        language: "en_US",
        values: { "header:1": "A-1", "body:1": "Ana\nB", "body:2": "x" },
      });
      assert.equal(newline.status, 400);
      assert.ok(newline.body.error.details.fields["body:1"]);
      const unknown = await sendTemplate(wa, supervisor, conversationId, {
        clientId: "x3",
        name: "nope",
        language: "en_US",
      });
      assert.equal(unknown.status, 404);
      const pending = await sendTemplate(wa, supervisor, conversationId, {
        clientId: "x4",
        name: "spring_sale",
        language: "en_US",
      });
      assert.equal(pending.status, 409);
      assert.equal(pending.body.error.code, "template_not_sendable");
      const extra = await sendTemplate(wa, supervisor, conversationId, {
        clientId: "x5",
        name: "order_update",
        language: "en_US",
        values: {},
        internal: true,
      });
      assert.equal(extra.status, 400, "unknown fields are refused");
      const notHers = await sendTemplate(wa, agent, conversationId, {
        clientId: "x6",
        name: "follow_up",
        language: "es",
        values: { "body:customer_name": "Ana", "body:order_id": "1" },
      });
      assert.equal(notHers.status, 403, "an agent cannot write in a chat that is not theirs");
      const log = await listMessagesForStaff(wa.app.kv, conversationId);
      assert.ok(log.every((m) => m.author.type !== "agent"), "nothing stored");

      const web = await customerSays(wa.app.engine, "Hi from the web");
      const webTemplate = await sendTemplate(wa, supervisor, web.conversation.id, {
        clientId: "x7",
        name: "follow_up",
        language: "es",
        values: { "body:customer_name": "Ana", "body:order_id": "1" },
      });
      assert.equal(webTemplate.status, 409);
      assert.equal(webTemplate.body.error.code, "not_whatsapp");
    });
  } finally {
    await wa.shutdown();
  }
});
