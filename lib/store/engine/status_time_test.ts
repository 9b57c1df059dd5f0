/** Time in status: kept by the status change's own commit, split by UTC day, read per agent. */
import assert from "node:assert/strict";
import type { Presence } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";
import { setAgentStatus } from "./presence.ts";
import { MAX_DAYS, readStatusTimes, splitByDay } from "./status_time.ts";
import { randomAgent, withKv } from "./test_util.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

Deno.test("[status time] a span is split at UTC midnights, and capped", () => {
  const day = Date.UTC(2026, 10, 3);
  assert.deepEqual(splitByDay(day - 2 * HOUR, day + 3 * HOUR), [[day - DAY, 2 * HOUR], [
    day,
    3 * HOUR,
  ]]);
  assert.deepEqual(splitByDay(day + HOUR, day + HOUR), []);
  const long = splitByDay(day - 400 * DAY, day);
  assert.equal(long.length, MAX_DAYS);
  assert.equal(long.reduce((a, [, ms]) => a + ms, 0), MAX_DAYS * DAY);
});

Deno.test("[status time] each change adds the time in the status it leaves; the current status counts at read", async () => {
  await withKv(async (kv, engine) => {
    const agent = await randomAgent(kv);
    const other = await randomAgent(kv);
    await setAgentStatus(engine, agent.id, "online");
    // As if the agent went Online 26 hours ago (yesterday and today, UTC).
    const now = Date.now();
    const since = now - 26 * HOUR;
    const p = (await kv.get<Presence>(keys.presence(agent.id))).value!;
    await kv.set(keys.presence(agent.id), { ...p, changedAt: new Date(since).toISOString() });
    await setAgentStatus(engine, agent.id, "busy");
    const after = Date.now();

    const today = Math.floor(after / DAY) * DAY;
    const from = Math.floor(since / DAY) * DAY;
    const times = await readStatusTimes(kv, from, today + DAY, [], after);
    const online = times.get(agent.id)!.online;
    assert.ok(online >= 26 * HOUR && online <= 26 * HOUR + (after - now), String(online));
    assert.equal(times.get(agent.id)!.busy, 0, "Busy is still going on: nothing stored yet");
    assert.equal(times.get(other.id), undefined, "an agent who never changed status has none");

    // Only today: the part of the Online span after midnight.
    const todayOnly = await readStatusTimes(kv, today, today + DAY, [], after);
    assert.ok(todayOnly.get(agent.id)!.online < online);

    // The current status, from the presence record, is added up to "now".
    const presence = (await kv.get<Presence>(keys.presence(agent.id))).value!;
    assert.equal(presence.status, "busy");
    const live = await readStatusTimes(kv, today, today + DAY, [presence], after + 60_000);
    assert.ok(live.get(agent.id)!.busy >= 60_000);

    // Same status again records nothing.
    await setAgentStatus(engine, agent.id, "busy");
    const again = await readStatusTimes(kv, from, today + DAY, [], Date.now());
    assert.equal(again.get(agent.id)!.busy, 0);
  });
});
