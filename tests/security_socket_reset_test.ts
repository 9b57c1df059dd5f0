/**
 * Security (small): a socket `subscribe` whose `afterSeq` is beyond the
 * conversation's log (a cursor from another store, or made up) used to answer
 * `subscribed` and then drop every live entry up to that seq. It now answers
 * like the event stream's reset: `{type:"reset", conversationId, seq}`, the
 * whole log, `subscribed`, and live entries from there.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { newVisitor, TestSocket, visitorSays, wsUrl } from "./realtime_helpers.ts";

Deno.test("[security] afterSeq beyond the log resets the subscription instead of dropping entries", async () => {
  const app = await startTestApp();
  const sockets: TestSocket[] = [];
  try {
    const sue = await app.createStaff("supervisor");
    const visitor = await newVisitor(app);
    const first = await visitorSays(app, visitor.token, "one");
    const conversationId = first.conversation.id;
    await visitorSays(app, visitor.token, "two");

    const staff = await TestSocket.open(wsUrl(app, "/ws/agent"), { cookie: sue.cookie });
    const widget = await TestSocket.open(
      wsUrl(app, `/ws/visitor?token=${encodeURIComponent(visitor.token)}`),
    );
    sockets.push(staff, widget);
    for (const ws of [staff, widget]) {
      await ws.waitFor((f) => f.type === "hello");
      ws.send({ type: "subscribe", conversationId, afterSeq: 1000 });
      const reset = await ws.next("reset");
      assert.equal(reset.conversationId, conversationId);
      const subscribed = await ws.next("subscribed");
      assert.equal(subscribed.seq, reset.seq, "the whole log came again, up to the newest seq");
      const texts = ws.frames.filter((f) => f.type === "message").map((f) => f.message.text);
      assert.ok(texts.includes("one") && texts.includes("two"), texts.join(","));
    }
    await visitorSays(app, visitor.token, "three");
    for (const ws of [staff, widget]) {
      await ws.waitFor((f) => f.type === "message" && f.message.text === "three", "the live entry");
    }
  } finally {
    for (const s of sockets) await s.close();
    await app.shutdown();
  }
});
