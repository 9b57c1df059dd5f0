import assert from "node:assert/strict";
import { appendStaffMessage } from "../lib/store/engine/messages.ts";
import { startTestApp } from "./helpers.ts";
import { newVisitor, TestSocket, visitorSays, wsUrl } from "./realtime_helpers.ts";

const encoder = new TextEncoder();

/** A masked client text frame (RFC 6455 §5.2). */
function clientFrame(text: string): Uint8Array {
  const payload = encoder.encode(text);
  const mask = crypto.getRandomValues(new Uint8Array(4));
  const header = payload.length < 126
    ? [0x81, 0x80 | payload.length]
    : [0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff];
  const out = new Uint8Array(header.length + 4 + payload.length);
  out.set(header);
  out.set(mask, header.length);
  payload.forEach((b, i) => out[header.length + 4 + i] = b ^ mask[i % 4]);
  return out;
}

/** Reads server frames until a close frame; returns its code and reason (null at EOF). */
async function drainToClose(
  conn: Deno.Conn,
  leftover: Uint8Array,
): Promise<{ code: number; reason: string } | null> {
  let buf = leftover;
  const chunk = new Uint8Array(256 * 1024);
  for (;;) {
    // Parse whole frames from the front of the buffer.
    while (buf.length >= 2) {
      let len = buf[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) break;
        len = (buf[2] << 8) | buf[3];
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) break;
        len = Number(new DataView(buf.buffer, buf.byteOffset + 2, 8).getBigUint64(0));
        at = 10;
      }
      if (buf.length < at + len) break;
      if ((buf[0] & 0x0f) === 0x8) {
        const body = buf.subarray(at, at + len);
        return {
          code: (body[0] << 8) | body[1],
          reason: new TextDecoder().decode(body.subarray(2)),
        };
      }
      buf = buf.subarray(at + len);
    }
    const n = await conn.read(chunk);
    if (n === null) return null;
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
  }
}

Deno.test("[realtime] a client that stops reading is closed (1013); the others are unaffected", async () => {
  const app = await startTestApp();
  const sockets: TestSocket[] = [];
  let conn: Deno.Conn | null = null;
  try {
    const supervisor = await app.createStaff("supervisor", { name: "Sue" });
    const visitor = await newVisitor(app);
    const conversationId = (await visitorSays(app, visitor.token, "hi")).conversation.id;
    for (let i = 0; i < 100; i++) {
      await appendStaffMessage(app.engine, conversationId, supervisor.agent, {
        text: `${i} ${"x".repeat(4000)}`,
        clientId: `big-${i}`,
      });
    }

    // The slow client: a raw socket that upgrades, asks for a lot, and never reads again.
    const port = new URL(app.url).port;
    conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
    await conn.write(encoder.encode(
      `GET /ws/agent HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${btoa("slow-client-key!")}\r\n` +
        `Sec-WebSocket-Version: 13\r\nCookie: ${supervisor.cookie}\r\n\r\n`,
    ));
    // Read exactly the handshake answer; frames may follow in the same packet.
    let answer = new Uint8Array(0);
    let end = -1;
    while (end < 0) {
      const part = new Uint8Array(1024);
      const n = await conn.read(part);
      assert.ok(n !== null, "the server hung up during the handshake");
      const joined = new Uint8Array(answer.length + n);
      joined.set(answer);
      joined.set(part.subarray(0, n), answer.length);
      answer = joined;
      end = new TextDecoder("latin1").decode(answer).indexOf("\r\n\r\n");
    }
    assert.match(new TextDecoder().decode(answer.subarray(0, end)), /^HTTP\/1.1 101/);
    const leftover = answer.slice(end + 4);
    await conn.write(clientFrame(JSON.stringify({ type: "subscribe", conversationId })));

    // A normal client on the same conversation keeps getting live messages.
    const fast = await TestSocket.open(wsUrl(app, "/ws/agent"), { cookie: supervisor.cookie });
    sockets.push(fast);
    fast.send({ type: "subscribe", conversationId, afterSeq: 101 });
    await fast.next("subscribed");
    // Several MB of live traffic: more than the kernel's socket buffers plus our 1 MiB queue.
    let last = 0;
    for (let batch = 0; batch < 75; batch++) {
      const sent = await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) =>
            appendStaffMessage(app.engine, conversationId, supervisor.agent, {
              text: `live ${batch}.${i} ${"y".repeat(4000)}`,
              clientId: `live-${batch}-${i}`,
            }),
        ),
      );
      last = Math.max(last, ...sent.map((r) => r.message.seq));
    }
    await fast.waitFor(
      (f) => f.type === "message" && f.message.seq === last,
      "the last live message at the fast client",
    );
    assert.equal(fast.seqs(conversationId).length, last - 101, "the fast client missed nothing");

    const closed = await drainToClose(conn, leftover);
    assert.equal(closed?.code, 1013, "the slow client is told to come back later");
    assert.match(closed?.reason ?? "", /Too slow/);
    fast.send({ type: "ping" });
    await fast.next("pong");
  } finally {
    try {
      conn?.close();
    } catch { /* closed */ }
    await Promise.all(sockets.map((s) => s.close()));
    await app.shutdown();
  }
});
