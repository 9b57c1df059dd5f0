/**
 * The boundary shapes of lib/domain/boundary.ts seen from outside: every way
 * a message comes in (staff API, workspace form, staff and visitor sockets,
 * widget API) takes the same `{text, clientId}` bounds, and every check of
 * "our own origin" (CSRF, the widget's origin check, the visitor socket)
 * agrees behind a proxy.
 */
import assert from "node:assert/strict";
import { MAX_CLIENT_ID_CHARS, MAX_TEXT_CHARS } from "../lib/domain/limits.ts";
import { startTestApp, type TestApp } from "./helpers.ts";
import { newVisitor, TestSocket, visitorSays, wsUrl } from "./realtime_helpers.ts";

/** A clientId exactly `length` characters long, unique per `tag`. */
const idOf = (tag: string, length: number) => tag + "-" + "x".repeat(length - tag.length - 1);

Deno.test("[boundary] every way in takes the same message bounds", async () => {
  const app = await startTestApp();
  const sockets: TestSocket[] = [];
  try {
    const sue = await app.createStaff("supervisor");
    // At work (an Offline supervisor picks up nothing: it would go straight back to the queue).
    await app.api("PUT", "/api/v1/me/status", { as: sue, body: { status: "busy" } });
    const visitor = await newVisitor(app);
    const first = await visitorSays(app, visitor.token, "Hello");
    const convId: string = first.conversation.id;
    assert.equal(
      (await app.api("POST", `/api/v1/conversations/${convId}/pickup`, { as: sue })).status,
      200,
    );

    const staffWs = await TestSocket.open(wsUrl(app, "/ws/agent"), { cookie: sue.cookie });
    const visitorWs = await TestSocket.open(wsUrl(app, `/ws/visitor?token=${visitor.token}`), {
      origin: app.url,
    });
    sockets.push(staffWs, visitorWs);
    await staffWs.waitFor((f) => f.type === "hello");
    await visitorWs.waitFor((f) => f.type === "hello");

    /** Each way in: sends one message, answers whether it was accepted. */
    const ways: Record<string, (text: string, clientId: string) => Promise<boolean>> = {
      "staff API": async (text, clientId) => {
        const res = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
          as: sue,
          body: { text, clientId },
        });
        return res.status === 201;
      },
      "workspace form": async (text, clientId) => {
        const res = await fetch(`${app.url}/workspace/conversations/${convId}/messages`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie: sue.cookie, origin: app.url },
          body: new URLSearchParams({ text, clientId }),
        });
        await res.body?.cancel();
        return !new URL(res.headers.get("location") ?? "/", app.url).searchParams.has("notice");
      },
      "widget API": async (text, clientId) => {
        const res = await app.api("POST", "/api/v1/widget/messages", {
          body: { text, clientId },
          headers: { authorization: `Bearer ${visitor.token}` },
        });
        return res.status === 201;
      },
      "staff socket": (text, clientId) => sendFrame(staffWs, convId, text, clientId),
      "visitor socket": (text, clientId) => sendFrame(visitorWs, convId, text, clientId),
    };

    for (const [way, send] of Object.entries(ways)) {
      const tag = way.replace(/\W/g, "");
      const cases: [string, string, string, boolean][] = [
        ["the longest clientId", "hi", idOf(tag + "a", MAX_CLIENT_ID_CHARS), true],
        ["a clientId one too long", "hi", idOf(tag + "b", MAX_CLIENT_ID_CHARS + 1), false],
        ["the longest text", "é".repeat(MAX_TEXT_CHARS), tag + "-c", true],
        ["a text one too long", "é".repeat(MAX_TEXT_CHARS + 1), tag + "-d", false],
        ["a blank text", "  ", tag + "-e", false],
      ];
      for (const [what, text, clientId, accepted] of cases) {
        assert.equal(await send(text, clientId), accepted, `${way}: ${what}`);
        const stored = await storedClientIds(app, sue, convId);
        assert.equal(stored.has(clientId), accepted, `${way}: ${what} is stored only if accepted`);
      }
    }
  } finally {
    for (const s of sockets) await s.close();
    await app.shutdown();
  }
});

async function sendFrame(ws: TestSocket, conversationId: string, text: string, clientId: string) {
  const from = ws.frames.length;
  ws.send({ type: "send", conversationId, clientId, text });
  const answer = await ws.waitFor(
    (f) => (f.type === "ack" && f.clientId === clientId) || f.type === "error",
    `the answer to ${clientId.slice(0, 20)}`,
    from,
  );
  return answer.type === "ack";
}

async function storedClientIds(
  app: TestApp,
  as: Awaited<ReturnType<TestApp["createStaff"]>>,
  convId: string,
): Promise<Set<string>> {
  const res = await app.api("GET", `/api/v1/conversations/${convId}`, { as });
  assert.equal(res.status, 200);
  return new Set(res.body.messages.map((m: { clientId: string | null }) => m.clientId));
}

Deno.test("[boundary] behind a proxy, every own-origin check knows Parley's public origin", async () => {
  // The proxy is named (TRUSTED_PROXY): only then are its X-Forwarded-* headers believed.
  const app = await startTestApp({ TRUSTED_PROXY: "127.0.0.1" });
  let ws: TestSocket | null = null;
  try {
    const publicOrigin = "https://chat.example";
    const proxied = { "x-forwarded-host": "chat.example", "x-forwarded-proto": "https" };

    // The default site accepts only Parley's own origin: the public one, as the proxy says.
    const session = await fetch(app.url + "/api/v1/widget/sessions", {
      method: "POST",
      headers: { ...proxied, origin: publicOrigin, "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(session.status, 200, "the widget API takes the public origin as its own");
    const { visitorToken } = await session.json();
    const elsewhere = await fetch(app.url + "/api/v1/widget/sessions", {
      method: "POST",
      headers: { ...proxied, origin: "https://evil.example", "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(elsewhere.status, 403);
    await elsewhere.body?.cancel();

    ws = await TestSocket.open(wsUrl(app, `/ws/visitor?token=${visitorToken}`), {
      ...proxied,
      origin: publicOrigin,
    });
    await ws.waitFor((f) => f.type === "hello");

    // Cookie-authenticated writes (CSRF check): the public origin is ours, another is not.
    const ana = await app.createStaff("agent");
    const put = (origin: string) =>
      app.api("PUT", "/api/v1/me/status", {
        as: ana,
        body: { status: "busy" },
        headers: { ...proxied, origin },
      });
    assert.equal((await put(publicOrigin)).status, 200);
    assert.equal((await put("https://evil.example")).status, 403);
  } finally {
    await ws?.close();
    await app.shutdown();
  }
});
