/**
 * Reads behind a waiting visitor's place and estimated wait (rules in
 * lib/domain/queue_place.ts): the Pending queue in order (`["queue", rank,
 * id] -> teamId`, kept by writeConversation in every commit, so it is ordered
 * by arrival, requeued chats first) and the recent pickups from the metrics
 * counters (./metrics.ts), which the engine already writes in each commit.
 *
 * Cost: one place is a list of the queue up to that chat; every waiting
 * chat's place at once is one list of the queue (the real-time layer does it
 * once per instance after a batch that moved the queue, shared by every
 * visitor: lib/realtime/queue_watch.ts). Pickup stats are two hour buckets
 * of one scope. Nothing here runs per message.
 */
import type { Conversation } from "../../domain/engine_types.ts";
import {
  NOT_QUEUED,
  type PickupStats,
  type QueueEntry,
  queuePlaces,
  type QueueStanding,
  standingAt,
} from "../../domain/queue_place.ts";
import { keys } from "../keys.ts";
import { bucketStart, GRAIN_MS } from "./metrics.ts";
import { readMetrics, totalOf } from "./metrics_read.ts";

/** Reading stops here (a queue this long is its own alarm; places beyond are not given). */
export const MAX_QUEUE_READ = 10_000;

/** The queue, front first, up to `limit` entries (and up to `end`, exclusive, when given). */
export async function readQueue(
  kv: Deno.Kv,
  opts: { end?: Deno.KvKey; limit?: number } = {},
): Promise<QueueEntry[]> {
  const out: QueueEntry[] = [];
  const selector = opts.end
    ? { start: keys.queuePrefix(), end: opts.end }
    : { prefix: keys.queuePrefix() };
  for await (
    const entry of kv.list<string | null>(selector, {
      limit: opts.limit ?? MAX_QUEUE_READ,
      batchSize: 500,
    })
  ) {
    out.push({ conversationId: String(entry.key[2]), teamId: entry.value ?? null });
  }
  return out;
}

/** The metrics scope whose pickups a queue's wait is estimated from. */
export const pickupScope = (teamId: string | null): string => teamId ? `team:${teamId}` : "all";

/**
 * The pickups of a queue (its team's, or the workspace's for everyone's queue)
 * in the current and the previous UTC hour: a window of 60 to 120 minutes.
 */
export async function readPickupStats(
  kv: Deno.Kv,
  teamId: string | null,
  now = Date.now(),
): Promise<PickupStats> {
  const from = bucketStart(now - GRAIN_MS.h, "h");
  const total = totalOf(await readMetrics(kv, pickupScope(teamId), "h", from, now + 1));
  return {
    pickedUp: total.counters.picked_up,
    pickupMs: total.counters.pickup_ms,
    windowMs: now - from,
  };
}

/**
 * One conversation's place (null when it is not queued), from the queue up to
 * it. An offline message has none to show: its customer was told the team is
 * away and will be answered by email (lib/channels/offline_messages.ts).
 */
export async function readQueuePlace(kv: Deno.Kv, conv: Conversation): Promise<number | null> {
  if (conv.status !== "pending" || conv.queueRank === null || conv.offlineMessage) return null;
  const own = keys.queueEntry(conv.queueRank, conv.id);
  const ahead = await readQueue(kv, { end: own });
  if (!(await kv.get(own)).versionstamp) return null;
  ahead.push({ conversationId: conv.id, teamId: conv.teamId });
  return queuePlaces(ahead).get(conv.id) ?? null;
}

/** The conversation's place and estimated wait, as a waiting visitor is shown them. */
export async function readQueueStanding(
  kv: Deno.Kv,
  conv: Conversation,
  now = Date.now(),
): Promise<QueueStanding> {
  const place = await readQueuePlace(kv, conv);
  if (place === null) return NOT_QUEUED;
  return standingAt(place, await readPickupStats(kv, conv.teamId, now));
}
