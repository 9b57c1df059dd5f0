import assert from "node:assert/strict";
import { Hono } from "hono";
import { readHead, withChanges } from "../store/changes.ts";
import { Engine } from "../store/engine/engine.ts";
import { SseReader } from "../../tests/realtime_helpers.ts";
import { Hub } from "./hub.ts";
import { staffStream } from "./sse.ts";

Deno.test("[realtime] SSE writer: ready, events with ids, heartbeat comments, restart on shutdown", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  const hub = new Hub(kv, engine.changes);
  await hub.start();
  const app = new Hono();
  app.get(
    "/s",
    (c) => staffStream(c, { hub, after: null, view: (change) => change, heartbeatMs: 20 }),
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  let reader: SseReader | null = null;
  try {
    reader = await SseReader.open(`http://127.0.0.1:${server.addr.port}/s`);
    const ready = await reader.waitFor((e) => e.event === "ready");
    // The id is the cursor: one seq per change-log shard; a presence change goes to shard 0.
    const at = (seq: number) => [seq, ...Array(hub.layout.shards - 1).fill(0)].join(".");
    assert.equal(ready.id, at(0));
    const head = await readHead(kv);
    const { op } = withChanges(kv.atomic(), head, [{ type: "agent.status", agentId: "a1" }]);
    assert.ok((await op.commit()).ok);
    engine.changes.ring();
    const event = await reader.waitFor((e) => e.event === "agent.status");
    assert.equal(event.id, at(1));
    assert.equal(event.data.agentId, "a1");
    // Idle now: heartbeat comments keep coming.
    await reader.waitForComments(2);
    assert.ok(reader.comments.every((c) => c === ": ping"));
    await hub.close();
    await reader.done;
    assert.equal(reader.events.at(-1)?.event, "restart", "the stream says why it ends");
  } finally {
    await reader?.close();
    await hub.close();
    await server.shutdown();
    kv.close();
  }
});

Deno.test("[realtime] SSE: a client that stops reading is cut off; another stream gets everything", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  const hub = new Hub(kv, engine.changes);
  await hub.start();
  const app = new Hono();
  app.get(
    "/s",
    (c) => staffStream(c, { hub, after: null, view: (change) => change, maxQueued: 1024 * 1024 }),
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  let reader: SseReader | null = null;
  let conn: Deno.Conn | null = null;
  try {
    const port = server.addr.port;
    reader = await SseReader.open(`http://127.0.0.1:${port}/s`);
    await reader.waitFor((e) => e.event === "ready");
    // The slow client: asks for the stream, then never reads.
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode(`GET /s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    while (hub.subscriberCount < 2) await new Promise((r) => setTimeout(r, 5));
    // ~7 MB of events: more than the socket buffers plus the 1 MiB allowed behind a write.
    const pad = "x".repeat(1000);
    for (let i = 0; i < 60; i++) {
      const head = await readHead(kv);
      const changes = Array.from({ length: 100 }, () => ({ type: "test.big", data: { pad } }));
      assert.ok((await withChanges(kv.atomic(), head, changes).op.commit()).ok);
      engine.changes.ring();
    }
    const last = await readHead(kv);
    await reader.waitFor((e) => e.id === String(last), "the last event at the reading client");
    // Changes about no conversation all go to shard 0: its head counts them.
    assert.equal(reader.ids().length, last.cursor[0], "the reading client got every event");
    // The slow one was dropped: what it was sent ends (the chunked body's last chunk, or the
    // connection) well before all the events; reading it does not hang.
    const buf = new Uint8Array(1 << 16);
    let received = 0;
    let tail = "";
    let gaveUp = false;
    const guard = setTimeout(() => {
      gaveUp = true;
      conn?.close();
    }, 10_000);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      received += n;
      tail = (tail + new TextDecoder().decode(buf.subarray(0, n))).slice(-16);
      if (tail.endsWith("\r\n0\r\n\r\n")) break;
    }
    clearTimeout(guard);
    assert.ok(!gaveUp, "the slow client's stream ended");
    assert.ok(
      received < last.cursor[0] * 1000,
      "it was cut off before everything was written to it",
    );
    assert.equal(hub.subscriberCount, 1, "only the reading client is still subscribed");
  } finally {
    try {
      conn?.close();
    } catch { /* closed */ }
    await reader?.close();
    await hub.close();
    await server.shutdown();
    kv.close();
  }
});
