/**
 * Attachments over real HTTP: staff and visitor uploads and downloads, the
 * limits (413 before the body is read, 415 for types and for bytes that are
 * not what they claim), who may open what (403 / 404), safe headers for a
 * hostile file name, byte ranges, and a message that carries files.
 */
import assert from "node:assert/strict";
import { type Staff, startTestApp, type TestApp } from "./helpers.ts";
import { call, session } from "./widget_api_helpers.ts";
import { PDF, PNG, sized, upload } from "./attachment_fixtures.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";
import { MAX_ATTACHMENT_BYTES } from "../lib/domain/attachments.ts";
import { keys } from "../lib/store/keys.ts";

async function chatFor(app: TestApp, staff: Staff, text = "Here is my problem") {
  await app.api("PUT", "/api/v1/me/status", { as: staff, body: { status: "online" } });
  const r = await receiveCustomerMessage(app.engine, {
    channel: "webchat",
    contact: { webVisitorId: crypto.randomUUID() },
    clientId: crypto.randomUUID(),
    text,
  });
  assert.equal(r.conversation.assigneeId, staff.agent.id);
  return r.conversation.id;
}

/** Sends only the head of a POST with a Content-Length and reads the answer without the body. */
async function headOnly(app: TestApp, path: string, headers: Record<string, string>) {
  const port = Number(new URL(app.url).port);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const head = [`POST ${path} HTTP/1.1`, `host: 127.0.0.1:${port}`]
      .concat(Object.entries(headers).map(([k, v]) => `${k}: ${v}`), ["", ""]).join("\r\n");
    await conn.write(new TextEncoder().encode(head));
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    return new TextDecoder().decode(buf.subarray(0, n ?? 0));
  } finally {
    conn.close();
  }
}

Deno.test("[attachments] staff send an image, the log carries it, and it is served safely", async (t) => {
  const app = await startTestApp();
  try {
    const agent = await app.createStaff("agent", { name: "Ann" });
    const other = await app.createStaff("agent", { name: "Bea" });
    const convId = await chatFor(app, agent);
    const path = `/api/v1/conversations/${convId}/attachments`;

    let attachmentId = "";
    await t.step("upload a PNG, send it in a message", async () => {
      const up = await upload(app, path, PNG, {
        type: "image/png",
        filename: "screen shot.png",
        cookie: agent.cookie,
      });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.attachment.contentType, "image/png");
      assert.equal(up.body.attachment.size, PNG.length);
      assert.equal(up.body.attachment.filename, "screen shot.png");
      attachmentId = up.body.attachment.id;
      const sent = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
        as: agent,
        body: { text: "", clientId: "c-img", attachments: [attachmentId] },
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.deepEqual(sent.body.message.attachments, [up.body.attachment]);
      const log = await app.api("GET", `/api/v1/conversations/${convId}`, { as: agent });
      const last = log.body.messages.at(-1);
      assert.equal(last.attachments[0].id, attachmentId);
      // The list preview names the file when the message has no text.
      const list = await app.api("GET", "/api/v1/conversations?status=active", { as: agent });
      assert.equal(list.body.items[0].lastMessage.text, "📎 screen shot.png");
      // The same file cannot go in a second message.
      const again = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
        as: agent,
        body: { text: "again", clientId: "c-img-2", attachments: [attachmentId] },
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, "attachment_used");
      // A repeat of the first send (same clientId) is the stored message, not a conflict.
      const repeat = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
        as: agent,
        body: { text: "", clientId: "c-img", attachments: [attachmentId] },
      });
      assert.equal(repeat.status, 200);
      assert.equal(repeat.body.duplicate, true);
    });

    await t.step("download: bytes, type, inline, nosniff, sandbox; ranges", async () => {
      const res = await fetch(`${app.url}/api/v1/attachments/${attachmentId}`, {
        headers: { cookie: agent.cookie },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.match(res.headers.get("content-security-policy")!, /sandbox/);
      assert.match(res.headers.get("content-disposition")!, /^inline; filename="screen shot.png"/);
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PNG);
      const part = await fetch(`${app.url}/api/v1/attachments/${attachmentId}`, {
        headers: { cookie: agent.cookie, range: "bytes=1-3" },
      });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get("content-range"), `bytes 1-3/${PNG.length}`);
      assert.equal(new TextDecoder().decode(await part.arrayBuffer()), "PNG");
      const bad = await fetch(`${app.url}/api/v1/attachments/${attachmentId}`, {
        headers: { cookie: agent.cookie, range: "bytes=9999-" },
      });
      await bad.body?.cancel();
      assert.equal(bad.status, 416);
    });

    await t.step("who may: another agent 403 on an active chat; nobody signed in 401", async () => {
      const res = await app.api("GET", `/api/v1/attachments/${attachmentId}`, { as: other });
      assert.equal(res.status, 403);
      const anon = await app.api("GET", `/api/v1/attachments/${attachmentId}`);
      assert.equal(anon.status, 401);
      const unknown = await app.api("GET", `/api/v1/attachments/01NOPE`, { as: agent });
      assert.equal(unknown.status, 404);
      // Another agent may not upload into a chat they do not hold.
      const up = await upload(app, path, PNG, {
        type: "image/png",
        filename: "x.png",
        cookie: other.cookie,
      });
      assert.equal(up.status, 403);
      assert.equal(up.body.error.code, "not_your_chat");
    });

    await t.step("an upload of another agent cannot be sent by me", async () => {
      const boss = await app.createStaff("supervisor");
      const up = await upload(app, path, PNG, {
        type: "image/png",
        filename: "b.png",
        cookie: boss.cookie,
      });
      assert.equal(up.status, 201);
      const sent = await app.api("POST", `/api/v1/conversations/${convId}/messages`, {
        as: agent,
        body: { text: "look", clientId: "c-theirs", attachments: [up.body.attachment.id] },
      });
      assert.equal(sent.status, 400);
      assert.equal(sent.body.error.code, "attachment_unknown");
    });
  } finally {
    await app.shutdown();
  }
});

