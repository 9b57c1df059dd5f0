/**
 * A store written before search existed gets its index at the next start
 * (startServer runs the backfill before serving), once: a real restart on the
 * same store, with conversations made by the real engine; the rebuilt index is
 * the one the live writes had kept, key for key.
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
  receiveCustomerMessage,
  setAgentStatus,
  transferConversation,
  updateSettings,
} from "../lib/store/engine/mod.ts";
import { randomAgent } from "../lib/store/engine/test_util.ts";
import { type ParsedQuery, parseSearchQuery } from "../lib/domain/search_text.ts";
import { searchConversations } from "../lib/store/engine/search_query.ts";

const PREFIXES = [["search"], ["search_contact_terms"], ["search_held"]];

async function index(kv: Deno.Kv): Promise<string[]> {
  const out: string[] = [];
  for (const prefix of PREFIXES) {
    for await (const e of kv.list({ prefix })) out.push(JSON.stringify([e.key, e.value]));
  }
  return out.sort();
}

Deno.test("[search] an existing store's index is backfilled once at start", async () => {
  const kv = await Deno.openKv(":memory:");
  const config = loadConfig({ KV_PATH: ":memory:", PORT: "0", PASSWORD_ITERATIONS: "1000" });
  try {
    const engine = new Engine(kv);
    await updateSettings(engine, { dynamicAssignment: false });
    const ann = await randomAgent(kv, "agent");
    const bob = await randomAgent(kv, "agent");
    for (const a of [ann, bob]) await setAgentStatus(engine, a.id, "online");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { conversation } = await receiveCustomerMessage(engine, {
        channel: "webchat",
        contact: {
          webVisitorId: `v${i}`,
          name: `Customer Número ${i}`,
          email: `c${i}@example.com`,
        },
        clientId: `m${i}`,
        text: `Order ${1000 + i} did not arrive`,
      });
      ids.push(conversation.id);
      if (i === 5) continue; // one still waiting
      await pickupConversation(engine, conversation.id, ann);
      await appendStaffMessage(engine, conversation.id, ann, {
        text: `Courier asked, case ${i}`,
        clientId: `n${i}`,
        internal: true,
      });
      if (i === 1) await transferConversation(engine, conversation.id, ann, { toAgentId: bob.id });
      if (i < 3) {
        await closeConversation(engine, conversation.id, i === 1 ? bob : ann, {
          notes: "Refunded",
          tags: ["lost parcel"],
        });
      }
    }
    const kept = await index(kv);
    assert.ok(kept.length > 50, "the engine kept the index as it committed");

    // As a store from before search: no index, no marker.
    for (const prefix of PREFIXES) {
      for await (const e of kv.list({ prefix })) await kv.delete(e.key);
    }
    await kv.delete(["schema", "search"]);
    const q = (s: string) => parseSearchQuery(s) as ParsedQuery;
    assert.equal((await searchConversations(kv, ann, { query: q("courier") })).items.length, 0);

    const lines: string[] = [];
    const first = await startServer(config, routeTable, { kv, log: (l) => lines.push(l) });
    await first.shutdown();
    assert.ok(
      lines.some((l) => /Indexed 6 stored conversations for search/.test(l)),
      lines.join("\n"),
    );
    assert.deepEqual(await index(kv), kept, "the backfill rebuilt the same index");
    const found = await searchConversations(kv, bob, { query: q("courier case") });
    assert.deepEqual(found.items.map((i) => i.conversation.id), [ids[1]], "Bob held only chat 1");
    const numero = await searchConversations(kv, ann, { query: q("numero lost parcel") });
    // Ann held chat 1 before the transfer: closed, it is hers to find again.
    assert.deepEqual(numero.items.map((i) => i.conversation.id), [ids[2], ids[1], ids[0]]);

    lines.length = 0;
    const second = await startServer(config, routeTable, { kv, log: (l) => lines.push(l) });
    await second.shutdown();
    assert.ok(!lines.some((l) => /Indexed/.test(l)), "only once per store");
  } finally {
    kv.close();
  }
});
