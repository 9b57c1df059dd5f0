/**
 * Reports benchmark (`deno task bench:reports`): how long the server takes to
 * render the live dashboard (`/supervise`) and a 30-day report
 * (`/supervise/reports`, all teams and agents), with 10,000 and then 100,000
 * closed conversations in the store, beside `/healthz` (the same server's
 * floor) measured in the same run. The cost should not grow with the number
 * of conversations: reports read counters (O(days + hours + agents × days)),
 * the dashboard reads the open chats and today's bucket.
 *
 * The store is seeded fast but with the engine's own shapes: 12 agents in two
 * teams (with status changes), conversation records spread over 30 days with
 * their closed-index entries and contacts, and their counters from the very
 * function the backfill uses (eventsOfHistory → sumsOf), so the figures are
 * what the engine would have counted; plus 20 chats waiting and 30 Active
 * through the engine itself.
 *
 * Options: `--runs N` (default 40), `--sizes 10000,100000`, `--file` (a temp KV file instead
 * of `:memory:`; seeding 100,000 then takes minutes).
 */
import { loadConfig } from "../fresh.config.ts";
import { startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { type Agent, createAgent } from "../lib/store/agents.ts";
import { createSession, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { keys } from "../lib/store/keys.ts";
import type { Conversation, Message } from "../lib/domain/engine_types.ts";
import { eventsOfHistory, sumsOf } from "../lib/store/engine/metrics.ts";
import { statusIndexKey } from "../lib/store/engine/status_index.ts";
import { receiveCustomerMessage } from "../lib/store/engine/customer.ts";
import { pickupConversation } from "../lib/store/engine/assignment.ts";
import { setAgentStatus } from "../lib/store/engine/presence.ts";
import { updateSettings } from "../lib/store/engine/settings.ts";
import { createTeam } from "../lib/store/teams.ts";
import { arg } from "./common.ts";
import process from "node:process";

const RUNS = arg("runs", 40);
const sizesArg = Deno.args.indexOf("--sizes");
const SIZES = sizesArg >= 0 ? Deno.args[sizesArg + 1].split(",").map(Number) : [10_000, 100_000];
const DAY = 86_400_000;
/** `--file`: a KV file in a temp folder instead of `:memory:` (slower to seed). */
const FILE = Deno.args.includes("--file");

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95) };
}

/**
 * Wall time per request (p50, p95) and CPU time per request: this process's user + system CPU
 * (server and client are both in it) over the runs, divided by the runs. On a shared, busy
 * machine the wall times wait for the CPU; the CPU time does not.
 */