Deno.test("[attachments] limits: 413 before reading, 415 for types and disguised bytes", async (t) => {
  const app = await startTestApp();
  try {
    const agent = await app.createStaff("agent");
    const convId = await chatFor(app, agent);
    const path = `/api/v1/conversations/${convId}/attachments`;

    await t.step(
      "a Content-Length over 10 MB is refused before any body byte is sent",
      async () => {
        const answer = await headOnly(app, `${path}?filename=big.pdf`, {
          cookie: agent.cookie,
          origin: app.url,
          "content-type": "application/pdf",
          "content-length": String(MAX_ATTACHMENT_BYTES + 1),
        });
        assert.match(answer, /^HTTP\/1\.1 413/);
        assert.match(answer, /too_large/);
      },
    );

    await t.step("a streamed file past the limit is refused and nothing is kept", async () => {
      const big = sized(PDF, MAX_ATTACHMENT_BYTES + 100);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < big.length; i += 1 << 20) {
            controller.enqueue(big.slice(i, i + (1 << 20)));
          }
          controller.close();
        },
      });
      const res = await fetch(`${app.url}${path}?filename=big.pdf`, {
        method: "POST",
        headers: { cookie: agent.cookie, origin: app.url, "content-type": "application/pdf" },
        body: stream,
      });
      const body = await res.json();
      assert.equal(res.status, 413);
      assert.equal(body.error.code, "too_large");
      let chunks = 0;
      for await (const _ of app.kv.list({ prefix: ["attachment_chunks"] })) chunks++;
      assert.equal(chunks, 0, "the chunks written before the limit are deleted");
    });

    await t.step("exactly 10 MB is accepted", async () => {
      const up = await upload(app, path, sized(PDF, MAX_ATTACHMENT_BYTES), {
        type: "application/pdf",
        filename: "manual.pdf",
        cookie: agent.cookie,
      });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.attachment.size, MAX_ATTACHMENT_BYTES);
      const res = await fetch(`${app.url}/api/v1/attachments/${up.body.attachment.id}`, {
        headers: { cookie: agent.cookie },
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.equal(bytes.length, MAX_ATTACHMENT_BYTES);
      assert.deepEqual(bytes.subarray(0, PDF.length), PDF);
      assert.equal(bytes[MAX_ATTACHMENT_BYTES - 1], (MAX_ATTACHMENT_BYTES - 1) % 251);
    });

    await t.step("SVG, HTML and disguised files are refused", async () => {
      const svg = new TextEncoder().encode(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      );
      let up = await upload(app, path, svg, {
        type: "image/svg+xml",
        filename: "a.svg",
        cookie: agent.cookie,
      });
      assert.equal(up.status, 415);
      assert.equal(up.body.error.code, "unsupported_media_type");
      up = await upload(app, path, svg, {
        type: "text/html",
        filename: "a.html",
        cookie: agent.cookie,
      });
      assert.equal(up.status, 415);
      // HTML bytes claiming to be a PNG, and a PNG claiming to be a PDF.
      up = await upload(app, path, svg, {
        type: "image/png",
        filename: "a.png",
        cookie: agent.cookie,
      });
      assert.equal(up.status, 415);
      assert.equal(up.body.error.code, "type_mismatch");
      up = await upload(app, path, PNG, {
        type: "application/pdf",
        filename: "a.pdf",
        cookie: agent.cookie,
      });
      assert.equal(up.status, 415);
      assert.equal(up.body.error.code, "type_mismatch");
      // An executable sent without a type is decided by its bytes: not allowed.
      up = await upload(app, path, new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), {
        type: "application/octet-stream",
        filename: "setup.exe",
        cookie: agent.cookie,
      });
      assert.equal(up.status, 415);
      // A PNG sent without a type is a PNG; named "x.html" it is saved as "x.html.png".
      up = await upload(app, path, PNG, { type: "", filename: "x.html", cookie: agent.cookie });
      assert.equal(up.status, 201);
      assert.equal(up.body.attachment.contentType, "image/png");
      assert.equal(up.body.attachment.filename, "x.html.png");
      up = await upload(app, path, new Uint8Array(), {
        type: "text/plain",
        filename: "e.txt",
        cookie: agent.cookie,
      });
      assert.equal(up.status, 400);
      assert.equal(up.body.error.code, "empty_file");
    });
  } finally {
    await app.shutdown();
  }
});

