/**
 * Bot hand-off over HTTP with an API key: the conversation opens Pending in the named team's
 * queue with the transcript (bot lines marked as the bot's), the context and the summary note;
 * the visitor sees the bot's lines in the widget; a retry opens nothing new; racing retries
 * open one conversation; bad input and an open chat are refused with nothing written.
 */
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "./helpers.ts";
import { setAgentStatus } from "../lib/store/engine/mod.ts";
import { verifyVisitorToken } from "../lib/auth/visitor_token.ts";

async function post(app: TestApp, token: string, body: unknown) {
  const res = await fetch(app.url + "/api/v1/handoffs", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("[handoff] a bot hands a visitor over to a team's Pending queue", async (t) => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const supervisor = await app.createStaff("supervisor");
    const team = await app.api("POST", "/api/v1/admin/teams", {
      as: admin,
      body: { name: "Billing" },
    });
    const teamId: string = team.body.team.id;
    const key = await app.api("POST", "/api/v1/admin/api-keys", {
      as: admin,
      body: { name: "Syntphony bot", scopes: ["messages:write"] },
    });
    const token: string = key.body.token;
    const readOnly = (await app.api("POST", "/api/v1/admin/api-keys", {
      as: admin,
      body: { name: "Reader", scopes: ["conversations:read"] },
    })).body.token;

    // The visitor the bot talked to, on the website widget.
    const session = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
    const visitorToken: string = session.body.visitorToken;
    const visitorId = (await verifyVisitorToken(app.deps.engine, visitorToken))!.visitorId;

    const handoff = {
      handoffId: "bot-session-77",
      channel: "webchat",
      contact: { webVisitorId: visitorId, name: "Maria Silva", email: "maria@example.com" },
      teamId,
      transcript: [
        { from: "customer", text: "I was charged twice", at: "2026-01-01T10:00:00Z" },
        { from: "bot", text: "Sorry to hear that! Which order?", at: "2026-01-01T10:00:05Z" },
        { from: "customer", text: "Order A-42", at: "2026-01-01T10:00:20Z" },
        { from: "bot", text: "Let me get a person from Billing.", at: "2026-01-01T10:00:25Z" },
      ],
      context: { orderId: "A-42", intent: "refund", confidence: 0.42 },
      summary: "Double charge on order A-42; customer wants a refund.",
    };

    await t.step("refused: no scope, bad input, unknown team; nothing is written", async () => {
      assert.equal((await post(app, readOnly, handoff)).status, 403);
      const bad = await post(app, token, { ...handoff, transcript: [] });
      assert.equal(bad.status, 400);
      assert.ok(bad.body.error.details.fields.transcript);
      const botLine = await post(app, token, {
        ...handoff,
        transcript: [{ from: "wizard", text: "hi" }],
      });
      assert.equal(botLine.status, 400);
      const noTeam = await post(app, token, { ...handoff, teamId: "nope" });
      assert.equal(noTeam.status, 404);
      const noId = await post(app, token, { ...handoff, contact: { name: "X" } });
      assert.equal(noId.status, 400);
      const pending = await app.api("GET", "/api/v1/conversations?status=pending", {
        as: supervisor,
      });
      assert.deepEqual(pending.body.items, []);
    });

    let conversationId = "";
    await t.step(
      "opens Pending in the team's queue with transcript, context, summary",
      async () => {
        const res = await post(app, token, handoff);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.duplicate, false);
        conversationId = res.body.conversation.id;
        assert.equal(res.body.conversation.status, "pending");
        assert.equal(res.body.conversation.teamId, teamId);
        assert.equal(res.body.contact.name, "Maria Silva");
        const detail = await app.api("GET", `/api/v1/conversations/${conversationId}`, {
          as: supervisor,
        });
        assert.equal(detail.status, 200);
        assert.deepEqual(detail.body.context, {
          orderId: "A-42",
          intent: "refund",
          confidence: 0.42,
        });
        const log = detail.body.messages.map((m: {
          type: string;
          author: { type: string; name?: string };
          text: string;
          createdAt: string;
        }) => [m.type, m.author.type, m.author.name ?? null, m.text]);
        assert.deepEqual(log, [
          ["message", "customer", "Maria Silva", "I was charged twice"],
          ["message", "bot", "Syntphony bot", "Sorry to hear that! Which order?"],
          ["message", "customer", "Maria Silva", "Order A-42"],
          ["message", "bot", "Syntphony bot", "Let me get a person from Billing."],
          ["note", "bot", "Syntphony bot", "Double charge on order A-42; customer wants a refund."],
        ]);
        assert.equal(detail.body.messages[0].createdAt, "2026-01-01T10:00:00.000Z");
        const queue = await app.api("GET", "/api/v1/conversations?status=pending&order=queue", {
          as: supervisor,
        });
        assert.deepEqual(queue.body.items.map((c: { id: string }) => c.id), [conversationId]);
      },
    );

    await t.step("the visitor's widget shows the bot's lines, never the summary note", async () => {
      const seen = await app.api("GET", "/api/v1/widget/messages", {
        headers: { authorization: `Bearer ${visitorToken}` },
      });
      assert.equal(seen.status, 200);
      const items = seen.body.items ?? seen.body.messages;
      assert.deepEqual(
        items.map((m: { author: { type: string }; text: string }) => [m.author.type, m.text]),
        [
          ["customer", "I was charged twice"],
          ["bot", "Sorry to hear that! Which order?"],
          ["customer", "Order A-42"],
          ["bot", "Let me get a person from Billing."],
        ],
      );
    });

    await t.step("a retry with the same handoffId opens nothing new", async () => {
      const again = await post(app, token, handoff);
      assert.equal(again.status, 200);
      assert.equal(again.body.duplicate, true);
      assert.equal(again.body.conversation.id, conversationId);
    });

    await t.step("another hand-off while humans have the chat: 409 naming it", async () => {
      const other = await post(app, token, { ...handoff, handoffId: "bot-session-78" });
      assert.equal(other.status, 409);
      assert.equal(other.body.error.code, "conversation_open");
      assert.equal(other.body.error.details.conversationId, conversationId);
    });

    await t.step("an Online agent of the team gets it at once (assignment as usual)", async () => {
      const agent = await app.createStaff("agent");
      await app.api("PUT", `/api/v1/admin/agents/${agent.agent.id}`, {
        as: admin,
        body: { teamId },
      });
      await setAgentStatus(app.deps.engine, agent.agent.id, "online");
      const detail = await app.api("GET", `/api/v1/conversations/${conversationId}`, {
        as: supervisor,
      });
      assert.equal(detail.body.status, "active");
      assert.equal(detail.body.assigneeId, agent.agent.id);
    });

    await t.step("racing retries of a new WhatsApp hand-off open one conversation", async () => {
      const wa = {
        handoffId: "wa-1",
        channel: "whatsapp",
        contact: { whatsappId: "5511999990000", name: "João" },
        transcript: [{ from: "customer", text: "Oi" }, { from: "bot", text: "Olá!" }],
      };
      const results = await Promise.all(Array.from({ length: 6 }, () => post(app, token, wa)));
      const ids = new Set(results.map((r) => r.body.conversation?.id));
      assert.equal(ids.size, 1, JSON.stringify(results.map((r) => r.status)));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 201]);
      const detail = await app.api("GET", `/api/v1/conversations/${[...ids][0]}`, {
        as: supervisor,
      });
      assert.equal(detail.body.channel, "whatsapp");
      // The transcript, once (then the Online agent's "joined" event: assignment ran).
      assert.deepEqual(
        detail.body.messages.filter((m: { type: string }) => m.type === "message")
          .map((m: { text: string }) => m.text),
        ["Oi", "Olá!"],
      );
    });
  } finally {
    await app.shutdown();
  }
});
