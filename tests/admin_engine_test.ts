import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "./helpers.ts";
import {
  getConversation,
  getLoad,
  receiveCustomerMessage,
  setAgentStatus,
} from "../lib/store/engine/mod.ts";

async function newChat(app: TestApp, n: number) {
  const { conversation } = await receiveCustomerMessage(app.engine, {
    channel: "webchat",
    contact: { webVisitorId: `visitor-${n}-${crypto.randomUUID()}`, name: `Visitor ${n}` },
    clientId: crypto.randomUUID(),
    text: `Hello ${n}`,
  });
  return conversation.id;
}

const form = { "content-type": "application/x-www-form-urlencoded" };

Deno.test("[admin] routing settings saved in the console apply to the engine at once", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const agent = await app.createStaff("agent");
    await setAgentStatus(app.engine, agent.agent.id, "online");

    const put = await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { maxChatsPerAgent: 3 },
    });
    assert.equal(put.status, 200);
    await newChat(app, 1);
    await newChat(app, 2);
    assert.equal((await getLoad(app.kv, agent.agent.id)).conversationIds.length, 2);

    // Lower the global max to 1 through the no-JavaScript form.
    const saved = await app.api("POST", "/admin/settings", {
      as: admin,
      rawBody: "maxChatsPerAgent=1&dynamicAssignment=on&heartbeatGraceSeconds=60" +
        "&requeueOnOffline=on&unansweredTimeoutSeconds=0&maxTransfersPerAgent=0",
      headers: form,
    });
    assert.equal(saved.status, 303);
    const third = await newChat(app, 3);
    assert.equal((await getConversation(app.kv, third))?.status, "pending", "no chat above max");
    assert.equal((await getLoad(app.kv, agent.agent.id)).conversationIds.length, 2);

    // Raising it again hands the queued chat out without a restart.
    await app.api("PUT", "/api/v1/admin/settings", { as: admin, body: { maxChatsPerAgent: 3 } });
    assert.equal((await getConversation(app.kv, third))?.assigneeId, agent.agent.id);

    const bad = await app.api("POST", "/admin/settings", {
      as: admin,
      rawBody: "maxChatsPerAgent=0&heartbeatGraceSeconds=abc&unansweredTimeoutSeconds=5",
      headers: form,
    });
    assert.equal(bad.status, 400);
    for (const field of ["maxChatsPerAgent", "heartbeatGraceSeconds", "unansweredTimeoutSeconds"]) {
      assert.match(bad.body, new RegExp(`id="f-${field}-error"`), field);
    }
    const audit = await app.api("GET", "/api/v1/admin/audit?targetType=settings", { as: admin });
    assert.equal(audit.body.items.length, 3, "each saved change is audited, the refused one not");
    assert.deepEqual(audit.body.items[1].details.maxChatsPerAgent, { from: 3, to: 1 });
  } finally {
    await app.shutdown();
  }
});

Deno.test("[admin] deactivating an agent returns its chats to the queue and to others", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    // With requeue-on-offline on (the default), the count still says how many went back.
    const first = await app.createStaff("agent");
    await setAgentStatus(app.engine, first.agent.id, "online");
    const early = await newChat(app, 0);
    const off = await app.api("POST", `/api/v1/admin/agents/${first.agent.id}/deactivate`, {
      as: admin,
    });
    assert.equal(off.body.requeued, 1);
    assert.equal((await getConversation(app.kv, early))?.status, "pending");

    const leaving = await app.createStaff("agent");
    await setAgentStatus(app.engine, leaving.agent.id, "online");
    assert.equal((await getConversation(app.kv, early))?.assigneeId, leaving.agent.id);
    const chats = [early, await newChat(app, 1)];
    for (const id of chats) {
      assert.equal((await getConversation(app.kv, id))?.assigneeId, leaving.agent.id);
    }
    // Even with requeue-on-offline off, a deactivated agent's chats go back.
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { requeueOnOffline: false },
    });

    const res = await app.api("POST", `/api/v1/admin/agents/${leaving.agent.id}/deactivate`, {
      as: admin,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.requeued, 2);
    for (const id of chats) {
      const conv = await getConversation(app.kv, id);
      assert.equal(conv?.status, "pending");
      assert.equal(conv?.assigneeId, null);
    }

    const staying = await app.createStaff("agent");
    await setAgentStatus(app.engine, staying.agent.id, "online");
    for (const id of chats) {
      assert.equal((await getConversation(app.kv, id))?.assigneeId, staying.agent.id);
    }
    const list = await app.api("GET", "/api/v1/admin/agents", { as: admin });
    const row = list.body.items.find((r: { id: string }) => r.id === staying.agent.id);
    assert.equal(row.status, "online");
    assert.equal(row.activeChats, 2);
  } finally {
    await app.shutdown();
  }
});
