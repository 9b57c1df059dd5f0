/**
 * A store written before the metrics existed gets its counters at the next
 * start (startServer runs the backfill before serving), once: a real restart
 * on the same store, with conversations made by the real engine.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../fresh.config.ts";
import { startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { Engine } from "../lib/store/engine/engine.ts";
import {
  appendStaffMessage,
  closeConversation,
  pickupConversation,
  setAgentStatus,
} from "../lib/store/engine/mod.ts";
import { customerSays, randomAgent } from "../lib/store/engine/test_util.ts";

async function figures(kv: Deno.Kv): Promise<[string, bigint][]> {
  const out: [string, bigint][] = [];
  for await (const e of kv.list<Deno.KvU64>({ prefix: ["metrics"] })) {
    out.push([JSON.stringify(e.key), e.value.value]);
  }
  return out;
}

Deno.test("[metrics] an existing store's counters are backfilled once at start", async () => {
  const kv = await Deno.openKv(":memory:");
  const config = loadConfig({ KV_PATH: ":memory:", PORT: "0", PASSWORD_ITERATIONS: "1000" });
  try {
    const engine = new Engine(kv);
    const agent = await randomAgent(kv);
    await setAgentStatus(engine, agent.id, "online");
    for (let i = 0; i < 5; i++) {
      const conv = (await customerSays(engine, `hi ${i}`)).conversation;
      if (i === 4) continue; // one still waiting
      await pickupConversation(engine, conv.id, agent).catch(() => {}); // may be auto-assigned
      await appendStaffMessage(engine, conv.id, agent, { text: "Hi!", clientId: `c${i}` });
      if (i < 2) await closeConversation(engine, conv.id, agent, { notes: "done" });
    }
    const kept = await figures(kv);
    assert.ok(kept.length > 0, "the engine kept counters as it committed");

    // As a store from before the metrics: no counters, no marker.
    for await (const e of kv.list({ prefix: ["metrics"] })) await kv.delete(e.key);
    await kv.delete(["schema", "metrics"]);

    const lines: string[] = [];
    const first = await startServer(config, routeTable, { kv, log: (l) => lines.push(l) });
    await first.shutdown();
    assert.ok(lines.some((l) => /Counted 5 stored conversations/.test(l)), lines.join("\n"));
    assert.deepEqual(await figures(kv), kept, "the backfill rebuilt the same figures");

    lines.length = 0;
    const second = await startServer(config, routeTable, { kv, log: (l) => lines.push(l) });
    await second.shutdown();
    assert.ok(!lines.some((l) => /Counted/.test(l)), "only once per store");
    assert.deepEqual(await figures(kv), kept, "nothing counted twice");

    // A store backfilled by version 1 (no channel scopes, no by_agent family) gets only those.
    for await (const e of kv.list({ prefix: ["metrics"] })) {
      const scope = String(e.key[1]);
      if (scope.startsWith("by_agent") || scope.includes("channel:")) await kv.delete(e.key);
    }
    await kv.set(["schema", "metrics"], 1);
    assert.notDeepEqual(await figures(kv), kept);
    const third = await startServer(config, routeTable, { kv, log: () => {} });
    await third.shutdown();
    assert.deepEqual(await figures(kv), kept, "version 2 added what version 1 lacked, once");
  } finally {
    kv.close();
  }
});
