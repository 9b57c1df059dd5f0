import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";
import { ageHeartbeat } from "../lib/store/engine/test_util.ts";

/** Polls `check` until it is true (the sweep job runs every few seconds); fails after `ms`. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`never happened: ${what}`);
}

Deno.test("[engine] the sweep job turns a silent agent Offline and requeues its chat on a live server", async () => {
  const app = await startTestApp();
  try {
    const agent = await app.createStaff("agent");
    const boss = await app.createStaff("supervisor");
    await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "online" } });
    const { conversation } = await receiveCustomerMessage(app.engine, {
      channel: "webchat",
      contact: { webVisitorId: "sweep-visitor" },
      clientId: "c1",
      text: "anyone?",
    });
    assert.equal(conversation.assigneeId, agent.agent.id);
    await ageHeartbeat(app.kv, agent.agent.id, 120_000); // the workspace went silent
    const me = await app.api("GET", "/api/v1/me", { as: agent });
    assert.equal(me.body.status, "offline", "a stale heartbeat counts as Offline at once");
    await eventually(async () => {
      const res = await app.api("GET", `/api/v1/conversations/${conversation.id}`, { as: boss });
      return res.body.status === "pending";
    }, "the chat went back to the queue");
    const res = await app.api("GET", `/api/v1/conversations/${conversation.id}`, { as: boss });
    const requeued = res.body.messages.find((m: { kind: string }) => m.kind === "requeued");
    assert.equal(requeued.data.reason, "offline");
    const beat = await app.api("POST", "/api/v1/me/heartbeat", { as: agent });
    assert.deepEqual(beat.body, { status: "online" }, "the next beat restores Online");
    const back = await app.api("GET", `/api/v1/conversations/${conversation.id}`, { as: agent });
    assert.equal(back.body.assigneeId, agent.agent.id, "and the queue flows again");
  } finally {
    await app.shutdown();
  }
});
