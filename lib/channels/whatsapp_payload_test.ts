import assert from "node:assert/strict";
import { parseWhatsAppWebhook } from "./whatsapp_payload.ts";
import { signWhatsAppBody, verifyWhatsAppSignature } from "./whatsapp_signature.ts";
import {
  buttonReplyBody,
  envelope,
  imageBody,
  inbound,
  listReplyBody,
  statusBody,
  textBody,
} from "../../tests/whatsapp_fixtures.ts";

const sheena = { waId: "16505551234", name: "Sheena Nelson" };

function one(body: unknown) {
  const parsed = parseWhatsAppWebhook(body);
  assert.ok(parsed);
  assert.equal(parsed.messages.length, 1, JSON.stringify(parsed.skipped));
  return parsed.messages[0];
}

Deno.test("[whatsapp] signature: sha256= HMAC of the raw bytes, anything else refused", async () => {
  const body = JSON.stringify(textBody(sheena, "hi"));
  const header = await signWhatsAppBody("app-secret", body);
  assert.match(header, /^sha256=[0-9a-f]{64}$/);
  assert.equal(await verifyWhatsAppSignature("app-secret", body, header), true);
  assert.equal(
    await verifyWhatsAppSignature("app-secret", new TextEncoder().encode(body), header),
    true,
  );
  assert.equal(await verifyWhatsAppSignature("other-secret", body, header), false);
  assert.equal(
    await verifyWhatsAppSignature("app-secret", body + " ", header),
    false,
    "one byte more",
  );
  assert.equal(
    await verifyWhatsAppSignature("app-secret", body, header.replace("sha256=", "")),
    false,
  );
  assert.equal(await verifyWhatsAppSignature("app-secret", body, header.slice(0, -2)), false);
  assert.equal(await verifyWhatsAppSignature("app-secret", body, null), false);
  assert.equal(await verifyWhatsAppSignature(null, body, header), false, "no secret configured");
  assert.equal(
    await verifyWhatsAppSignature(
      "app-secret",
      body,
      header.toUpperCase().replace("SHA256=", "sha256="),
    ),
    true,
    "hex case does not matter",
  );
});

Deno.test("[whatsapp] payload: each message type becomes a readable, structured record", async (t) => {
  await t.step("text with the contact's profile name and number", () => {
    const m = one(textBody(sheena, "Does it come in another color?"));
    assert.equal(m.kind, "text");
    assert.equal(m.text, "Does it come in another color?");
    assert.deepEqual(m.customer, {
      id: "16505551234",
      waId: "16505551234",
      userId: null,
      name: "Sheena Nelson",
      phone: "+16505551234",
    });
    assert.equal(m.phoneNumberId, "106540352242922");
    assert.match(m.id, /^wamid\./);
  });

  await t.step("image keeps media id, mime type and caption", () => {
    const m = one(imageBody(sheena, "1003383421387256", "The broken part"));
    assert.equal(m.kind, "image");
    assert.equal(m.text, "The broken part");
    assert.deepEqual(
      { ...(m.data.media as object), sha256: undefined },
      {
        id: "1003383421387256",
        mimeType: "image/jpeg",
        caption: "The broken part",
        filename: null,
        sha256: undefined,
      },
    );
    assert.equal(m.data.mediaId, "1003383421387256", "the id the workspace links to");
    assert.equal(one(imageBody(sheena, "1")).text, "[image]", "no caption: a label");
  });

  await t.step("audio, video, document and sticker", () => {
    const voice = one(
      inbound(sheena, "audio", {
        audio: { id: "a1", mime_type: "audio/ogg; codecs=opus", voice: true },
      }),
    );
    assert.equal(voice.kind, "audio");
    assert.equal(voice.text, "[voice message]");
    const doc = one(
      inbound(sheena, "document", {
        document: { id: "d1", mime_type: "application/pdf", filename: "invoice.pdf", caption: "" },
      }),
    );
    assert.equal(doc.kind, "document");
    assert.equal(doc.text, "invoice.pdf");
    assert.equal(
      one(inbound(sheena, "video", { video: { id: "v1", mime_type: "video/mp4" } })).kind,
      "video",
    );
    const sticker = one(
      inbound(sheena, "sticker", {
        sticker: { id: "s1", mime_type: "image/webp", animated: false },
      }),
    );
    assert.equal(sticker.kind, "sticker");
    assert.equal((sticker.data.media as { id: string }).id, "s1");
  });

  await t.step("location and shared contacts", () => {
    const loc = one(inbound(sheena, "location", {
      location: {
        latitude: 37.483307,
        longitude: -122.148981,
        name: "Pablo Morales",
        address: "1 Hacker Way, Menlo Park, CA 94025",
      },
    }));
    assert.equal(loc.kind, "location");
    assert.equal(
      loc.text,
      "Location: Pablo Morales, 1 Hacker Way, Menlo Park, CA 94025 (37.483307, -122.148981)",
    );
    const contacts = one(inbound(sheena, "contacts", {
      contacts: [{
        name: { formatted_name: "Barbara J. Johnson", first_name: "Barbara" },
        phones: [{ phone: "+1 (940) 555-1234", type: "HOME", wa_id: "19405551234" }],
        emails: [{ email: "bjohnson@example.com", type: "WORK" }],
      }],
    }));
    assert.equal(contacts.kind, "contacts");
    assert.equal(contacts.text, "Shared contact: Barbara J. Johnson +1 (940) 555-1234");
  });

  await t.step("interactive button and list replies, template buttons, reactions", () => {
    const button = one(buttonReplyBody(sheena, "confirm-yes", "Yes, confirm"));
    assert.equal(button.kind, "interactive");
    assert.equal(button.text, "Yes, confirm");
    assert.deepEqual(button.data.reply, {
      type: "button_reply",
      id: "confirm-yes",
      title: "Yes, confirm",
      description: null,
    });
    assert.equal(button.data.replyTo, "wamid.HBgLMTY1MDM4NzkRAgASGCA0");
    const list = one(listReplyBody(sheena, "ship-express", "Express", "Next-day delivery"));
    assert.equal(list.text, "Express — Next-day delivery");
    const template = one(
      inbound(sheena, "button", { button: { payload: "STOP", text: "Stop promotions" } }),
    );
    assert.equal(template.kind, "button");
    assert.equal(template.text, "Stop promotions");
    const reaction = one(
      inbound(sheena, "reaction", { reaction: { message_id: "wamid.X", emoji: "👍" } }),
    );
    assert.equal(reaction.kind, "reaction");
    assert.equal(reaction.text, "Reacted 👍 to a message");
  });

  await t.step("unknown types are kept as unsupported with their type", () => {
    const order = one(inbound(sheena, "order", { order: { catalog_id: "1", product_items: [] } }));
    assert.equal(order.kind, "unsupported");
    assert.equal(order.data.unsupportedType, "order");
    assert.match(order.text, /type: order/);
    const meta = one(inbound(sheena, "unsupported", {
      errors: [{ code: 131051, title: "Message type unknown", message: "Message type unknown" }],
    }));
    assert.equal(meta.kind, "unsupported");
    assert.match(meta.text, /Message type unknown/);
    const textWithoutText = one(inbound(sheena, "text", {}));
    assert.equal(
      textWithoutText.kind,
      "unsupported",
      "a known type missing its object is not dropped",
    );
  });

  await t.step("a contact without wa_id falls back to the business-scoped user id", () => {
    const m = one(textBody({ userId: "US.13491208655302741918", name: "Ana" }, "hello"));
    assert.equal(m.customer.id, "US.13491208655302741918");
    assert.equal(m.customer.waId, null);
    assert.equal(m.customer.phone, null);
    assert.equal(m.customer.name, "Ana");
  });
});