Deno.test("[attachments] a visitor sends a PDF; a nasty file name cannot break the headers", async (t) => {
  const app = await startTestApp();
  try {
    const agent = await app.createStaff("agent");
    await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "online" } });
    const token = await session(app);
    const stranger = await session(app);
    const nasty = 'résumé "final"\r\nSet-Cookie: pwned=1; \u202Efdp.exe 📄.pdf';
    let id = "";
    let convId = "";

    await t.step("upload and send", async () => {
      const up = await upload(app, "/api/v1/widget/attachments", PDF, {
        type: "application/pdf",
        filename: nasty,
        token,
      });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      id = up.body.attachment.id;
      assert.equal(
        up.body.attachment.filename,
        'résumé "final"Set-Cookie: pwned=1; fdp.exe 📄.pdf',
      );
      const sent = await call(app, "POST", "/api/v1/widget/messages", {
        token,
        body: { text: "My invoice", clientId: "v-1", attachments: [id] },
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.message.attachments[0].id, id);
      convId = sent.body.conversation.id;
      const mine = await call(app, "GET", "/api/v1/widget/messages", { token });
      assert.equal(mine.body.messages[0].attachments[0].filename, up.body.attachment.filename);
    });

    await t.step("the visitor downloads it; the headers are one safe attachment line", async () => {
      const res = await fetch(`${app.url}/api/v1/widget/attachments/${id}`, {
        headers: { authorization: `Bearer ${token}`, origin: app.url },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PDF);
      assert.equal(res.headers.get("content-type"), "application/pdf");
      assert.equal(res.headers.get("set-cookie"), null);
      const disposition = res.headers.get("content-disposition")!;
      assert.match(
        disposition,
        /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/,
      );
      const star = disposition.split("filename*=UTF-8''")[1];
      assert.equal(decodeURIComponent(star), 'résumé "final"Set-Cookie: pwned=1; fdp.exe 📄.pdf');
    });

    await t.step("another visitor gets a 404; the agent of the chat can open it", async () => {
      const res = await call(app, "GET", `/api/v1/widget/attachments/${id}`, { token: stranger });
      assert.equal(res.status, 404);
      const none = await call(app, "GET", `/api/v1/widget/attachments/${id}`, {});
      assert.equal(none.status, 401);
      const staff = await fetch(`${app.url}/api/v1/attachments/${id}`, {
        headers: { cookie: agent.cookie },
      });
      assert.equal(staff.status, 200, `chat ${convId}`);
      await staff.body?.cancel();
      // The stranger cannot send the first visitor's upload either.
      const up = await upload(app, "/api/v1/widget/attachments", PNG, {
        type: "image/png",
        filename: "p.png",
        token,
      });
      const theirs = await call(app, "POST", "/api/v1/widget/messages", {
        token: stranger,
        body: { text: "", clientId: "s-1", attachments: [up.body.attachment.id] },
      });
      assert.equal(theirs.status, 400);
      assert.equal(theirs.body.error.code, "attachment_unknown");
      assert.equal((await app.kv.get(keys.attachment(up.body.attachment.id))).value !== null, true);
    });
  } finally {
    await app.shutdown();
  }
});
