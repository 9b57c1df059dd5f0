/**
 * Backfills the metrics counters (./metrics.ts) of a store that kept
 * conversations before the counters existed: once per store, at start
 * (`startServer`, before serving), every stored conversation's history is
 * counted from its record and its log (`eventsOfHistory`). The work is
 * written in atomic batches, each with the id of the last conversation it
 * finished, so a start that stops midway goes on where it stopped and never
 * counts a conversation twice.
 *
 * Version 2 added the channel scopes and the "by_agent" family: a store
 * already at version 1 has only those counted (the others hold already).
 *
 *   ["schema", "metrics"]          -> 2 once the counters hold every conversation
 *   ["schema", "metrics_backfill"] -> conversationId (the last one counted, while under way)
 */
import { keys } from "../keys.ts";
import { conversationsWithLogs } from "./conversations_after.ts";
import { eventsOfHistory, sumsOf } from "./metrics.ts";

const VERSION = 2;
/** The scopes version 2 added: what a store at version 1 still lacks. */
const addedInV2 = (key: Deno.KvKey) =>
  String(key[1]).startsWith("by_agent") || String(key[1]).includes("channel:");
/** Counter additions per atomic batch (Deno KV allows 1000 mutations). */
const BATCH = 800;

/**
 * Counts every stored conversation into the metrics, once per store (later
 * calls return 0 at once). Returns how many conversations it counted.
 */
export async function backfillMetrics(kv: Deno.Kv): Promise<number> {
  const had = (await kv.get<number>(keys.metricsVersion())).value;
  if (had === VERSION) return 0;
  const wanted = had === 1 ? addedInV2 : () => true;
  const cursor = (await kv.get<string>(keys.metricsBackfillCursor())).value;
  let pending = new Map<string, [Deno.KvKey, bigint]>();
  let lastId: string | null = null;
  let counted = 0;
  const flush = async (done: boolean) => {
    const op = kv.atomic();
    for (const [key, n] of pending.values()) op.sum(key, n);
    if (lastId) op.set(keys.metricsBackfillCursor(), lastId);
    if (done) op.set(keys.metricsVersion(), VERSION).delete(keys.metricsBackfillCursor());
    const result = await op.commit();
    if (!result.ok) throw new Error("metrics backfill: a batch did not commit");
    pending = new Map();
  };
  for await (const { conv, log } of conversationsWithLogs(kv, cursor)) {
    const sums = sumsOf(eventsOfHistory(conv, log));
    if (pending.size > 0 && pending.size + sums.size > BATCH) await flush(false);
    for (const [id, [key, n]] of sums) {
      if (!wanted(key)) continue;
      const had = pending.get(id);
      pending.set(id, [key, (had ? had[1] : 0n) + n]);
    }
    lastId = conv.id;
    counted++;
  }
  await flush(true);
  return counted;
}
