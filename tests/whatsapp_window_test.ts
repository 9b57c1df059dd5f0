/**
 * The 24-hour window enforced by the server, over real HTTP and the agent
 * WebSocket: outside it a free-form reply is refused with `409 window_closed`
 * (saying when it closed) and nothing reaches Meta; the customer's next
 * message reopens it and replies go out again.
 */
import assert from "node:assert/strict";
import { WINDOW_MS } from "../lib/domain/whatsapp_window.ts";
import { findContact, getOpenConversation } from "../lib/store/engine/records.ts";
import { listMessagesForStaff } from "../lib/store/engine/messages.ts";
import { TestSocket, wsUrl } from "./realtime_helpers.ts";
import { eventually, startWhatsAppTestApp, type WhatsAppTestApp } from "./whatsapp_helpers.ts";
import { hoursAgo, sentAt, textBody } from "./whatsapp_fixtures.ts";

async function conversationWith(wa: WhatsAppTestApp, waId: string, text: string) {
  return await eventually(async () => {
    const contact = await findContact(wa.app.kv, "whatsapp", waId);
    const conv = contact ? await getOpenConversation(wa.app.kv, contact.id, "whatsapp") : null;
    if (!conv) return null;
    const log = await listMessagesForStaff(wa.app.kv, conv.id);
    return log.some((m) => m.text === text) ? conv : null;
  }, `"${text}" from ${waId}`);
}

Deno.test("[whatsapp] outside the 24-hour window the server refuses free-form replies (HTTP and socket); the customer's reply reopens it", async () => {
  const wa = await startWhatsAppTestApp();
  const sockets: TestSocket[] = [];
  try {
    const supervisor = await wa.app.createStaff("supervisor");
    const waId = "447700900123";
    const yesterday = hoursAgo(25);
    const old = sentAt(textBody({ waId, name: "Nora" }, "Sent yesterday"), yesterday);
    assert.equal((await wa.postWebhook(old)).status, 200);
    const conv = await conversationWith(wa, waId, "Sent yesterday");
    const closedAt = new Date(yesterday * 1000 + WINDOW_MS).toISOString();

    // HTTP: a stale tab (or any API client) cannot send one.
    const refused = await wa.app.api("POST", `/api/v1/conversations/${conv.id}/messages`, {
      as: supervisor,
      body: { text: "Are you still there?", clientId: "http-late" },
    });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "window_closed");
    assert.equal(refused.body.error.details.closedAt, closedAt);
    assert.match(refused.body.error.message, /24-hour window closed at/);
    assert.match(refused.body.error.message, /template/);

    // The socket refuses it the same way, with the same details.
    const ws = await TestSocket.open(wsUrl(wa.app, "/ws/agent"), { cookie: supervisor.cookie });
    sockets.push(ws);
    ws.send({ type: "send", conversationId: conv.id, clientId: "ws-late", text: "Hello?" });
    const error = await ws.next("error", (f) => f.ref === "ws-late");
    assert.equal(error.code, "window_closed");
    assert.equal(error.details.closedAt, closedAt);

    // Internal notes still work; nothing free-form was stored or sent.
    const note = await wa.app.api("POST", `/api/v1/conversations/${conv.id}/messages`, {
      as: supervisor,
      body: { text: "Will try a template", clientId: "note", internal: true },
    });
    assert.equal(note.status, 201);
    const log = await listMessagesForStaff(wa.app.kv, conv.id);
    assert.deepEqual(
      log.filter((m) => m.author.type === "agent").map((m) => m.type),
      ["note"],
    );
    assert.equal(wa.graph.sends().length, 0, "Meta was never asked");
    const state = await wa.app.api("GET", `/api/v1/conversations/${conv.id}/whatsapp`, {
      as: supervisor,
    });
    assert.equal(state.body.window.open, false);
    assert.equal(state.body.window.expiresAt, closedAt);

    // The customer writes again: the window reopens, replies go out (HTTP and socket).
    await wa.postWebhook(textBody({ waId, name: "Nora" }, "Yes, still here"));
    await conversationWith(wa, waId, "Yes, still here");
    const sent = await wa.app.api("POST", `/api/v1/conversations/${conv.id}/messages`, {
      as: supervisor,
      body: { text: "Great, here is your answer", clientId: "http-again" },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    ws.send({ type: "send", conversationId: conv.id, clientId: "ws-again", text: "And more" });
    const ack = await ws.next("ack", (f) => f.clientId === "ws-again");
    assert.equal(typeof ack.seq, "number");
    const bodies = await eventually(() => {
      const texts = wa.graph.sends().map((r) =>
        (r.body as { text?: { body?: string } }).text?.body
      );
      return Promise.resolve(texts.length >= 2 ? texts : null);
    }, "both replies at Meta");
    assert.deepEqual(bodies, ["Great, here is your answer", "And more"]);
  } finally {
    for (const s of sockets) await s.close();
    await wa.shutdown();
  }
});