async function timeGet(url: string, cookie: string | null) {
  const ms: number[] = [];
  let cpu0 = 0;
  for (let i = 0; i < RUNS + 5; i++) {
    if (i === 5) cpu0 = cpuMs();
    const t0 = performance.now();
    const res = await fetch(url, { headers: cookie ? { cookie } : {} });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    if (i >= 5) ms.push(performance.now() - t0);
  }
  return { ...stats(ms), cpu: (cpuMs() - cpu0) / RUNS };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A small seeded random source (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` closed conversations over the 30 days before `endMs`, with their counters. */
async function seedClosed(kv: Deno.Kv, agents: Agent[], n: number, endMs: number) {
  const rnd = random(n);
  const iso = (ms: number) => new Date(ms).toISOString();
  // Records go in batches of 900 writes; counters are merged in memory over a window of
  // chats (sums of one hour bucket add up) and written in batches of 900 as the window fills.
  let op = kv.atomic();
  let mutations = 0;
  const sums = new Map<string, [Deno.KvKey, bigint]>();
  const commit = async (o: Deno.AtomicOperation) => {
    if (!(await o.commit()).ok) throw new Error("seed batch did not commit");
  };
  const flushSums = async () => {
    let batch = kv.atomic();
    let k = 0;
    for (const [key, v] of sums.values()) {
      batch.sum(key, v);
      if (++k % 900 === 0) {
        await commit(batch);
        batch = kv.atomic();
      }
    }
    await commit(batch);
    sums.clear();
  };
  for (let i = 0; i < n; i++) {
    const created = endMs - 30 * DAY + Math.floor((i / n) * 30 * DAY);
    const agent = agents[Math.floor(rnd() * agents.length)];
    const abandoned = rnd() < 0.08;
    const pickedUp = created + 5_000 + Math.floor(rnd() * 300_000);
    const replied = pickedUp + 2_000 + Math.floor(rnd() * 120_000);
    const closed = (abandoned ? created : replied) + 60_000 + Math.floor(rnd() * 1_800_000);
    const id = `bench-${String(i).padStart(7, "0")}`;
    const contactId = `bench-contact-${i}`;
    const channel = rnd() < 0.7 ? "webchat" as const : "whatsapp" as const;
    const conv: Conversation = {
      id,
      channel,
      contactId,
      status: "closed",
      assigneeId: abandoned ? null : agent.id,
      teamId: agent.teamId,
      context: { plan: "pro" },
      wrapUp: { notes: "Sorted out", tags: ["billing"], closedBy: agent.id, closedAt: iso(closed) },
      createdAt: iso(created),
      assignedAt: abandoned ? null : iso(pickedUp),
      pickedUpAt: abandoned ? null : iso(pickedUp),
      pickedUpBy: abandoned ? null : agent.id,
      firstAgentReplyAt: abandoned ? null : iso(replied),
      assigneeRepliedAt: abandoned ? null : iso(replied),
      closedAt: iso(closed),
      lastActivityAt: iso(closed),
      lastSeq: abandoned ? 2 : 4,
      customerCount: 1,
      lastMessage: { seq: 1, authorType: "customer", text: "Hello", at: iso(created) },
      queueRank: null,
      skipAgentId: null,
      openQuestionSeq: null,
    };
    const msg = (seq: number, at: number, m: Partial<Message>): Message => ({
      id: `${id}-${seq}`,
      conversationId: id,
      seq,
      type: "message",
      kind: "text",
      author: { type: "customer", id: contactId },
      text: "",
      createdAt: iso(at),
      clientId: null,
      ...m,
    } as Message);
    const log = abandoned ? [msg(1, created, { text: "Hello" })] : [
      msg(1, created, { text: "Hello" }),
      msg(2, pickedUp, { type: "event", kind: "assigned", author: { type: "system" } }),
      msg(3, replied, { text: "Hi!", author: { type: "agent", id: agent.id } }),
    ];
    op.set(keys.conversation(id), conv).set(statusIndexKey(conv), true)
      .set(keys.contact(contactId), {
        id: contactId,
        name: `Customer ${i}`,
        email: null,
        phone: null,
        webVisitorId: channel === "webchat" ? `v-${i}` : null,
        whatsappId: channel === "whatsapp" ? `${5500000000 + i}` : null,
        createdAt: iso(created),
        updatedAt: iso(created),
      });
    mutations += 3;
    if (mutations >= 900) {
      await commit(op);
      op = kv.atomic();
      mutations = 0;
    }
    for (const [k, [key, v]] of sumsOf(eventsOfHistory(conv, log))) {
      const had = sums.get(k);
      sums.set(k, [key, (had ? had[1] : 0n) + v]);
    }
    if (sums.size > 60_000) await flushSums();
  }
  await commit(op);
  await flushSums();
}

async function measure(size: number) {
  const dir = FILE ? await Deno.makeTempDir({ prefix: "parley-reports-bench-" }) : null;
  const path = dir ? `${dir}/bench.kv` : ":memory:";
  const kv = await Deno.openKv(path);
  // Started first, on the empty store, as a real install is: its once-at-start upgrades (the
  // metrics backfill among them) find nothing to do and mark the store, so the seeded records
  // are not counted a second time.
  const config = loadConfig({ KV_PATH: path, PORT: "0", HOST: "127.0.0.1" });
  const server = await startServer(config, routeTable, { kv, log: () => {} });
  const engine = server.deps.engine;
  const t0 = performance.now();
  const actor = { id: "bench", name: "Benchmark" };
  const teams = [
    await createTeam(engine, { name: "Billing" }, actor),
    await createTeam(engine, { name: "Support" }, actor),
  ];
  const agents: Agent[] = [];
  for (let i = 0; i < 12; i++) {
    agents.push(
      await createAgent(kv, {
        name: `Agent ${i}`,
        email: `agent${i}@bench.test`,
        password: "bench-password",
        role: "agent",
        maxChats: 5,
        teamId: teams[i % 2].id,
      }, 1000),
    );
  }
  const boss = await createAgent(kv, {
    name: "Boss",
    email: "boss@bench.test",
    password: "bench-password",
    role: "supervisor",
    maxChats: null,
    teamId: null,
  }, 1000);
  await updateSettings(engine, { dynamicAssignment: false });
  for (const a of agents) {
    await setAgentStatus(engine, a.id, "busy");
    await setAgentStatus(engine, a.id, "online");
  }
  const now = Date.now();
  await seedClosed(kv, agents, size, now - 60_000);
  // Seeding takes longer than the heartbeat grace: the sweep took them Offline; back Online.
  for (const a of agents) await setAgentStatus(engine, a.id, "online");
  for (let i = 0; i < 50; i++) {
    const { conversation } = await receiveCustomerMessage(engine, {
      channel: "webchat",
      contact: { webVisitorId: `open-${i}` },
      clientId: crypto.randomUUID(),
      text: "Hello?",
      teamId: teams[i % 2].id,
    });
    if (i >= 20) await pickupConversation(engine, conversation.id, agents[i % agents.length]);
  }
  const seeded = performance.now() - t0;
  const token = await createSession(kv, boss.id, 3_600_000);
  const cookie = `${SESSION_COOKIE}=${token}`;
  try {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const report = `/supervise/reports?from=${day(now - 29 * DAY)}&to=${day(now)}`;
    const health = await timeGet(`${server.url}/healthz`, null);
    const dashboard = await timeGet(`${server.url}/supervise`, cookie);
    const month = await timeGet(`${server.url}${report}`, cookie);
    const json = await timeGet(`${server.url}/api/v1/supervision/dashboard`, cookie);
    return { size, seeded, health, dashboard, month, json };
  } finally {
    await server.shutdown();
    kv.close();
    if (dir) await Deno.remove(dir, { recursive: true });
  }
}

const f = (n: number) => n.toFixed(1).padStart(6);
const cell = (r: { p50: number; p95: number; cpu: number }) =>
  `${f(r.p50)} /${f(r.p95)} /${f(r.cpu)}`;
console.log(
  `runs per figure: ${RUNS} (after 5 warm-up); ms per request: wall p50 / wall p95 / CPU`,
);
console.log(
  "closed chats  seeded in   /healthz (floor)     /supervise           dashboard JSON       30-day report",
);
const rows = [];
for (const size of SIZES) {
  const r = await measure(size);
  rows.push(r);
  console.log(
    `${String(size).padStart(12)}  ${(r.seeded / 1000).toFixed(1).padStart(6)} s  ${
      cell(r.health)
    }  ${cell(r.dashboard)}  ${cell(r.json)}  ${cell(r.month)}`,
  );
}
if (rows.length >= 2) {
  const [a, b] = [rows[0], rows[rows.length - 1]];
  const x = (k: "dashboard" | "month", m: "p50" | "cpu") => (b[k][m] / a[k][m]).toFixed(2);
  console.log(
    `growth ${a.size} → ${b.size}: dashboard ×${x("dashboard", "p50")} wall, ×${
      x("dashboard", "cpu")
    } CPU; 30-day report ×${x("month", "p50")} wall, ×${x("month", "cpu")} CPU ` +
      "(target: ≤ 50 ms, and flat)",
  );
}
