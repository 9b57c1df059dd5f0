import assert from "node:assert/strict";
import { Hono } from "hono";
import { readHead, ringLocalBell, withChanges } from "../store/changes.ts";
import { SseReader } from "../../tests/realtime_helpers.ts";
import { Hub } from "./hub.ts";
import { staffStream } from "./sse.ts";

Deno.test("[realtime] SSE writer: ready, events with ids, heartbeat comments, restart on shutdown", async () => {
  const kv = await Deno.openKv(":memory:");
  const hub = new Hub(kv);
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
    assert.equal(ready.id, "0");
    const head = await readHead(kv);
    const { op } = withChanges(kv.atomic(), head, [{ type: "agent.status", agentId: "a1" }]);
    assert.ok((await op.commit()).ok);
    ringLocalBell(kv);
    const event = await reader.waitFor((e) => e.event === "agent.status");
    assert.equal(event.id, "1");
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
