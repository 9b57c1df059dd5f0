/**
 * Two Parley processes on one KV file, a client of each kind on each: what one
 * instance commits reaches the other's clients, even when the other commits
 * nothing itself (Deno's local KV does not wake watchers in other processes;
 * the hub's doorbell polls the head, see lib/realtime/doorbell.ts).
 */
import assert from "node:assert/strict";
import { readHead } from "../lib/store/changes.ts";
import { type ParleyProcess, spawnParley } from "./parley_process.ts";
import { idsBetween, SseReader, TestSocket, wsUrl } from "./realtime_helpers.ts";

const ADMIN = { email: "admin@two.test", password: "admin-password-123" };

/** A JSON request from Parley's own origin; fails the test on a non-2xx answer. */
async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ json: Record<string, unknown> & { [k: string]: unknown }; res: Response }> {
  const res = await fetch(base + path, {
    method,
    headers: { origin: base, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return { json, res };
}

async function login(base: string, email: string, password: string): Promise<string> {
  const { res } = await call(base, "POST", "/api/v1/auth/login", { email, password });
  return (res.headers.get("set-cookie") ?? "").split(";")[0];
}

/** Two processes on one fresh KV file; A creates the admin. */
async function twoInstances(): Promise<{ a: ParleyProcess; b: ParleyProcess; path: string }> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/shared.kv`;
  const common = { KV_PATH: path, PASSWORD_ITERATIONS: "1000" };
  const a = await spawnParley({
    ...common,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  });
  try {
    const b = await spawnParley(common);
    return { a, b, path };
  } catch (err) {
    await a.stop();
    throw err;
  }
}

async function staff(base: string, admin: string, name: string, role: string) {
  const email = `${name.toLowerCase()}@two.test`;
  const password = `${name}-password-123`;
  const { json } = await call(base, "POST", "/api/v1/admin/agents", {
    name,
    email,
    password,
    role,
  }, { cookie: admin });
  return { id: (json.agent as { id: string }).id, cookie: await login(base, email, password) };
}

Deno.test("[instances] two processes on one KV file: every event reaches the clients of both", async () => {
  const { a, b, path } = await twoInstances();
  const kv = await Deno.openKv(path); // the test's own reader, for the head
  const sockets: TestSocket[] = [];
  const readers: SseReader[] = [];
  try {
    const admin = await login(a.url, ADMIN.email, ADMIN.password);
    const ada = await staff(a.url, admin, "Ada", "agent");
    const sue = await staff(a.url, admin, "Sue", "supervisor");
    await call(a.url, "PUT", "/api/v1/me/status", { status: "online" }, { cookie: ada.cookie });

    // A supervisor's event stream on each instance.
    const streamA = await SseReader.open(a.url + "/api/v1/stream", { cookie: sue.cookie });
    const streamB = await SseReader.open(b.url + "/api/v1/stream", { cookie: sue.cookie });
    readers.push(streamA, streamB);
    // Each stream starts where its instance's hub stands (B may not have heard of A's last
    // commit yet: then it delivers it).
    const startA = (await streamA.waitFor((e) => e.event === "ready")).id!;
    const startB = (await streamB.waitFor((e) => e.event === "ready")).id!;

    // A visitor writes through A: the conversation is created and assigned there.
    const { json: session } = await call(a.url, "POST", "/api/v1/widget/sessions", {});
    const bearer = { authorization: `Bearer ${session.visitorToken}` };
    const { json: first } = await call(a.url, "POST", "/api/v1/widget/messages", {
      text: "hello through A",
      clientId: "v-0",
    }, bearer);
    const conversationId = (first.conversation as { id: string }).id;
    await streamB.waitFor(
      (e) => e.event === "message.created" && e.data.conversationId === conversationId,
      "B's stream to hear of the conversation A created",
    );

    // Ada's chat pane and the visitor's widget, open on both instances (two tabs each).
    const token = encodeURIComponent(String(session.visitorToken));
    const [agentA, agentB, visitorA, visitorB] = await Promise.all([
      TestSocket.open(wsUrl(a, "/ws/agent"), { cookie: ada.cookie }),
      TestSocket.open(wsUrl(b, "/ws/agent"), { cookie: ada.cookie }),
      TestSocket.open(wsUrl(a, `/ws/visitor?token=${token}`)),
      TestSocket.open(wsUrl(b, `/ws/visitor?token=${token}`)),
    ]);
    sockets.push(agentA, agentB, visitorA, visitorB);
    for (const ws of sockets) ws.send({ type: "subscribe", conversationId, afterSeq: 0 });
    await Promise.all(sockets.map((ws) => ws.waitFor((f) => f.type === "subscribed")));

    // B's clients only read from here on: B commits nothing. A message through A (HTTP) ...
    await call(a.url, "POST", "/api/v1/widget/messages", {
      text: "second through A",
      clientId: "v-1",
    }, bearer);
    const isText = (text: string) => (f: { type: string; message?: { text?: string } }) =>
      f.type === "message" && f.message?.text === text;
    await agentB.waitFor(isText("second through A"), "Ada's pane on B to get A's message");
    await visitorB.waitFor(isText("second through A"), "the widget on B to get A's message");
    const afterSecond = String(await readHead(kv));
    await streamB.waitFor((e) => e.id === afterSecond, "B's stream to reach A's head");

    // ... and one through B's agent socket reaches A's clients (A commits nothing meanwhile).
    agentB.send({ type: "send", conversationId, clientId: "a-1", text: "answer through B" });
    await agentB.next("ack", (f) => f.clientId === "a-1");
    await visitorA.waitFor(isText("answer through B"), "the widget on A to get B's message");
    await agentA.waitFor(isText("answer through B"), "Ada's pane on A to get B's message");

    // Then both at once, several times over: every client gets everything, in order.
    for (let i = 2; i <= 4; i++) {
      visitorA.send({ type: "send", conversationId, clientId: `v-${i}`, text: `visitor ${i}` });
      agentB.send({ type: "send", conversationId, clientId: `a-${i}`, text: `agent ${i}` });
      await Promise.all([
        visitorA.next("ack", (f) => f.clientId === `v-${i}`),
        agentB.next("ack", (f) => f.clientId === `a-${i}`),
      ]);
    }
    const head = String(await readHead(kv));
    await Promise.all([
      streamA.waitFor((e) => e.id === head, "the last change on A's stream"),
      streamB.waitFor((e) => e.id === head, "the last change on B's stream"),
    ]);
    const every = (start: string) => idsBetween(kv, start, head);
    assert.deepEqual(streamA.ids(), await every(startA), "A's stream: every change once, in order");
    assert.deepEqual(streamB.ids(), await every(startB), "B's stream: every change once, in order");

    const lastSeq = Math.max(...agentB.seqs(conversationId));
    for (const ws of sockets) {
      await ws.waitFor((f) => f.type === "message" && f.message.seq === lastSeq, "the last seq");
      const seqs = ws.seqs(conversationId);
      assert.deepEqual(
        seqs,
        Array.from({ length: seqs.length }, (_, i) => seqs[0] + i),
        "each socket got the conversation's messages once, in order, without gaps",
      );
      assert.equal(seqs.at(-1), lastSeq);
    }

    // Typing crosses processes both ways (ephemeral, not in the log).
    agentB.send({ type: "typing", conversationId, typing: true });
    const typing = await visitorA.next("typing");
    assert.equal(typing.from.name, "Ada", "the widget on A sees Ada typing on B");
    visitorA.send({ type: "typing", conversationId, typing: true });
    const customerTyping = await agentB.next("typing");
    assert.equal(customerTyping.from.kind, "visitor", "Ada's pane on B sees the customer typing");
  } catch (err) {
    console.error(`A said:\n${a.output()}\nB said:\n${b.output()}`);
    throw err;
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await Promise.all(readers.map((r) => r.close()));
    kv.close();
    await Promise.all([a.stop(), b.stop()]);
    await Deno.remove(path.replace(/\/[^/]*$/, ""), { recursive: true }).catch(() => {});
  }
});

/** Ada's status as `GET /api/v1/agents` says it now (a stale heartbeat counts as Offline). */
async function statusOf(base: string, cookie: string, agentId: string): Promise<string> {
  const { json } = await call(base, "GET", "/api/v1/agents", undefined, { cookie });
  const items = (Array.isArray(json) ? json : json.items) as { id: string; status: string }[];
  return items.find((a) => a.id === agentId)!.status;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("[instances] presence across processes: an agent stays Online while a connection on either is open", async () => {
  const { a, b, path } = await twoInstances();
  const sockets: TestSocket[] = [];
  const readers: SseReader[] = [];
  try {
    const admin = await login(a.url, ADMIN.email, ADMIN.password);
    // The shortest grace the settings allow, so the test waits seconds, not a minute.
    await call(a.url, "PUT", "/api/v1/admin/settings", { heartbeatGraceSeconds: 10 }, {
      cookie: admin,
    });
    const ada = await staff(a.url, admin, "Ada", "agent");
    const sue = await staff(a.url, admin, "Sue", "supervisor");
    const watching = await SseReader.open(a.url + "/api/v1/stream", { cookie: sue.cookie });
    readers.push(watching);
    await watching.waitFor((e) => e.event === "ready");

    // Ada's workspace: its event stream on A, its chat pane on B.
    const adaStream = await SseReader.open(a.url + "/api/v1/stream", { cookie: ada.cookie });
    readers.push(adaStream);
    await adaStream.waitFor((e) => e.event === "ready");
    const pane = await TestSocket.open(wsUrl(b, "/ws/agent"), { cookie: ada.cookie });
    sockets.push(pane);
    await pane.waitFor((f) => f.type === "hello");
    await call(b.url, "PUT", "/api/v1/me/status", { status: "online" }, { cookie: ada.cookie });
    await watching.waitFor(
      (e) => e.event === "agent.status" && e.data.agentId === ada.id,
      "Sue's stream on A to see Ada go Online on B",
    );

    // The stream on A closes; only B beats now. Past the grace period, Ada is still Online.
    await adaStream.close();
    for (let t = 0; t < 14; t++) {
      await sleep(1000);
      assert.equal(await statusOf(a.url, sue.cookie, ada.id), "online", `Online after ${t + 1} s`);
    }
    assert.ok(
      !watching.events.some((e) =>
        e.event === "agent.status" && e.data.agentId === ada.id && e.data.data?.status === "offline"
      ),
      "no Offline blip on the supervisor's stream",
    );

    // The pane on B closes too: nobody beats, and Ada turns Offline (heartbeat lost), which
    // Sue's stream on A hears whichever instance's sweep records it.
    await pane.close();
    let status = "online";
    for (let t = 0; t < 60 && status !== "offline"; t++) {
      await sleep(1000);
      status = await statusOf(a.url, sue.cookie, ada.id);
    }
    assert.equal(status, "offline", "with no connection left, Ada goes Offline");
    const lost = watching.events.find((e) =>
      e.event === "agent.status" && e.data.agentId === ada.id && e.data.data?.status === "offline"
    ) ?? await watching.waitFor(
      (e) =>
        e.event === "agent.status" && e.data.agentId === ada.id &&
        e.data.data?.status === "offline",
      "Sue's stream on A to hear Ada went Offline",
    );
    assert.equal(lost.data.data.reason, "heartbeat_lost");
  } catch (err) {
    console.error(`A said:\n${a.output()}\nB said:\n${b.output()}`);
    throw err;
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await Promise.all(readers.map((r) => r.close()));
    await Promise.all([a.stop(), b.stop()]);
    await Deno.remove(path.replace(/\/[^/]*$/, ""), { recursive: true }).catch(() => {});
  }
});
