/**
 * The metrics counters against the truth: a generated month of conversations
 * run through the real engine functions (on a fake clock, so they spread over
 * hours and days), with the generator keeping its own ledger of what
 * happened; every counter and histogram bin the engine kept must equal the
 * ledger's, and the backfill, rebuilding from the raw records alone, must
 * reach the same figures. METRICS_N sets the number of conversations.
 */
import assert from "node:assert/strict";
import type { Agent } from "../agents.ts";
import { keys } from "../keys.ts";
import {
  appendStaffMessage,
  closeConversation,
  pickupConversation,
  setAgentStatus,
  transferConversation,
  transferToQueue,
  updateSettings,
} from "./mod.ts";
import { BIN_EDGES_S, binOf, bucketStart, type Grain } from "./metrics.ts";
import { backfillMetrics } from "./metrics_backfill.ts";
import { percentileSeconds, readMetrics, totalOf } from "./metrics_read.ts";
import { Engine } from "./engine.ts";
import { customerSays, randomAgent, withKv } from "./test_util.ts";
import { addSurveyScore, answerSurvey } from "./survey.ts";

const RealDate = Date;
let fakeNow = 0;
/** Replaces Date so `new Date()` and `Date.now()` read `fakeNow`; returns the restore. */
function useFakeClock(startMs: number): () => void {
  fakeNow = startMs;
  class FakeDate extends RealDate {
    constructor(...args: unknown[]) {
      super(args.length === 0 ? fakeNow : args[0] as string);
    }
    static override now() {
      return fakeNow;
    }
  }
  globalThis.Date = FakeDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
  };
}

/** A small seeded random source (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The figures the ledger expects, keyed like the store: JSON of the key → count. */
class Ledger {
  readonly figures = new Map<string, number>();
  readonly durations = {
    pickup: [] as number[],
    first_response: [] as number[],
    handle: [] as number[],
  };

  #add(key: Deno.KvKey, n: number) {
    if (n <= 0) return;
    const id = JSON.stringify(key);
    this.figures.set(id, (this.figures.get(id) ?? 0) + n);
  }

  /** Adds `n` to one counter, in every scope, grain and family `count` adds 1 to (score sums). */
  sum(at: number, team: string | null, agent: string | null, counter: string, n: number) {
    for (let i = 0; i < n; i++) this.count(at, team, agent, counter);
  }

  count(
    at: number,
    team: string | null,
    agent: string | null,
    counter: string,
    timed?: { total: string; histogram: keyof Ledger["durations"]; ms: number },
  ) {
    const narrow = [...team ? [`team:${team}`] : [], ...agent ? [`agent:${agent}`] : []];
    // Every conversation here is a web chat: each scope again narrowed to that channel.
    const scopes = [
      "all",
      ...narrow,
      ...narrow.map((s) => `${s}/channel:webchat`),
      "channel:webchat",
    ];
    if (timed) this.durations[timed.histogram].push(timed.ms);
    if (agent) {
      for (const family of ["by_agent", "by_agent/channel:webchat"]) {
        const day = bucketStart(at, "d");
        this.#add(["metrics", family, "d", day, agent, counter], 1);
        if (timed) this.#add(["metrics", family, "d", day, agent, timed.total], timed.ms);
      }
    }
    for (const scope of scopes) {
      for (const grain of ["h", "d"] as Grain[]) {
        const b = bucketStart(at, grain);
        this.#add(["metrics", scope, grain, b, counter], 1);
        if (timed) {
          this.#add(["metrics", scope, grain, b, timed.total], timed.ms);
          this.#add(["metrics", scope, grain, b, timed.histogram, binOf(timed.ms)], 1);
        }
      }
    }
  }
}

async function storedFigures(kv: Deno.Kv): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const e of kv.list<Deno.KvU64>({ prefix: ["metrics"] })) {
    out.set(JSON.stringify(e.key), Number(e.value.value));
  }
  return out;
}

