import assert from "node:assert/strict";
import { keys } from "../lib/store/keys.ts";
import { startTestApp } from "./helpers.ts";
import { type Frame, newVisitor, TestSocket, visitorSays, wsUrl } from "./realtime_helpers.ts";

Deno.test("[realtime] agent and visitor talk over their WebSockets", async (t) => {
  const app = await startTestApp();
  const sockets: TestSocket[] = [];
  try {
    const agent = await app.createStaff("agent", { name: "Ada Agent" });
    const other = await app.createStaff("agent", { name: "Otto Other" });
    assert.equal(
      (await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "online" } })).status,
      200,
    );
    const visitor = await newVisitor(app);
    const first = await visitorSays(app, visitor.token, "Hello, is anyone there?");
    const conversationId: string = first.conversation.id;
    const conv = await app.api("GET", `/api/v1/conversations/${conversationId}`, { as: agent });
    assert.equal(conv.body.conversation?.assigneeId ?? conv.body.assigneeId, agent.agent.id);

    const opened = Date.now();
    const agentWs = await TestSocket.open(wsUrl(app, "/ws/agent"), { cookie: agent.cookie });
    const visitorWs = await TestSocket.open(
      wsUrl(app, `/ws/visitor?token=${encodeURIComponent(visitor.token)}`),
    );
    sockets.push(agentWs, visitorWs);

    await t.step("each side is greeted with who it is", async () => {
      const hello = await agentWs.waitFor((f) => f.type === "hello");
      assert.equal(hello.role, "agent");
      assert.equal(hello.id, agent.agent.id);
      assert.equal((await visitorWs.waitFor((f) => f.type === "hello")).role, "visitor");
    });

    await t.step(
      "subscribing replays the log, then the agent's reply reaches the visitor",
      async () => {
        agentWs.send({ type: "subscribe", conversationId, afterSeq: 0 });
        visitorWs.send({ type: "subscribe", conversationId, afterSeq: 0 });
        const [a, v] = await Promise.all([
          agentWs.next("subscribed"),
          visitorWs.next("subscribed"),
        ]);
        assert.equal(a.seq, v.seq);
        const texts = agentWs.frames.filter((f) => f.type === "message").map((f) => f.message.text);
        assert.ok(texts.includes("Hello, is anyone there?"));

        agentWs.send({ type: "send", conversationId, clientId: "reply-1", text: "Hi! Ada here." });
        const ack = await agentWs.next("ack");
        assert.equal(ack.clientId, "reply-1");
        const got = await visitorWs.waitFor(
          (f) => f.type === "message" && f.message.text === "Hi! Ada here.",
          "the agent's reply at the visitor",
        );
        assert.equal(got.message.seq, ack.seq, "the ack names the stored seq");
        assert.equal(got.message.author.name, "Ada Agent", "the visitor sees the agent's name");
      },
    );

    await t.step("an open chat pane keeps the agent's presence alive (heartbeat)", async () => {
      // (Several round trips after the socket opened: the beat, written at open, has landed.)
      const beat = await app.kv.get<number>(keys.heartbeat(agent.agent.id));
      assert.ok(beat.value && beat.value >= opened, "the socket beat for the agent");
    });

    await t.step("the visitor's message, over WS and over HTTP, reaches the agent", async () => {
      visitorWs.send({ type: "send", conversationId, clientId: "v-2", text: "My order is late" });
      const ack = await visitorWs.next("ack");
      await agentWs.waitFor(
        (f) =>
          f.type === "message" && f.message.seq === ack.seq &&
          f.message.text === "My order is late",
        "the visitor's WS message at the agent",
      );
      const http = await visitorSays(app, visitor.token, "Order 1234");
      await agentWs.waitFor(
        (f) => f.type === "message" && f.message.seq === http.message.seq,
        "the visitor's HTTP message at the agent",
      );
    });

    await t.step("a retried send is stored once and acked with the same seq", async () => {
      agentWs.send({ type: "send", conversationId, clientId: "reply-2", text: "Checking now" });
      const firstAck = await agentWs.next("ack", (f) => f.clientId === "reply-2");
      agentWs.send({ type: "send", conversationId, clientId: "reply-2", text: "Checking now" });
      const again = await agentWs.next("ack", (f) => f.clientId === "reply-2");
      assert.equal(again.seq, firstAck.seq);
      const log = await app.api("GET", `/api/v1/conversations/${conversationId}/messages`, {
        as: agent,
      });
      const items: Frame[] = log.body.items ?? log.body.messages ?? log.body;
      assert.equal(items.filter((m) => m.text === "Checking now").length, 1);
    });

    await t.step("internal notes reach staff, never the visitor", async () => {
      agentWs.send({
        type: "send",
        conversationId,
        clientId: "note-1",
        text: "VIP customer",
        internal: true,
      });
      const ack = await agentWs.next("ack", (f) => f.clientId === "note-1");
      await agentWs.waitFor((f) => f.type === "message" && f.message.seq === ack.seq);
      // A later public message proves the visitor's stream moved past the note.
      agentWs.send({ type: "send", conversationId, clientId: "reply-3", text: "Found it" });
      const after = await agentWs.next("ack", (f) => f.clientId === "reply-3");
      await visitorWs.waitFor((f) => f.type === "message" && f.message.seq === after.seq);
      assert.ok(!visitorWs.frames.some((f) => JSON.stringify(f).includes("VIP customer")));
    });

    await t.step("typing goes both ways and is not stored", async () => {
      visitorWs.send({ type: "typing", conversationId, typing: true });
      const typing = await agentWs.next("typing");
      assert.equal(typing.from.kind, "visitor");
      assert.equal(typing.typing, true);
      agentWs.send({ type: "typing", conversationId, typing: true });
      const back = await visitorWs.next("typing");
      assert.deepEqual(back.from, { kind: "agent", name: "Ada Agent" });
      const log = await app.api("GET", `/api/v1/conversations/${conversationId}/messages`, {
        as: agent,
      });
      assert.ok(!JSON.stringify(log.body).includes('"typing"'));
    });

    await t.step("a read marker from the agent is stored and shown to the visitor", async () => {
      agentWs.send({ type: "read", conversationId, seq: 3 });
      const read = await visitorWs.next("read");
      assert.equal(read.seq, 3);
      assert.equal(read.by.name, "Ada Agent");
    });

    await t.step("another agent may not subscribe to Ada's chat", async () => {
      const otherWs = await TestSocket.open(wsUrl(app, "/ws/agent"), { cookie: other.cookie });
      sockets.push(otherWs);
      otherWs.send({ type: "subscribe", conversationId });
      const err = await otherWs.next("error");
      assert.equal(err.code, "forbidden");
      assert.equal(err.ref, conversationId);
      otherWs.send({ type: "send", conversationId, clientId: "x", text: "sneaky" });
      assert.equal((await otherWs.next("error")).code, "forbidden");
      assert.equal(otherWs.seqs(conversationId).length, 0);
      otherWs.send({ type: "ping" });
      await otherWs.next("pong"); // still open
    });

    await t.step("a visitor may not subscribe to another visitor's conversation", async () => {
      const intruder = await newVisitor(app);
      await visitorSays(app, intruder.token, "I am someone else");
      const intruderWs = await TestSocket.open(
        wsUrl(app, `/ws/visitor?token=${encodeURIComponent(intruder.token)}`),
      );
      sockets.push(intruderWs);
      intruderWs.send({ type: "subscribe", conversationId, afterSeq: 0 });
      const err = await intruderWs.next("error");
      assert.equal(err.code, "forbidden");
      intruderWs.send({ type: "send", conversationId, clientId: "y", text: "hijack" });
      assert.equal((await intruderWs.next("error")).code, "forbidden");
      assert.equal(intruderWs.seqs(conversationId).length, 0);
    });

    await t.step(
      "no cookie, a forged token or a plain GET are refused before upgrading",
      async () => {
        const noCookie = await fetch(app.url + "/ws/agent", {
          headers: { upgrade: "websocket", connection: "Upgrade" },
        });
        await noCookie.body?.cancel();
        const plain = await app.api("GET", "/ws/agent", { as: agent });
        assert.equal(plain.status, 400);
        assert.equal(plain.body.error.code, "upgrade_required");
        await assert.rejects(TestSocket.open(wsUrl(app, "/ws/visitor?token=pv1.forged.token")));
        await assert.rejects(TestSocket.open(wsUrl(app, "/ws/agent")));
        await assert.rejects(
          TestSocket.open(wsUrl(app, "/ws/agent"), {
            cookie: agent.cookie,
            origin: "https://evil.example",
          }),
        );
      },
    );

    await t.step(
      "a transfer away ends the agent's subscription; a close reaches the visitor",
      async () => {
        const sue = await app.createStaff("supervisor", { name: "Sue Supervisor" });
        // At work: nobody hands a chat to an Offline supervisor.
        await app.api("PUT", "/api/v1/me/status", { as: sue, body: { status: "busy" } });
        const sueWs = await TestSocket.open(wsUrl(app, "/ws/agent"), { cookie: sue.cookie });
        sockets.push(sueWs);
        sueWs.send({ type: "subscribe", conversationId });
        await sueWs.next("subscribed");
        const moved = await app.api("POST", `/api/v1/conversations/${conversationId}/transfer`, {
          as: agent,
          body: { toAgentId: sue.agent.id, note: "Needs a refund" },
        });
        assert.equal(moved.status, 200);
        const lost = await agentWs.waitFor((f) => f.type === "error" && f.code === "access_lost");
        assert.equal(lost.ref, conversationId);
        const transferred = agentWs.frames.find((f) =>
          f.type === "event" && f.event.type === "conversation.transferred"
        );
        assert.equal(
          transferred?.event.data.note,
          "Needs a refund",
          "Ada sees where it went first",
        );
        await visitorWs.waitFor((f) =>
          f.type === "event" && f.event.type === "conversation.transferred"
        );

        const closed = await app.api("POST", `/api/v1/conversations/${conversationId}/close`, {
          as: sue,
          body: { notes: "Refunded" },
        });
        assert.equal(closed.status, 200);
        const event = await visitorWs.waitFor((f) =>
          f.type === "event" && f.event.type === "conversation.closed"
        );
        assert.deepEqual(event.event, { type: "conversation.closed", status: "closed" });
        await sueWs.waitFor((f) => f.type === "event" && f.event.type === "conversation.closed");
        assert.ok(
          !visitorWs.frames.some((f) => JSON.stringify(f).includes("Needs a refund")),
          "the visitor never sees the staff note of the transfer",
        );
      },
    );
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await app.shutdown();
  }
});
