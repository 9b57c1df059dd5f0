/**
 * `GET /api/v1/metrics` over real HTTP: supervisors and admins read what the
 * engine counted (a chat created, picked up, answered and closed through the
 * API), agents may not, and bad queries are clear 4xx answers.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";

Deno.test("[metrics] the metrics API: figures for supervisors, refusals for the rest", async () => {
  const app = await startTestApp();
  try {
    const agent = await app.createStaff("agent", { name: "Ann" });
    const boss = await app.createStaff("supervisor", { name: "Sue" });
    const admin = await app.createStaff("admin");
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { dynamicAssignment: false },
    });
    await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "online" } });
    const { conversation } = await receiveCustomerMessage(app.engine, {
      channel: "webchat",
      contact: { webVisitorId: crypto.randomUUID() },
      clientId: crypto.randomUUID(),
      text: "Where is my order?",
    });
    const abandoned = await receiveCustomerMessage(app.engine, {
      channel: "webchat",
      contact: { webVisitorId: crypto.randomUUID() },
      clientId: crypto.randomUUID(),
      text: "Anyone?",
    });
    const id = conversation.id;
    let res = await app.api("POST", `/api/v1/conversations/${id}/pickup`, { as: agent, body: {} });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await app.api("POST", `/api/v1/conversations/${id}/messages`, {
      as: agent,
      body: { text: "Let me look", clientId: "r1" },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    res = await app.api("POST", `/api/v1/conversations/${id}/close`, {
      as: agent,
      body: { notes: "Found it" },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await app.api("POST", `/api/v1/conversations/${abandoned.conversation.id}/close`, {
      as: boss,
      body: { notes: "Left" },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));

    const day = new Date().toISOString().slice(0, 10);
    const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
    const q = `from=${day}&to=${next}`;
    res = await app.api("GET", `/api/v1/metrics?${q}`, { as: boss });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.scope, "all");
    assert.equal(res.body.grain, "d");
    assert.equal(res.body.buckets.length, 1);
    const t = res.body.total;
    assert.deepEqual(
      [t.created, t.pickedUp, t.firstResponses, t.closed, t.handled, t.abandoned, t.transferred],
      [2, 1, 1, 2, 1, 1, 0],
    );
    assert.equal(typeof t.avgFirstResponseSeconds, "number");
    assert.equal(t.percentiles.firstResponse.p50, 5, "answered within the first bin (< 5 s)");

    res = await app.api("GET", `/api/v1/metrics?${q}&grain=h&scope=agent:${agent.agent.id}`, {
      as: admin,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.buckets.length, 24);
    assert.deepEqual(
      [res.body.total.pickedUp, res.body.total.closed, res.body.total.abandoned],
      [1, 1, 0],
      "the agent's own figures: the abandoned chat was never theirs",
    );

    res = await app.api("GET", `/api/v1/metrics?${q}`, { as: agent });
    assert.equal(res.status, 403);
    res = await app.api("GET", `/api/v1/metrics?${q}`);
    assert.equal(res.status, 401);
    for (
      const [query, status] of [
        ["", 400],
        [`from=${day}&to=yesterday`, 400],
        [`from=${next}&to=${day}`, 400],
        [`from=2020-01-01&to=2026-01-01`, 400],
        [`from=2026-01-01&to=2026-03-01&grain=h`, 400],
        [`${q}&grain=w`, 400],
        [`${q}&scope=everyone`, 400],
        [`${q}&scope=team:nope`, 404],
        [`${q}&scope=agent:nope`, 404],
      ] as const
    ) {
      res = await app.api("GET", `/api/v1/metrics?${query}`, { as: boss });
      assert.equal(res.status, status, `${query}: ${JSON.stringify(res.body)}`);
      assert.ok(res.body.error.code && res.body.error.message);
    }
  } finally {
    await app.shutdown();
  }
});
