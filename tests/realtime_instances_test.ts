import assert from "node:assert/strict";
import { loadConfig } from "../fresh.config.ts";
import { createSession, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { createAgent } from "../lib/store/agents.ts";
import { readHead } from "../lib/store/changes.ts";
import { idsBetween, SseReader, TestSocket, wsUrl } from "./realtime_helpers.ts";

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

Deno.test("[realtime] two app instances on one KV deliver every event to clients of both", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/shared.kv`;
  const kvA = await Deno.openKv(path);
  const kvB = await Deno.openKv(path);
  const config = loadConfig({ KV_PATH: path, PORT: "0", PASSWORD_ITERATIONS: "1000" });
  const a = await startServer(config, routeTable, { kv: kvA });
  const b = await startServer(config, routeTable, { kv: kvB });
  const sockets: TestSocket[] = [];
  const readers: SseReader[] = [];
  try {
    const make = async (role: "agent" | "supervisor", name: string) => {
      const agent = await createAgent(kvA, {
        name,
        email: `${name.toLowerCase()}@example.test`,
        password: "password-long-enough",
        role,
      }, 1000);
      return { agent, cookie: `${SESSION_COOKIE}=${await createSession(kvA, agent.id, 3600_000)}` };
    };
    const ada = await make("agent", "Ada");
    const sue = await make("supervisor", "Sue");
    const onB = { cookie: ada.cookie, origin: b.url };
    const status = await fetch(b.url + "/api/v1/me/status", {
      method: "PUT",
      headers: { ...onB, "content-type": "application/json" },
      body: JSON.stringify({ status: "online" }),
    });
    assert.equal(status.status, 200);
    await status.body?.cancel();

    // A supervisor's event stream on each instance.
    const streamA = await SseReader.open(a.url + "/api/v1/stream", { cookie: sue.cookie });
    const streamB = await SseReader.open(b.url + "/api/v1/stream", { cookie: sue.cookie });
    readers.push(streamA, streamB);
    const start = (await streamA.waitFor((e) => e.event === "ready")).id!;
    await streamB.waitFor((e) => e.event === "ready");

    // The visitor lives on A, the agent on B.
    const session = await post(a.url + "/api/v1/widget/sessions", {});
    const bearer = { authorization: `Bearer ${session.visitorToken}` };
    const firstMessage = await post(a.url + "/api/v1/widget/messages", {
      text: "hello from A",
      clientId: "v-0",
    }, bearer);
    const conversationId = firstMessage.conversation.id;
    const visitorWs = await TestSocket.open(
      wsUrl(a, `/ws/visitor?token=${encodeURIComponent(session.visitorToken)}`),
    );
    const agentWs = await TestSocket.open(wsUrl(b, "/ws/agent"), { cookie: ada.cookie });
    sockets.push(visitorWs, agentWs);
    visitorWs.send({ type: "subscribe", conversationId, afterSeq: 0 });
    agentWs.send({ type: "subscribe", conversationId, afterSeq: 0 });
    await Promise.all([visitorWs.next("subscribed"), agentWs.next("subscribed")]);

    for (let i = 1; i <= 5; i++) {
      visitorWs.send({ type: "send", conversationId, clientId: `v-${i}`, text: `visitor ${i}` });
      await visitorWs.next("ack", (f) => f.clientId === `v-${i}`);
      agentWs.send({ type: "send", conversationId, clientId: `a-${i}`, text: `agent ${i}` });
      await agentWs.next("ack", (f) => f.clientId === `a-${i}`);
    }
    agentWs.send({ type: "typing", conversationId, typing: true });
    const typing = await visitorWs.next("typing");
    assert.equal(typing.from.name, "Ada", "typing crosses instances too");

    const head = String(await readHead(kvA));
    await Promise.all([
      streamA.waitFor((e) => e.id === head, "the last change on A"),
      streamB.waitFor((e) => e.id === head, "the last change on B"),
    ]);
    const every = await idsBetween(kvA, start, head);
    assert.deepEqual(streamA.ids(), every, "instance A delivered every change once, in order");
    assert.deepEqual(streamB.ids(), every, "instance B delivered every change once, in order");

    const lastSeq = Math.max(...agentWs.seqs(conversationId));
    await visitorWs.waitFor((f) => f.type === "message" && f.message.seq === lastSeq);
    const texts = (s: TestSocket) =>
      s.frames.filter((f) => f.type === "message" && f.message.type === "message").map((f) =>
        f.message.text
      );
    const expected = ["hello from A"];
    for (let i = 1; i <= 5; i++) expected.push(`visitor ${i}`, `agent ${i}`);
    assert.deepEqual(texts(agentWs), expected, "the agent on B got everything, in order");
    assert.deepEqual(texts(visitorWs), expected, "the visitor on A got everything, in order");
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await Promise.all(readers.map((r) => r.close()));
    await a.shutdown();
    await b.shutdown();
    kvA.close();
    kvB.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
