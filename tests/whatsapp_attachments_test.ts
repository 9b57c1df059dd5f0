/**
 * WhatsApp files both ways against the fake Graph API over real HTTP: a
 * customer's photo and PDF are downloaded like Meta serves them (GET the
 * media id for a URL, GET the URL with the token) and kept in Parley's store;
 * an agent's reply with files uploads each to /{phone-id}/media and sends an
 * image and a document message (the text as the caption); a failed part is
 * retried without sending the accepted parts again.
 */
import assert from "node:assert/strict";
import { findContact, getMessageById, getOpenConversation } from "../lib/store/engine/records.ts";
import { listMessagesForStaff } from "../lib/store/engine/messages.ts";
import type { Message } from "../lib/domain/engine_types.ts";
import { graphError } from "./fake_graph.ts";
import { eventually, startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { imageBody, inbound } from "./whatsapp_fixtures.ts";
import { PDF, PNG, upload } from "./attachment_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("[whatsapp] files in and out through the Graph API", async (t) => {
  const wa = await startWhatsAppTestApp();
  try {
    const boss = await wa.app.createStaff("supervisor");
    const waId = "4915100777001";
    let conversationId = "";
    const messages = () => listMessagesForStaff(wa.app.kv, conversationId);

    await t.step("in: a photo and a PDF are downloaded with the token and kept", async () => {
      wa.graph.media.set("media-photo-1", { bytes: PNG, mimeType: "image/png" });
      wa.graph.media.set("media-pdf-1", { bytes: PDF, mimeType: "application/pdf" });
      assert.equal(
        (await wa.postWebhook(imageBody({ waId, name: "Jonas" }, "media-photo-1", "the crack")))
          .status,
        200,
      );
      conversationId = await eventually(async () => {
        const contact = await findContact(wa.app.kv, "whatsapp", waId);
        return contact ? (await getOpenConversation(wa.app.kv, contact.id, "whatsapp"))?.id : null;
      }, "the conversation");
      const doc = inbound({ waId, name: "Jonas" }, "document", {
        document: { id: "media-pdf-1", mime_type: "application/pdf", filename: "receipt.pdf" },
      });
      assert.equal((await wa.postWebhook(doc)).status, 200);
      const [photo, pdf] = await eventually(async () => {
        const all = (await messages()).filter((m: Message) => m.attachments?.length);
        return all.length === 2 ? all : null;
      }, "both files stored");
      assert.equal(photo.text, "the crack");
      assert.equal(photo.attachments![0].contentType, "image/png");
      assert.equal(pdf.attachments![0].filename, "receipt.pdf");
      // Meta's two steps, each with the bearer token.
      const lookup = wa.graph.requests.find((r) => r.path === "/v21.0/media-photo-1");
      const download = wa.graph.requests.find((r) => r.path === "/download/media-photo-1");
      assert.equal(lookup?.authorization, "Bearer EAAG-test-access-token");
      assert.equal(download?.authorization, "Bearer EAAG-test-access-token");
      // Staff open the kept copy from Parley, not from Meta.
      const res = await fetch(`${wa.app.url}/api/v1/attachments/${pdf.attachments![0].id}`, {
        headers: { cookie: boss.cookie },
      });
      assert.equal(res.headers.get("content-disposition")?.startsWith("attachment;"), true);
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PDF);
    });

    await t.step("in: a photo Meta cannot serve keeps the proxy link, nothing lost", async () => {
      assert.equal((await wa.postWebhook(imageBody({ waId }, "media-gone", "second"))).status, 200);
      const m = await eventually(
        async () => (await messages()).find((x: Message) => x.text === "second"),
        "the message without its file",
      );
      assert.equal(m.attachments, undefined);
      assert.equal(m.data?.mediaId, "media-gone");
    });

    await t.step(
      "out: an agent's PDF and photo go as document and image, text as caption",
      async () => {
        const ids: string[] = [];
        for (
          const [bytes, type, name] of [[PDF, "application/pdf", "quote.pdf"], [
            PNG,
            "image/png",
            "diagram.png",
          ]] as const
        ) {
          const up = await upload(
            wa.app,
            `/api/v1/conversations/${conversationId}/attachments`,
            bytes,
            {
              type,
              filename: name,
              cookie: boss.cookie,
            },
          );
          assert.equal(up.status, 201, JSON.stringify(up.body));
          ids.push(up.body.attachment.id);
        }
        const before = wa.graph.sends().length;
        const sent = await wa.app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
          as: boss,
          body: { text: "Here you go", clientId: "wa-files-1", attachments: ids },
        });
        assert.equal(sent.status, 201, JSON.stringify(sent.body));
        await eventually(async () => {
          const m = await getMessageById(wa.app.kv, sent.body.message.id);
          return m?.delivery?.status === "sent";
        }, "the reply sent");
        const uploads = wa.graph.requests.filter((r) =>
          r.method === "POST" && r.path.endsWith("/media")
        );
        assert.equal(uploads.length, 2);
        assert.deepEqual(
          uploads.map((r) => (r.body as { type: string; file: { name: string } }).type),
          ["application/pdf", "image/png"],
        );
        const sends = wa.graph.sends().slice(before).map((r) => r.body as Json);
        assert.equal(sends.length, 2);
        assert.equal(sends[0].type, "document");
        assert.equal(sends[0].to, waId);
        assert.equal(sends[0].document.caption, "Here you go");
        assert.equal(sends[0].document.filename, "quote.pdf");
        assert.equal(sends[1].type, "image");
        assert.equal(sends[1].image.caption, undefined);
        // The ids sent are the ones the upload returned, holding the agent's bytes.
        assert.deepEqual(wa.graph.media.get(sends[0].document.id)?.bytes, PDF);
        assert.deepEqual(wa.graph.media.get(sends[1].image.id)?.bytes, PNG);
      },
    );

    await t.step(
      "out: a failed part is retried alone; accepted parts are not sent twice",
      async () => {
        const up = await upload(
          wa.app,
          `/api/v1/conversations/${conversationId}/attachments`,
          PNG,
          {
            type: "image/png",
            filename: "again.png",
            cookie: boss.cookie,
          },
        );
        const before = wa.graph.sends().length;
        wa.graph.scriptSend(
          { status: 200, body: { messages: [{ id: "wamid.PART-ONE" }] } },
          { status: 500, body: graphError(131000, "Something went wrong") },
        );
        // 2,000 characters: too long for a caption, so the text goes first, then the photo.
        const text = "x".repeat(2000);
        const sent = await wa.app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
          as: boss,
          body: { text, clientId: "wa-files-2", attachments: [up.body.attachment.id] },
        });
        assert.equal(sent.status, 201);
        await eventually(async () => {
          const m = await getMessageById(wa.app.kv, sent.body.message.id);
          return m?.delivery?.status === "sent";
        }, "the reply sent after a retry");
        const sends = wa.graph.sends().slice(before).map((r) => r.body as Json);
        assert.deepEqual(sends.map((s) => s.type), ["text", "image", "image"]);
        assert.equal(sends[0].text.body, text);
      },
    );

    await t.step("plain text replies are unchanged", async () => {
      const before = wa.graph.sends().length;
      const sent = await wa.app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
        as: boss,
        body: { text: "Anything else? 🙂", clientId: "wa-text" },
      });
      assert.equal(sent.status, 201);
      await eventually(() => Promise.resolve(wa.graph.sends().length > before), "the text sent");
      assert.equal((wa.graph.sends().at(-1)!.body as Json).text.body, "Anything else? 🙂");
    });
  } finally {
    await wa.shutdown();
  }
});
