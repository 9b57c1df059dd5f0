/**
 * Security: request bodies are bounded while they arrive. A chunked body (no
 * Content-Length) larger than MAX_BODY_BYTES is answered 413 as soon as the
 * limit is crossed: the server stops reading, so it never holds the rest.
 * Checked over a raw TCP connection, so the test sees exactly how much had
 * been sent when the answer came.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";

const CHUNK = new Uint8Array(16 * 1024).fill(0x61); // "aaaa…"
/** What the client is prepared to send: far beyond the limit (64 KiB). */
const TOTAL_BYTES = 32 * 1024 * 1024;

/**
 * Sends a chunked POST of TOTAL_BYTES to `path` and reads the answer while
 * sending. Returns the status line and how many body bytes had been written
 * when the first bytes of the answer arrived.
 */
async function chunkedPost(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; sentWhenAnswered: number; finishedSending: boolean }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const enc = new TextEncoder();
  const head = [
    `POST ${path} HTTP/1.1`,
    `host: 127.0.0.1:${port}`,
    "transfer-encoding: chunked",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    "",
    "",
  ].join("\r\n");
  let sent = 0;
  let answered = false;
  let sentWhenAnswered = -1;
  let finishedSending = false;
  const writer = (async () => {
    try {
      await conn.write(enc.encode(head));
      const frame = new Uint8Array([
        ...enc.encode(CHUNK.length.toString(16) + "\r\n"),
        ...CHUNK,
        ...enc.encode("\r\n"),
      ]);
      while (sent < TOTAL_BYTES && !answered) {
        let off = 0;
        while (off < frame.length) off += await conn.write(frame.subarray(off));
        sent += CHUNK.length;
      }
      if (!answered) {
        await conn.write(enc.encode("0\r\n\r\n"));
        finishedSending = true;
      }
    } catch { /* the server closed the connection: it stopped reading */ }
  })();
  const buf = new Uint8Array(4096);
  const n = await conn.read(buf);
  answered = true;
  sentWhenAnswered = sent;
  const text = new TextDecoder().decode(buf.subarray(0, n ?? 0));
  try {
    conn.close();
  } catch { /* closed */ }
  await writer;
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  return { status, sentWhenAnswered, finishedSending };
}

Deno.test("[security] a chunked body over the limit is refused while it arrives, on every route", async (t) => {
  const app = await startTestApp();
  try {
    const routes: [string, Record<string, string>][] = [
      ["/api/v1/auth/login", { "content-type": "application/json", origin: app.url }],
      ["/login", { "content-type": "application/x-www-form-urlencoded", origin: app.url }],
      ["/webhooks/whatsapp", { "content-type": "application/json" }],
      ["/api/v1/widget/sessions", { "content-type": "application/json", origin: app.url }],
    ];
    for (const [path, headers] of routes) {
      await t.step(`${path}: 413 long before the whole body is sent`, async () => {
        const res = await chunkedPost(app.port, path, headers);
        assert.equal(res.status, 413);
        assert.equal(res.finishedSending, false, "the answer came before the body ended");
        assert.ok(
          res.sentWhenAnswered < TOTAL_BYTES / 4,
          `answered after ${res.sentWhenAnswered} of ${TOTAL_BYTES} bytes`,
        );
      });
    }
    await t.step("a chunked body under the limit still reaches the route", async () => {
      const res = await fetch(app.url + "/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", origin: app.url },
        body: new Blob([JSON.stringify({ email: "nobody@example.test", password: "x" })]).stream(),
      });
      assert.equal(res.status, 401);
      await res.body?.cancel();
    });
  } finally {
    await app.shutdown();
  }
});
