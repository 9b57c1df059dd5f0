import assert from "node:assert/strict";
import { SseReader } from "./realtime_helpers.ts";
import { startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { statusBody, textBody } from "./whatsapp_fixtures.ts";

Deno.test("[whatsapp] end to end: webhook in, the agent sees it live, replies, and sees it read", async () => {
  const wa = await startWhatsAppTestApp();
  const { app, graph } = wa;
  let stream: SseReader | null = null;
  try {
    const agent = await app.createStaff("agent", { name: "Maya" });
    assert.equal(
      (await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "online" } })).status,
      200,
    );
    stream = await SseReader.open(`${app.url}/api/v1/stream`, { cookie: agent.cookie });
    await stream.waitFor((e) => e.event === "ready", "the stream to be ready");

    // 1. A customer writes on WhatsApp.
    const customer = { waId: "447700900123", name: "Oliver Smith" };
    const inbound = await wa.postWebhook(textBody(customer, "My order #1042 has not arrived"));
    assert.equal(inbound.status, 200);

    // 2. The agent sees it live: the message event on their stream.
    const created = await stream.waitFor(
      (e) => e.event === "message.created" && e.data.data?.channel === "whatsapp",
      "the customer's message on the agent's stream",
    );
    const conversationId = created.data.conversationId as string;
    // Dynamic assignment runs right after the message commits; the agent sees that live too.
    await stream.waitFor(
      (e) => e.event === "conversation.assigned" && e.data.conversationId === conversationId,
      "the chat assigned on the agent's stream",
    );
    const detail = await app.api("GET", `/api/v1/conversations/${conversationId}`, { as: agent });
    assert.equal(detail.status, 200);
    const conversation = detail.body.conversation ?? detail.body;
    assert.equal(conversation.channel, "whatsapp");
    assert.equal(conversation.assigneeId, agent.agent.id, "assigned to the Online agent");
    const text = JSON.stringify(detail.body);
    assert.ok(text.includes("My order #1042 has not arrived"));
    assert.ok(text.includes("Oliver Smith"));

    // 3. The agent replies through the staff API.
    const replyText = "Sorry about that, Oliver! It ships today.";
    const sent = await app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
      as: agent,
      body: { text: replyText, clientId: crypto.randomUUID() },
    });
    assert.equal(sent.status, 201);
    const messageId = sent.body.message.id as string;

    // 4. The fake Graph API receives the right body.
    const request = await graph.waitForRequest(
      (r) => r.method === "POST" && r.path.endsWith("/messages"),
      "the reply",
    );
    assert.equal(request.path, "/v21.0/106540352242922/messages");
    assert.equal(request.authorization, "Bearer EAAG-test-access-token");
    assert.deepEqual(request.body, {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "447700900123",
      type: "text",
      text: { preview_url: false, body: replyText },
    });
    await stream.waitFor(
      (e) =>
        e.event === "message.delivery" && e.data.data?.messageId === messageId &&
        e.data.data?.status === "sent",
      "sent on the stream",
    );

    // 5. Meta reports delivered and read; the agent sees "read" live and on reload.
    const wamid = graph.wamids[0];
    assert.equal((await wa.postWebhook(statusBody(wamid, "delivered", customer.waId))).status, 200);
    assert.equal((await wa.postWebhook(statusBody(wamid, "read", customer.waId))).status, 200);
    await stream.waitFor(
      (e) =>
        e.event === "message.delivery" && e.data.data?.messageId === messageId &&
        e.data.data?.status === "read",
      "read on the stream",
    );
    const after = await app.api("GET", `/api/v1/conversations/${conversationId}/messages`, {
      as: agent,
    });
    const stored = after.body.items.find((m: { id: string }) => m.id === messageId);
    assert.equal(stored.delivery.status, "read");

    // The 24-hour window is open for this conversation.
    const window = await app.api("GET", `/api/v1/conversations/${conversationId}/whatsapp`, {
      as: agent,
    });
    assert.equal(window.body.window.open, true);
  } finally {
    await stream?.close();
    await wa.shutdown();
  }
});
