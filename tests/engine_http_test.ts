import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";

Deno.test("[engine] staff API over real HTTP: every route, bad input and wrong roles", async (t) => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const agent = await app.createStaff("agent", { name: "Ann" });
    const other = await app.createStaff("agent", { name: "Bea" });
    const boss = await app.createStaff("supervisor", { name: "Sue" });
    const customer = (text: string, visitor: string = crypto.randomUUID()) =>
      receiveCustomerMessage(app.engine, {
        channel: "webchat",
        contact: { webVisitorId: visitor },
        clientId: crypto.randomUUID(),
        text,
      });

    await t.step("every route needs a session", async () => {
      for (
        const [method, path] of [
          ["GET", "/api/v1/me"],
          ["PUT", "/api/v1/me/status"],
          ["POST", "/api/v1/me/heartbeat"],
          ["GET", "/api/v1/agents"],
          ["GET", "/api/v1/conversations"],
          ["GET", "/api/v1/conversations/x"],
          ["GET", "/api/v1/conversations/x/history"],
          ["POST", "/api/v1/conversations/x/messages"],
          ["POST", "/api/v1/conversations/x/pickup"],
          ["POST", "/api/v1/conversations/x/transfer"],
          ["POST", "/api/v1/conversations/x/close"],
          ["POST", "/api/v1/conversations/x/read"],
          ["POST", "/api/v1/contacts/x/merge"],
          ["GET", "/api/v1/admin/settings"],
          ["PUT", "/api/v1/admin/settings"],
        ]
      ) {
        const res = await app.api(method, path, method === "GET" ? {} : { body: {} });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.body.error.code, "unauthorized");
      }
    });

    await t.step("me, status and heartbeat", async () => {
      let res = await app.api("GET", "/api/v1/me", { as: agent });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, "offline");
      assert.equal(res.body.maxChats, 5);
      assert.equal(res.body.passwordHash, undefined);
      res = await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "away" } });
      assert.equal(res.status, 400);
      assert.ok(res.body.error.details.fields.status);
      res = await app.api("PUT", "/api/v1/me/status", {
        as: agent,
        rawBody: "{",
        headers: { "content-type": "application/json" },
      });
      assert.equal(res.body.error.code, "malformed_json");
      res = await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "online" } });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, "online");
      res = await app.api("POST", "/api/v1/me/heartbeat", { as: agent });
      assert.deepEqual(res.body, { status: "online" });
      res = await app.api("GET", "/api/v1/agents", { as: other });
      const ann = res.body.items.find((a: { id: string }) => a.id === agent.agent.id);
      assert.equal(ann.status, "online");
      assert.equal(ann.activeChats, 0);
    });

    let convId = "";
    await t.step("a customer's chat is assigned and listed for its agent only", async () => {
      const r = await customer("Where is my order?");
      convId = r.conversation.id;
      assert.equal(r.conversation.assigneeId, agent.agent.id);
      let res = await app.api("GET", "/api/v1/conversations?status=active", { as: agent });
      assert.deepEqual(res.body.items.map((c: { id: string }) => c.id), [convId]);
      assert.equal(res.body.items[0].unread, 1);
      res = await app.api("GET", "/api/v1/conversations?status=active", { as: other });
      assert.deepEqual(res.body.items, []);
      res = await app.api("GET", "/api/v1/conversations?status=active", { as: boss });
      assert.equal(res.body.items.length, 1);
      res = await app.api("GET", `/api/v1/conversations/${convId}`, { as: other });
      assert.equal(res.status, 403);
      res = await app.api("GET", "/api/v1/conversations?status=open", { as: agent });
      assert.equal(res.status, 400);
      res = await app.api("GET", "/api/v1/conversations?status=active&cursor=zzz", { as: agent });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "invalid_cursor");
      res = await app.api("GET", "/api/v1/conversations?limit=0", { as: agent });
      assert.equal(res.status, 400);
      res = await app.api("GET", `/api/v1/conversations/${"x".repeat(3000)}`, { as: agent });
      assert.equal(res.status, 404);
      res = await app.api("GET", "/api/v1/conversations/unknown", { as: agent });
      assert.equal(res.status, 404);
    });

    await t.step("messages: reply, idempotent resend, notes, bad input", async () => {
      const body = { text: "On its way", clientId: "c-1" };
      const first = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
        as: agent,
        body,
      });
      assert.equal(first.status, 201);
      assert.equal(first.body.message.seq, 3);
      const again = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
        as: agent,
        body,
      });
      assert.equal(again.status, 200);
      assert.equal(again.body.message.id, first.body.message.id);
      for (
        const bad of [{ text: "", clientId: "a" }, { text: "x" }, {
          text: "x".repeat(4097),
          clientId: "b",
        }, { text: "x", clientId: "c", extra: 1 }]
      ) {
        const res = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
          as: agent,
          body: bad,
        });
        assert.equal(res.status, 400, JSON.stringify(bad).slice(0, 60));
      }
      const note = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
        as: agent,
        body: { text: "Need approval", clientId: "q-1", toSupervisor: true },
      });
      assert.equal(note.body.message.visibility, "staff");
      const res = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
        as: other,
        body: { text: "Hi", clientId: "o-1" },
      });
      assert.equal(res.status, 403);
      const detail = await app.api("GET", `/api/v1/conversations/${convId}`, { as: agent });
      assert.deepEqual(
        detail.body.messages.map((m: { seq: number }) => m.seq),
        [1, 2, 3, 4],
      );
      assert.equal(detail.body.openQuestionSeq, 4);
      const after = await app.api("GET", `/api/v1/conversations/${convId}/messages?after=2`, {
        as: agent,
      });
      assert.deepEqual(after.body.items.map((m: { seq: number }) => m.seq), [3, 4]);
      const read = await app.api("POST", `/api/v1/conversations/${convId}/read`, {
        as: agent,
        body: { seq: 4 },
      });
      assert.deepEqual(read.body, { seq: 4 });
      const bad = await app.api("POST", `/api/v1/conversations/${convId}/read`, {
        as: agent,
        body: { seq: -1 },
      });
      assert.equal(bad.status, 400);
    });

    await t.step(
      "transfer: refusals are 409 with a reason; supervisors move anything",
      async () => {
        let res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: agent,
          body: { toAgentId: other.agent.id },
        });
        assert.equal(res.status, 409);
        assert.equal(res.body.error.code, "target_not_online");
        res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: other,
          body: { toAgentId: other.agent.id },
        });
        assert.equal(res.status, 403);
        res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: agent,
          body: { toAgentId: "nobody" },
        });
        assert.equal(res.status, 404);
        res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: agent,
          body: { note: "x" },
        });
        assert.equal(res.status, 400);
        res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: agent,
          body: { toAgentId: boss.agent.id, note: "please check" },
        });
        assert.equal(res.status, 409, "nobody hands a chat to an Offline supervisor");
        assert.equal(res.body.error.code, "target_offline");
        const busy = await app.api("PUT", "/api/v1/me/status", {
          as: boss,
          body: { status: "busy" },
        });
        assert.equal(busy.status, 200);
        res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: agent,
          body: { toAgentId: boss.agent.id, note: "please check" },
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.conversation.assigneeId, boss.agent.id);
        res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: boss,
          body: { toAgentId: other.agent.id },
        });
        assert.equal(res.status, 409, "with requeueOnOffline on, not even a supervisor");
        assert.equal(res.body.error.code, "target_offline");
        const keep = await app.api("PUT", "/api/v1/admin/settings", {
          as: admin,
          body: { requeueOnOffline: false },
        });
        assert.equal(keep.status, 200);
        res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: boss,
          body: { toAgentId: other.agent.id },
        });
        assert.equal(res.status, 200, "a supervisor transfers to an Offline agent who keeps chats");
        assert.equal(res.body.conversation.assigneeId, other.agent.id);
        await app.api("PUT", "/api/v1/admin/settings", {
          as: admin,
          body: { requeueOnOffline: true },
        });
        res = await app.api("POST", `/api/v1/conversations/${convId}/transfer`, {
          as: other,
          body: { toTeamId: null },
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.conversation.assigneeId, agent.agent.id, "back to the queue, to Ann");
      },
    );

    await t.step("pickup and close", async () => {
      await app.api("PUT", "/api/v1/admin/settings", {
        as: admin,
        body: { dynamicAssignment: false },
      });
      const r = await customer("manual please");
      let res = await app.api("GET", "/api/v1/conversations?status=pending&order=queue", {
        as: other,
      });
      assert.deepEqual(res.body.items.map((c: { id: string }) => c.id), [r.conversation.id]);
      res = await app.api("POST", `/api/v1/conversations/${r.conversation.id}/pickup`, {
        as: other,
      });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, "agent_offline");
      res = await app.api("POST", `/api/v1/conversations/${r.conversation.id}/pickup`, {
        as: agent,
      });
      assert.equal(res.status, 200);
      res = await app.api("POST", `/api/v1/conversations/${r.conversation.id}/pickup`, {
        as: boss,
      });
      assert.equal(res.body.error.code, "not_pending");
      res = await app.api("POST", `/api/v1/conversations/${r.conversation.id}/close`, {
        as: agent,
        body: { notes: "" },
      });
      assert.equal(res.status, 400);
      res = await app.api("POST", `/api/v1/conversations/${r.conversation.id}/close`, {
        as: other,
        body: { notes: "x" },
      });
      assert.equal(res.status, 403);
      res = await app.api("POST", `/api/v1/conversations/${r.conversation.id}/close`, {
        as: agent,
        body: { notes: "Solved", tags: ["shipping"] },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.conversation.wrapUp.notes, "Solved");
      res = await app.api("POST", `/api/v1/conversations/${r.conversation.id}/close`, {
        as: boss,
        body: { notes: "again" },
      });
      assert.equal(res.status, 409);
      res = await app.api("POST", `/api/v1/conversations/${convId}/close`, {
        as: boss,
        body: { notes: "closed by the supervisor" },
      });
      assert.equal(res.status, 200, "a supervisor closes any chat");
      res = await app.api("GET", "/api/v1/conversations?status=closed", { as: agent });
      assert.equal(res.body.items.length, 2, "the agent's closed chats");
      const next = await customer("hello again", r.contact.webVisitorId!);
      res = await app.api("GET", `/api/v1/conversations/${next.conversation.id}/history`, {
        as: boss,
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.items[0].conversation.wrapUp.notes, "Solved");
      res = await app.api(
        "GET",
        `/api/v1/conversations/${next.conversation.id}/history?cursor=%%`,
        {
          as: boss,
        },
      );
      assert.equal(res.status, 400);
    });

    await t.step("contact merge: supervisors only, validated", async () => {
      const x = await customer("x");
      const y = await customer("y");
      await app.api("POST", `/api/v1/conversations/${y.conversation.id}/close`, {
        as: boss,
        body: { notes: "dup" },
      });
      const path = `/api/v1/contacts/${x.contact.id}/merge`;
      let res = await app.api("POST", path, { as: agent, body: { contactId: y.contact.id } });
      assert.equal(res.status, 403);
      res = await app.api("POST", path, { as: boss, body: { contactId: "" } });
      assert.equal(res.status, 400);
      res = await app.api("POST", path, { as: boss, body: { contactId: "nobody" } });
      assert.equal(res.status, 404);
      res = await app.api("POST", path, { as: boss, body: { contactId: y.contact.id } });
      assert.equal(res.status, 200);
      assert.equal(res.body.moved, 1);
      res = await app.api("GET", `/api/v1/conversations/${x.conversation.id}/history`, {
        as: boss,
      });
      assert.deepEqual(
        res.body.items.map((i: { conversation: { id: string } }) => i.conversation.id),
        [
          y.conversation.id,
        ],
      );
      await app.api("POST", `/api/v1/conversations/${x.conversation.id}/close`, {
        as: boss,
        body: { notes: "merged" },
      });
    });

    await t.step("settings: admins only, validated, live", async () => {
      let res = await app.api("GET", "/api/v1/admin/settings", { as: boss });
      assert.equal(res.status, 403);
      res = await app.api("PUT", "/api/v1/admin/settings", {
        as: agent,
        body: { maxChatsPerAgent: 9 },
      });
      assert.equal(res.status, 403);
      for (
        const bad of [{ maxChatsPerAgent: 0 }, { unansweredTimeoutSeconds: 5 }, { nope: 1 }, {
          dynamicAssignment: "yes",
        }]
      ) {
        res = await app.api("PUT", "/api/v1/admin/settings", { as: admin, body: bad });
        assert.equal(res.status, 400, JSON.stringify(bad));
      }
      res = await app.api("PUT", "/api/v1/admin/settings", {
        as: admin,
        body: { maxChatsPerAgent: 2, dynamicAssignment: true },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.settings.maxChatsPerAgent, 2);
      res = await app.api("GET", "/api/v1/admin/settings", { as: admin });
      assert.equal(res.body.settings.maxChatsPerAgent, 2);
      const audited = [];
      for await (const e of app.kv.list<{ action: string }>({ prefix: ["audit"] })) {
        if (e.value.action === "settings.updated") audited.push(e.value);
      }
      assert.ok(audited.length > 0, "settings changes reach the audit log");
      assert.equal(res.body.settings.heartbeatGraceSeconds, 60);
      res = await app.api("GET", "/api/v1/me", { as: agent });
      assert.equal(res.body.maxChats, 2, "the new max shows at once");
      assert.equal(
        res.body.activeChats,
        1,
        "the pending chat went out when assignment came back on",
      );
    });
  } finally {
    await app.shutdown();
  }
});
