/**
 * The conversations-by-status index:
 *
 *   ["conversations_by_status", status, sinceMs, conversationId] -> true
 *
 * `sinceMs` is when the conversation entered its status: Pending by arrival
 * (createdAt), Active since assigned (assignedAt), Closed since closed
 * (closedAt). It stays put while the status lasts, so a message does not move
 * the entry (it did when the index was ordered by last activity: two more
 * writes in every message's commit). Lists page in this order and sort each
 * page by last activity (lib/store/engine/queries.ts).
 *
 * {@link upgradeStatusIndex} moves entries a store kept in the old order
 * (by last activity) once; `startServer` runs it before serving.
 */
import type { Conversation } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";

/** When the conversation entered its status (ms), as the index orders it. */
export function statusSinceMs(c: Conversation): number {
  const at = c.status === "closed"
    ? c.closedAt
    : c.status === "active"
    ? c.assignedAt
    : c.createdAt;
  return Date.parse(at ?? c.createdAt);
}

/** The conversation's entry in the status index. */
export function statusIndexKey(c: Conversation): Deno.KvKey {
  return keys.conversationByStatus(c.status, statusSinceMs(c), c.id);
}

const VERSION = 2;
const sameKey = (a: Deno.KvKey, b: Deno.KvKey) =>
  a.length === b.length && a.every((part, i) => part === b[i]);

/**
 * Puts every entry of the status index where its conversation's record says
 * (once per store; later calls return at once). Safe beside running
 * instances: each move checks the record it is based on and is redone when
 * the record changed. Returns how many entries moved or went.
 */
export async function upgradeStatusIndex(kv: Deno.Kv): Promise<number> {
  if ((await kv.get<number>(keys.statusIndexVersion())).value === VERSION) return 0;
  let fixed = 0;
  const entries: Deno.KvKey[] = [];
  for await (const entry of kv.list({ prefix: ["conversations_by_status"] })) {
    entries.push(entry.key);
  }
  for (const key of entries) {
    const id = key[3] as string;
    for (let attempt = 0; attempt < 20; attempt++) {
      const record = await kv.get<Conversation>(keys.conversation(id));
      const expected = record.value ? statusIndexKey(record.value) : null;
      if (expected && sameKey(expected, key)) break;
      const op = kv.atomic().check(record).delete(key);
      if (expected) op.set(expected, true);
      if ((await op.commit()).ok) {
        fixed++;
        break;
      }
    }
  }
  await kv.set(keys.statusIndexVersion(), VERSION);
  return fixed;
}
