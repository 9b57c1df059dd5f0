import assert from "node:assert/strict";
import { readHead } from "../lib/store/changes.ts";
import { startTestApp } from "./helpers.ts";
import { idsBetween, newVisitor, SseReader, visitorSays } from "./realtime_helpers.ts";

Deno.test("[realtime] SSE stream: resume with Last-Event-ID loses nothing and repeats nothing", async () => {
  const app = await startTestApp();
  const readers: SseReader[] = [];
  try {
    const supervisor = await app.createStaff("supervisor");
    const visitor = await newVisitor(app);
    await visitorSays(app, visitor.token, "first");
    const first = await SseReader.open(app.url + "/api/v1/stream", { cookie: supervisor.cookie });
    readers.push(first);
    assert.equal(first.response.status, 200);
    assert.match(first.response.headers.get("content-type") ?? "", /text\/event-stream/);
    const ready = await first.waitFor((e) => e.event === "ready");
    const start = ready.id!;
    assert.equal(start, String(await readHead(app.kv)));

    for (let i = 0; i < 5; i++) await visitorSays(app, visitor.token, `before drop ${i}`);
    let head = String(await readHead(app.kv));
    await first.waitFor((e) => e.id === head, "the changes before the drop");
    await first.close();
    const lastId = first.events.at(-1)!.id!;

    // While nobody listens, more happens: a second visitor, more messages.
    const other = await newVisitor(app);
    for (let i = 0; i < 5; i++) await visitorSays(app, visitor.token, `while away ${i}`);
    await visitorSays(app, other.token, "another chat");
    head = String(await readHead(app.kv));

    const resumed = await SseReader.open(app.url + "/api/v1/stream", {
      cookie: supervisor.cookie,
      "last-event-id": lastId,
    });
    readers.push(resumed);
    await resumed.waitFor((e) => e.id === head, "the missed changes");
    const all = [...first.ids(), ...resumed.ids()];
    assert.deepEqual(all, await idsBetween(app.kv, start, head), "every change once, in order");
    const created = resumed.events.find((e) => e.event === "message.created");
    assert.ok(created?.data.conversation, "conversation changes carry the conversation");

    // Live after the catch-up, too.
    await visitorSays(app, other.token, "live again");
    const now = String(await readHead(app.kv));
    await resumed.waitFor((e) => e.id === now, "a live change after resuming");
    assert.deepEqual(resumed.ids(), await idsBetween(app.kv, lastId, now));
  } finally {
    await Promise.all(readers.map((r) => r.close()));
    await app.shutdown();
  }
});

Deno.test("[realtime] SSE stream: agents see their chats, the queue and presence; not others' messages", async () => {
  const app = await startTestApp();
  const readers: SseReader[] = [];
  try {
    const ada = await app.createStaff("agent", { name: "Ada" });
    const bob = await app.createStaff("agent", { name: "Bob" });
    const bobStream = await SseReader.open(app.url + "/api/v1/stream", { cookie: bob.cookie });
    readers.push(bobStream);
    await bobStream.waitFor((e) => e.event === "ready");

    await app.api("PUT", "/api/v1/me/status", { as: ada, body: { status: "online" } });
    const visitor = await newVisitor(app);
    // While Pending, a chat is in everyone's queue (the engine's canView): its first line shows.
    const sent = await visitorSays(app, visitor.token, "hello");
    const conversationId = sent.conversation.id;
    const conv = await app.api("GET", `/api/v1/conversations/${conversationId}`, { as: ada });
    assert.equal(conv.body.conversation?.assigneeId ?? conv.body.assigneeId, ada.agent.id);
    await visitorSays(app, visitor.token, "secret order details");
    // Bob goes online afterwards: his own presence change marks the end of what we wait for.
    await app.api("PUT", "/api/v1/me/status", { as: bob, body: { status: "online" } });
    await bobStream.waitFor(
      (e) => e.event === "agent.status" && e.data.agentId === bob.agent.id,
      "Bob's own status change",
    );
    const adaStatus = bobStream.events.find((e) =>
      e.event === "agent.status" && e.data.agentId === ada.agent.id
    );
    assert.ok(adaStatus, "presence of every agent reaches every agent");
    const about = bobStream.events.filter((e) => e.data.conversationId === conversationId);
    assert.ok(about.length > 0, "Bob hears that the chat changed hands");
    const assigned = about.find((e) => e.event === "conversation.assigned");
    assert.deepEqual(Object.keys(assigned?.data ?? {}).sort(), [
      "at",
      "conversationId",
      "hidden",
      "seq",
      "type",
    ], "Bob learns only that the chat left the queue");
    assert.equal(
      about.filter((e) => e.event === "message.created").length,
      1,
      "…and only the message written while it was Pending",
    );
    assert.ok(!JSON.stringify(bobStream.events).includes("secret"));
    const queue = bobStream.events.filter((e) => e.event === "queue");
    assert.ok(queue.length > 0, "queue length reaches agents");
    assert.equal(queue.at(-1)!.data.pending, 0, "the chat left the queue when Ada got it");
    assert.equal(queue.at(-1)!.id, null, "queue events are not cursors");
  } finally {
    await Promise.all(readers.map((r) => r.close()));
    await app.shutdown();
  }
});

Deno.test("[realtime] SSE stream: reset for an unusable cursor; 400 for a bad one; 401 signed out", async () => {
  const app = await startTestApp();
  const readers: SseReader[] = [];
  try {
    const agent = await app.createStaff("agent");
    const future = await SseReader.open(app.url + "/api/v1/stream", {
      cookie: agent.cookie,
      "last-event-id": "999999",
    });
    readers.push(future);
    const reset = await future.waitFor((e) => e.event === "reset");
    assert.equal(reset.id, String(await readHead(app.kv)));

    const bad = await app.api("GET", "/api/v1/stream", {
      as: agent,
      headers: { "last-event-id": "abc" },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_cursor");
    const signedOut = await app.api("GET", "/api/v1/stream");
    assert.equal(signedOut.status, 401);
  } finally {
    await Promise.all(readers.map((r) => r.close()));
    await app.shutdown();
  }
});

Deno.test("[realtime] SSE stream: a deactivated agent's open stream ends at once with signed_out", async () => {
  const app = await startTestApp();
  const readers: SseReader[] = [];
  try {
    const admin = await app.createStaff("admin");
    const agent = await app.createStaff("agent");
    const stream = await SseReader.open(app.url + "/api/v1/stream", { cookie: agent.cookie });
    readers.push(stream);
    await stream.waitFor((e) => e.event === "ready");

    const res = await app.api("POST", `/api/v1/admin/agents/${agent.agent.id}/deactivate`, {
      as: admin,
    });
    assert.equal(res.status, 200);
    await stream.waitFor((e) => e.event === "signed_out", "the signed_out event");
    await stream.done; // the server ended the response

    const visitor = await newVisitor(app);
    await visitorSays(app, visitor.token, "after the deactivation");
    const again = await fetch(app.url + "/api/v1/stream", { headers: { cookie: agent.cookie } });
    await again.body?.cancel();
    assert.equal(again.status, 401, "and it cannot reconnect");
  } finally {
    await Promise.all(readers.map((r) => r.close()));
    await app.shutdown();
  }
});
