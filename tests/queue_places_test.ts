/**
 * The queue places under races (issue 16, item 5): arrivals and pickups on two
 * engine instances at once, then the places from the store, from the one read
 * the live watch uses, and what live watchers were last told, all against the
 * rule worked out from the records alone.
 */
import assert from "node:assert/strict";
import type { Conversation } from "../lib/domain/engine_types.ts";
import type { QueueStanding } from "../lib/domain/queue_place.ts";
import { keys } from "../lib/store/keys.ts";
import { Engine } from "../lib/store/engine/engine.ts";
import { pickupConversation, setAgentStatus } from "../lib/store/engine/mod.ts";
import {
  readPickupStats,
  readQueuePlace,
  readQueueStanding,
} from "../lib/store/engine/queue_standing.ts";
import { customerSays, randomAgent, withKv } from "../lib/store/engine/test_util.ts";
import { AppError } from "../lib/errors.ts";
import { Realtime } from "../lib/realtime/realtime.ts";

const TEAMS = [null, "billing", "support"] as const;

/** Every stored conversation. */
async function allConversations(kv: Deno.Kv): Promise<Conversation[]> {
  const out: Conversation[] = [];
  for await (const e of kv.list<Conversation>({ prefix: ["conversations"] })) out.push(e.value);
  return out;
}

/**
 * The places the rule gives, worked out from the conversation records alone
 * (not from the queue index): a team's chat counts the Pending chats ahead in
 * its team and without a team; a chat without a team counts all ahead.
 */
function expectedPlaces(convs: Conversation[]): Map<string, number> {
  const pending = convs.filter((c) => c.status === "pending")
    .sort((a, b) => a.queueRank! - b.queueRank! || (a.id < b.id ? -1 : 1));
  const out = new Map<string, number>();
  pending.forEach((c, i) => {
    const ahead = pending.slice(0, i).filter((d) =>
      c.teamId === null || d.teamId === null || d.teamId === c.teamId
    );
    out.set(c.id, ahead.length + 1);
  });
  return out;
}

Deno.test("[queue] places stay right under racing arrivals and pickups on two instances; live watchers end where the store is", async () => {
  await withKv(async (kv, engine) => {
    const other = new Engine(kv); // a second instance on the same store
    const boss = await randomAgent(kv, "supervisor");
    await setAgentStatus(engine, boss.id, "busy");
    const realtime = new Realtime(engine, { heartbeat: async () => {} });
    await realtime.start();
    try {
      // A few chats wait already; visitors watch them live.
      const early = [];
      for (let i = 0; i < 6; i++) {
        early.push(
          (await customerSays(engine, `early ${i}`, undefined, { teamId: TEAMS[i % 3] }))
            .conversation,
        );
      }
      const seen = new Map<string, QueueStanding>();
      const stops = early.map((c) => realtime.queue.watch(c.id, (s) => seen.set(c.id, s)));

      // Race: 24 arrivals (three queues, both instances) against pickups of whatever waits.
      let picked = 0;
      const arrivals = Array.from(
        { length: 24 },
        (_, i) =>
          customerSays(i % 2 ? other : engine, `hello ${i}`, undefined, { teamId: TEAMS[i % 3] }),
      );
      const pickups = Array.from({ length: 12 }, async (_, i) => {
        for (let round = 0; round < 50; round++) {
          const queued = [];
          for await (const e of kv.list({ prefix: keys.queuePrefix() }, { limit: 5 })) {
            queued.push(String(e.key[2]));
          }
          const id = queued[i % Math.max(1, queued.length)];
          if (!id) {
            await new Promise((r) => setTimeout(r, 1));
            continue;
          }
          try {
            await pickupConversation(i % 2 ? other : engine, id, boss);
            picked++;
            return;
          } catch (err) {
            if (!(err instanceof AppError && err.code === "not_pending")) throw err;
          }
        }
      });
      await Promise.all([...arrivals, ...pickups]);
      assert.equal(picked, 12, "every pickup found a chat");

      const convs = await allConversations(kv);
      assert.equal(convs.length, 30);
      const expected = expectedPlaces(convs);
      assert.equal(expected.size, 18, "30 arrived, 12 picked up");
      // The queue index holds exactly the Pending chats, and each place follows the rule.
      for (const conv of convs) {
        assert.equal(
          await readQueuePlace(kv, conv),
          expected.get(conv.id) ?? null,
          `${conv.status} ${conv.teamId}`,
        );
      }
      // The one read of the whole queue (what the live watch uses) agrees with the one-by-one reads.
      await realtime.records.readQueue();
      assert.deepEqual(realtime.records.places!.places, expected);
      // Every live watcher ends on what the store says now (picked ones: not queued any more).
      for (const conv of early) {
        const now = await readQueueStanding(kv, conv);
        for (let i = 0; i < 200 && JSON.stringify(seen.get(conv.id)) !== JSON.stringify(now); i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.deepEqual(seen.get(conv.id), now, `watcher of ${conv.id}`);
      }
      assert.ok(
        early.some((c) => seen.get(c.id)?.queuePosition === null),
        "some watched chats were picked up and told so",
      );
      stops.forEach((stop) => stop());
      assert.equal(realtime.queue.watched, 0);
    } finally {
      await realtime.close();
    }
  });
});

Deno.test("[queue] pickup stats come from the engine's own counters, per queue", async () => {
  await withKv(async (kv, engine) => {
    const boss = await randomAgent(kv, "supervisor");
    await setAgentStatus(engine, boss.id, "busy");
    const before = await readPickupStats(kv, "billing");
    assert.equal(before.pickedUp, 0);
    for (let i = 0; i < 3; i++) {
      const { conversation } = await customerSays(engine, "hi", undefined, { teamId: "billing" });
      await pickupConversation(engine, conversation.id, boss);
    }
    const { conversation: waiting } = await customerSays(engine, "me too", undefined, {
      teamId: "billing",
    });
    const billing = await readPickupStats(kv, "billing");
    assert.equal(billing.pickedUp, 3);
    assert.ok(billing.windowMs >= 3_600_000 && billing.windowMs <= 7_200_000, "one to two hours");
    assert.equal((await readPickupStats(kv, "support")).pickedUp, 0, "another team's queue");
    assert.equal((await readPickupStats(kv, null)).pickedUp, 3, "the workspace's, for no team");
    const standing = await readQueueStanding(kv, waiting);
    assert.equal(standing.queuePosition, 1);
    assert.ok(standing.estimatedWaitSeconds !== null && standing.estimatedWaitSeconds >= 1);
    const { conversation: elsewhere } = await customerSays(engine, "hm", undefined, {
      teamId: "support",
    });
    assert.deepEqual(
      await readQueueStanding(kv, elsewhere),
      { queuePosition: 1, estimatedWaitSeconds: null },
      "no pickups in that queue yet: the place alone",
    );
  });
});