const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => a < b ? -1 : 1);

Deno.test("[metrics] bins, buckets and percentiles", () => {
  assert.equal(binOf(0), 0);
  assert.equal(binOf(4_999), 0);
  assert.equal(binOf(5_000), 1);
  assert.equal(binOf(86_399_999), BIN_EDGES_S.length - 1);
  assert.equal(binOf(86_400_000), BIN_EDGES_S.length);
  const t = Date.UTC(2026, 9, 3, 17, 42, 5);
  assert.equal(bucketStart(t, "h"), Date.UTC(2026, 9, 3, 17));
  assert.equal(bucketStart(t, "d"), Date.UTC(2026, 9, 3));
  const bins = new Array(BIN_EDGES_S.length + 1).fill(0);
  assert.equal(percentileSeconds(bins, 0.5), null);
  bins[0] = 5; // 5 under 5 s
  bins[3] = 4; // 4 in [20 s, 30 s)
  bins[BIN_EDGES_S.length] = 1; // one over a day
  assert.equal(percentileSeconds(bins, 0.5), 5);
  assert.equal(percentileSeconds(bins, 0.9), 30);
  assert.equal(percentileSeconds(bins, 1), Infinity);
});

Deno.test("[metrics] a generated month: every counter equals the ledger, and the backfill from raw records agrees", async () => {
  const n = Number(Deno.env.get("METRICS_N") ?? "600");
  const rnd = random(17);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const start = Date.UTC(2026, 9, 1);
  const restore = useFakeClock(start);
  try {
    await withKv(async (kv, engine) => {
      await updateSettings(engine, {
        dynamicAssignment: false,
        maxChatsPerAgent: 100,
        maxTransfersPerAgent: 0,
        requeueOnOffline: false,
        surveyMode: "csat_nps",
        surveyComment: true,
        surveyWindowDays: 7,
      });
      const teams = ["team-sales", "team-support"];
      const members = new Map<string, Agent[]>();
      for (const team of teams) {
        members.set(team, [
          await randomAgent(kv, "agent", { teamId: team, maxChats: 100 }),
          await randomAgent(kv, "agent", { teamId: team, maxChats: 100 }),
        ]);
      }
      const boss = await randomAgent(kv, "supervisor");
      const everyone = [...members.values()].flat();
      for (const a of [...everyone, boss]) await setAgentStatus(engine, a.id, "online");
      const beat = async (a: Agent) => await kv.set(keys.heartbeat(a.id), Date.now());
      const later = (maxMs: number) => fakeNow += 1 + Math.floor(rnd() * maxMs);
      const ledger = new Ledger();
      const span = 30 * 86_400_000;
      const gap = span / n;

      for (let i = 0; i < n; i++) {
        later(gap);
        const initialTeam = rnd() < 0.2 ? null : pick(teams);
        let team = initialTeam;
        const conv = (await customerSays(engine, `hello ${i}`, `v-${i}`, { teamId: team }))
          .conversation;
        const createdAt = fakeNow;
        ledger.count(createdAt, team, null, "created");
        later(rnd() < 0.8 ? 120_000 : 3_600_000); // waiting in the queue
        if (rnd() < 0.1) {
          await beat(boss);
          await closeConversation(engine, conv.id, boss, { notes: "left before anyone came" });
          ledger.count(fakeNow, team, null, "closed");
          ledger.count(fakeNow, team, null, "abandoned");
          continue;
        }
        let holder = team && rnd() < 0.9 ? pick(members.get(team)!) : boss;
        await beat(holder);
        await pickupConversation(engine, conv.id, holder);
        const pickedUpAt = fakeNow;
        ledger.count(pickedUpAt, team, holder.id, "picked_up", {
          total: "pickup_ms",
          histogram: "pickup",
          ms: pickedUpAt - createdAt,
        });
        let replied = false;
        const reply = async (by: Agent) => {
          await beat(by);
          await appendStaffMessage(engine, conv.id, by, {
            text: "On it",
            clientId: crypto.randomUUID(),
          });
          if (!replied) {
            ledger.count(fakeNow, team, by.id, "first_responses", {
              total: "first_response_ms",
              histogram: "first_response",
              ms: fakeNow - createdAt,
            });
            replied = true;
          }
        };
        if (rnd() < 0.2) {
          later(60_000);
          await beat(holder);
          await appendStaffMessage(engine, conv.id, holder, {
            text: "a note for the team",
            clientId: crypto.randomUUID(),
            internal: true,
          });
        }
        if (rnd() < 0.85) {
          later(rnd() < 0.7 ? 90_000 : 1_800_000);
          await reply(holder);
        }
        let pending = false;
        const roll = rnd();
        if (roll < 0.15) {
          later(600_000);
          const to = pick(everyone.filter((a) => a.id !== holder.id));
          await beat(holder);
          await beat(to);
          await transferConversation(engine, conv.id, holder, { toAgentId: to.id });
          ledger.count(fakeNow, team, holder.id, "transferred");
          holder = to;
          if (rnd() < 0.5) {
            later(300_000);
            await reply(holder);
          }
        } else if (roll < 0.25) {
          later(600_000);
          const toTeam = pick(teams);
          await beat(holder);
          await transferToQueue(engine, conv.id, holder, { toTeamId: toTeam });
          ledger.count(fakeNow, team, holder.id, "transferred");
          team = toTeam;
          pending = true;
          if (rnd() < 0.8) {
            later(900_000);
            const next = pick(members.get(team)!);
            await beat(next);
            await pickupConversation(engine, conv.id, next); // a pickup again: not a first one
            holder = next;
            pending = false;
            if (rnd() < 0.5) {
              later(300_000);
              await reply(holder);
            }
          }
        }
        if (i > n - 10 && rnd() < 0.5) continue; // a few stay open at the end of the month
        later(rnd() < 0.5 ? 1_200_000 : 7_200_000);
        const closer = pending ? boss : holder;
        await beat(closer);
        await closeConversation(engine, conv.id, closer, { notes: "done", tags: ["ok"] });
        const closedBy = pending ? null : holder.id;
        ledger.count(fakeNow, team, closedBy, "closed");
        ledger.count(fakeNow, team, closedBy, "handled", {
          total: "handle_ms",
          histogram: "handle",
          ms: fakeNow - pickedUpAt,
        });
        // The customer answers the survey (or not): a rating, often a score, counted when answered.
        const countScore = (at: number, score: number) => {
          ledger.count(at, team, closedBy, "nps_count");
          ledger.sum(at, team, closedBy, "nps_sum", score);
          ledger.count(
            at,
            team,
            closedBy,
            score >= 9 ? "nps_promoters" : score >= 7 ? "nps_passives" : "nps_detractors",
          );
        };
        if (rnd() < 0.6) {
          later(rnd() < 0.7 ? 300_000 : 2 * 86_400_000);
          const rating = rnd() < 0.7 ? "ok" : "ko";
          const nps = rnd() < 0.7 ? Math.floor(rnd() * 11) : null;
          await answerSurvey(engine, conv.id, { contactId: conv.contactId }, { rating, nps });
          ledger.count(fakeNow, team, closedBy, rating === "ok" ? "csat_ok" : "csat_ko");
          const answeredAt = fakeNow;
          if (nps === null && rnd() < 0.5) {
            // WhatsApp's second step: the score after the rating, counted at the answer's time.
            later(60_000);
            const late = Math.floor(rnd() * 11);
            await addSurveyScore(engine, conv.id, { contactId: conv.contactId }, late);
            countScore(answeredAt, late);
          } else if (nps !== null) countScore(answeredAt, nps);
        }
      }

      const live = await storedFigures(kv);
      assert.deepEqual(sorted(live), sorted(ledger.figures));
      assert.ok(fakeNow - start > 20 * 86_400_000, "the conversations spread over the month");

      // A report reads the same figures: the month's totals and percentiles for the workspace.
      const days = await readMetrics(kv, "all", "d", start, fakeNow + 1);
      const month = totalOf(days);
      const figure = (name: string) => {
        let sum = 0;
        for (const [k, v] of ledger.figures) {
          const key = JSON.parse(k);
          if (key[1] === "all" && key[2] === "d" && key[4] === name && key.length === 5) sum += v;
        }
        return sum;
      };
      assert.equal(month.counters.created, n);
      assert.ok(month.counters.csat_ok > 0 && month.counters.csat_ko > 0, "survey answers counted");
      assert.ok(month.counters.nps_count > 0 && month.counters.nps_sum > 0, "scores counted");
      for (const c of Object.keys(month.counters)) {
        assert.equal(month.counters[c as keyof typeof month.counters], figure(c), c);
      }
      for (const h of ["pickup", "first_response", "handle"] as const) {
        const ds = [...ledger.durations[h]].sort((a, b) => a - b);
        for (const p of [0.5, 0.9]) {
          const value = ds[Math.ceil(p * ds.length) - 1];
          const i = binOf(value);
          const expected = i < BIN_EDGES_S.length ? BIN_EDGES_S[i] : Infinity;
          assert.equal(percentileSeconds(month.bins[h], p), expected, `${h} p${p * 100}`);
        }
      }
      const hours = await readMetrics(kv, "all", "h", start, fakeNow + 1);
      assert.equal(totalOf(hours).counters.closed, month.counters.closed, "hours add up to days");

      // The backfill, from the records and logs alone, rebuilds the same figures.
      for await (const e of kv.list({ prefix: ["metrics"] })) await kv.delete(e.key);
      assert.equal(await backfillMetrics(kv), n);
      assert.deepEqual(sorted(await storedFigures(kv)), sorted(live));
      assert.equal(await backfillMetrics(kv), 0, "once per store");
      assert.deepEqual(sorted(await storedFigures(kv)), sorted(live), "and never twice");
    });
  } finally {
    restore();
  }
});

