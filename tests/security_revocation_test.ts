/**
 * Security: live access follows the account. When an admin deactivates an
 * agent, demotes a supervisor or moves an agent to another team, that
 * person's open event streams and sockets end or are rebuilt at once, on
 * every instance: here the admin acts on instance A while the connections
 * live on instance B (two servers on one KV file), and the sockets send
 * nothing but pings.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../fresh.config.ts";
import { createSession, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { type RunningServer, startServer } from "../lib/server.ts";
import { type Agent, createAgent, type Role } from "../lib/store/agents.ts";
import { routeTable } from "../routes/mod.ts";
import { SseReader, TestSocket, wsUrl } from "./realtime_helpers.ts";

interface Person {
  agent: Agent;
  cookie: string;
}

async function call(
  server: RunningServer,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const res = await fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json", origin: server.url, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Two instances on one KV file, an admin, and helpers to add people and chats. */
async function twoInstances() {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/shared.kv`;
  const kvA = await Deno.openKv(path);
  const kvB = await Deno.openKv(path);
  const config = loadConfig({ KV_PATH: path, PORT: "0", PASSWORD_ITERATIONS: "1000" });
  const a = await startServer(config, routeTable, { kv: kvA });
  const b = await startServer(config, routeTable, { kv: kvB });
  const opened: { close(): Promise<unknown> }[] = [];
  let n = 0;
  const person = async (role: Role, teamId: string | null = null): Promise<Person> => {
    const agent = await createAgent(kvA, {
      name: `${role} ${++n}`,
      email: `${role}${n}-${crypto.randomUUID().slice(0, 6)}@example.test`,
      password: "password-long-enough",
      role,
      teamId,
    }, 1000);
    return { agent, cookie: `${SESSION_COOKIE}=${await createSession(kvA, agent.id, 3600_000)}` };
  };
  const admin = await person("admin");
  const asAdmin = { cookie: admin.cookie };
  return {
    a,
    b,
    person,
    /** As the admin, on instance A. */
    admin: (method: string, path: string, body?: unknown) => call(a, method, path, body, asAdmin),
    /** A visitor's chat on instance A (of `siteKey`'s site); returns its id and a way to write. */
    async chat(siteKey?: string) {
      const session = await call(a, "POST", "/api/v1/widget/sessions", siteKey ? { siteKey } : {});
      const bearer = { authorization: `Bearer ${session.visitorToken}` };
      const says = (text: string) =>
        call(a, "POST", "/api/v1/widget/messages", { text, clientId: crypto.randomUUID() }, bearer);
      const first = await says("hello");
      return { id: first.conversation.id as string, says };
    },
    async socket(p: Person) {
      const ws = await TestSocket.open(wsUrl(b, "/ws/agent"), { cookie: p.cookie });
      opened.push(ws);
      return ws;
    },
    async stream(p: Person) {
      const sse = await SseReader.open(b.url + "/api/v1/stream", { cookie: p.cookie });
      opened.push(sse);
      await sse.waitFor((e) => e.event === "ready", "the ready event");
      return sse;
    },
    async close() {
      for (const o of opened) await o.close().catch(() => {});
      await a.shutdown();
      await b.shutdown();
      kvA.close();
      kvB.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("[security] a deactivated agent's socket stops receiving and is closed, on another instance", async () => {
  const world = await twoInstances();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const ada = await world.person("agent");
    await call(world.b, "PUT", "/api/v1/me/status", { status: "online" }, { cookie: ada.cookie });
    const chat = await world.chat();
    const ws = await world.socket(ada);
    await ws.waitFor((f) => f.type === "hello");
    ws.send({ type: "subscribe", conversationId: chat.id, afterSeq: 0 });
    await ws.next("subscribed");
    ws.send({ type: "ping" });
    await ws.next("pong");

    await world.admin("POST", `/api/v1/admin/agents/${ada.agent.id}/deactivate`);
    await chat.says("sent after the deactivation");
    const closed = await Promise.race([
      ws.closed,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("the socket stayed open")), 10_000);
      }),
    ]);
    assert.equal(closed.code, 1008);
    assert.ok(
      !ws.frames.some((f) =>
        f.type === "message" && f.message.text === "sent after the deactivation"
      ),
      "nothing after the deactivation reached the socket",
    );
  } finally {
    clearTimeout(timer);
    await world.close();
  }
});

Deno.test("[security] a supervisor demoted to agent loses the all-chats view at once", async () => {
  const world = await twoInstances();
  try {
    const ada = await world.person("agent");
    const sue = await world.person("supervisor");
    await call(world.b, "PUT", "/api/v1/me/status", { status: "online" }, { cookie: ada.cookie });
    const chat = await world.chat(); // goes to Ada, the only agent online
    const sse = await world.stream(sue);
    const ws = await world.socket(sue);
    await ws.waitFor((f) => f.type === "hello");
    ws.send({ type: "subscribe", conversationId: chat.id, afterSeq: 0 });
    await ws.next("subscribed");
    await chat.says("seen by the supervisor");
    await sse.waitFor((e) => e.event === "message.created" && e.data.conversationId === chat.id);
    await ws.waitFor((f) => f.type === "message" && f.message.text === "seen by the supervisor");

    await world.admin("PUT", `/api/v1/admin/agents/${sue.agent.id}`, { role: "agent" });
    await chat.says("not for Sue any more");
    // A later change Sue may still see (Ada's status): everything before it has been handled.
    await call(world.b, "PUT", "/api/v1/me/status", { status: "busy" }, { cookie: ada.cookie });

    const reset = await sse.waitFor((e) => e.event === "reset", "the stream's reset");
    await sse.waitFor((e) => e.event === "agent.status" && e.data.agentId === ada.agent.id);
    const after = sse.events.slice(sse.events.indexOf(reset));
    assert.ok(
      !after.some((e) => e.event === "message.created" && e.data.conversationId === chat.id),
      "no message of Ada's chat after the demotion",
    );
    await ws.waitFor((f) => f.type === "error" && f.code === "access_lost", "access_lost");
    assert.ok(
      !ws.frames.some((f) => f.type === "message" && f.message.text === "not for Sue any more"),
    );
  } finally {
    await world.close();
  }
});

Deno.test("[security] an agent moved to another team loses the old team's queue at once", async () => {
  const world = await twoInstances();
  try {
    await world.admin("PUT", "/api/v1/admin/settings", { dynamicAssignment: false });
    const red = (await world.admin("POST", "/api/v1/admin/teams", { name: "Red" })).team;
    const blue = (await world.admin("POST", "/api/v1/admin/teams", { name: "Blue" })).team;
    const site = (await world.admin("POST", "/api/v1/admin/sites", {
      name: "Red shop",
      allowAnyOrigin: true,
      teamId: red.id,
    })).site;
    const ben = await world.person("agent", red.id);
    const chat = await world.chat(site.siteKey); // Pending in Red's queue
    const sse = await world.stream(ben);
    const ws = await world.socket(ben);
    await ws.waitFor((f) => f.type === "hello");
    ws.send({ type: "subscribe", conversationId: chat.id, afterSeq: 0 });
    await ws.next("subscribed");
    await chat.says("Red sees this");
    await sse.waitFor((e) => e.event === "message.created" && e.data.conversationId === chat.id);

    await world.admin("PUT", `/api/v1/admin/agents/${ben.agent.id}`, { teamId: blue.id });
    await chat.says("Red only");
    const other = await world.person("agent");
    await call(world.b, "PUT", "/api/v1/me/status", { status: "online" }, {
      cookie: other.cookie,
    });

    const reset = await sse.waitFor((e) => e.event === "reset", "the stream's reset");
    await sse.waitFor((e) => e.event === "agent.status" && e.data.agentId === other.agent.id);
    const after = sse.events.slice(sse.events.indexOf(reset));
    assert.ok(
      !after.some((e) => e.event === "message.created" && e.data.conversationId === chat.id),
      "no message of Red's queue after the move",
    );
    await ws.waitFor((f) => f.type === "error" && f.code === "access_lost", "access_lost");
    assert.ok(!ws.frames.some((f) => f.type === "message" && f.message.text === "Red only"));
  } finally {
    await world.close();
  }
});