Deno.test("[whatsapp] payload: statuses, tolerance, and what is refused", async (t) => {
  await t.step("statuses with error code and title", () => {
    const parsed = parseWhatsAppWebhook(statusBody("wamid.OUT1", "failed", "16505551234", {
      code: 131047,
      title: "Re-engagement message",
      details:
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    }));
    assert.ok(parsed);
    assert.equal(parsed.statuses.length, 1);
    const s = parsed.statuses[0];
    assert.equal(s.wamid, "wamid.OUT1");
    assert.equal(s.status, "failed");
    assert.equal(s.error?.code, 131047);
    assert.equal(s.error?.title, "Re-engagement message");
    const read = parseWhatsAppWebhook(statusBody("wamid.OUT1", "read"))!.statuses[0];
    assert.equal(read.status, "read");
    assert.equal(read.error, null);
  });

  await t.step("unknown fields, other webhook fields and unknown statuses are tolerated", () => {
    const body = textBody(sheena, "hi") as unknown as {
      entry: { changes: unknown[] }[];
      extra: unknown;
    };
    body.extra = { future: true };
    body.entry[0].changes.push({
      field: "message_template_status_update",
      value: { event: "APPROVED" },
    });
    const parsed = parseWhatsAppWebhook(body);
    assert.ok(parsed);
    assert.equal(parsed.messages.length, 1);
    const odd = parseWhatsAppWebhook(
      envelope({ statuses: [{ id: "wamid.Z", status: "deleted", timestamp: "1" }] }),
    );
    assert.deepEqual(odd?.statuses, []);
    assert.equal(odd?.skipped.length, 1);
  });

  await t.step("one broken message does not sink its neighbours", () => {
    const body = envelope({
      contacts: [{ profile: { name: "A" }, wa_id: "111" }],
      messages: [
        { from: "111", timestamp: "1", type: "text", text: { body: "no id" } },
        { from: "111", id: "wamid.OK", timestamp: "1", type: "text", text: { body: "fine" } },
      ],
    });
    const parsed = parseWhatsAppWebhook(body);
    assert.deepEqual(parsed?.messages.map((m) => m.text), ["fine"]);
  });

  await t.step("a body that is not a webhook envelope is refused", () => {
    assert.equal(parseWhatsAppWebhook({ hello: "world" }), null);
    assert.equal(parseWhatsAppWebhook([1, 2]), null);
    assert.equal(parseWhatsAppWebhook("text"), null);
    assert.equal(parseWhatsAppWebhook({ object: "whatsapp_business_account", entry: "x" }), null);
    assert.deepEqual(parseWhatsAppWebhook({ object: "page", entry: [] })?.messages, []);
  });
});