Deno.test("[metrics] racing first replies, grouped and from two instances, are each counted once", async () => {
  await withKv(async (kv, engine) => {
    const other = new Engine(kv); // a second instance on the same store
    await updateSettings(engine, { dynamicAssignment: false, maxChatsPerAgent: 100 });
    const agents = [
      await randomAgent(kv, "agent", { maxChats: 100 }),
      await randomAgent(kv, "agent", { maxChats: 100 }),
      await randomAgent(kv, "agent", { maxChats: 100 }),
    ];
    for (const a of agents) await setAgentStatus(engine, a.id, "online");
    const convs = [];
    for (let i = 0; i < 30; i++) convs.push((await customerSays(engine, `race ${i}`)).conversation);
    for (const [i, c] of convs.entries()) await pickupConversation(engine, c.id, agents[i % 3]);
    // Every chat gets two replies at once (only the first is a first response), half via each instance.
    await Promise.all(
      convs.flatMap((c, i) =>
        [0, 1].map((j) =>
          appendStaffMessage(j === 0 ? engine : other, c.id, agents[i % 3], {
            text: `reply ${j}`,
            clientId: crypto.randomUUID(),
          })
        )
      ),
    );
    const now = Date.now();
    const today = totalOf(await readMetrics(kv, "all", "d", now - 2 * 86_400_000, now + 1));
    assert.equal(today.counters.created, 30);
    assert.equal(today.counters.picked_up, 30);
    assert.equal(today.counters.first_responses, 30);
    assert.equal(today.bins.first_response.reduce((a, b) => a + b, 0), 30);
    for (const a of agents) {
      const mine = totalOf(
        await readMetrics(kv, `agent:${a.id}`, "h", now - 2 * 3_600_000, now + 1),
      );
      assert.equal(mine.counters.first_responses, 10, "each agent answered ten chats first");
    }
  });
});
