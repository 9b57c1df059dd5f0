import assert from "node:assert/strict";
import type { Conversation } from "../../domain/engine_types.ts";
import type { Agent } from "../agents.ts";
import { FRONT_OFFSET } from "../../domain/routing.ts";
import { keys } from "../keys.ts";
import {
  appendStaffMessage,
  closeConversation,
  getConversation,
  listMessagesForStaff,
  receiveCustomerMessage,
  runAssignment,
  setAgentStatus,
  transferConversation,
  updateSettings,
} from "./mod.ts";
import { allChanges, customerSays, randomAgent } from "./test_util.ts";
import { Engine } from "./engine.ts";
import { installSqliteBusyRetry } from "../sqlite_busy.ts";

// Two handles on one KV file, as two instances: retry "database is locked" as the server does.
installSqliteBusyRetry();

const MAX = 3;

/** Ids of the Active conversations. */
async function activeIds(kv: Deno.Kv): Promise<string[]> {
  const out: string[] = [];
  for await (const e of kv.list({ prefix: keys.conversationsByStatusPrefix("active") })) {
    out.push(e.key[3] as string);
  }
  return out;
}

/** Everyone Online, then close everything until the queue is empty. */
async function drain(engine: Engine, agents: Agent[], boss: Agent): Promise<void> {
  const { kv } = engine;
  await Promise.all(agents.map((a) => setAgentStatus(engine, a.id, "online")));
  for (let round = 0; round < 200; round++) {
    const active = await activeIds(kv);
    let queued = 0;
    for await (const _ of kv.list({ prefix: keys.queuePrefix() })) queued++;
    if (active.length === 0 && queued === 0) return;
    await Promise.all(active.map((id) => closeConversation(engine, id, boss, { notes: "done" })));
    await runAssignment(engine);
  }
  assert.fail("the queue never drained");
}

/**
 * Replays the change log in order, tracking each agent's running load, each
 * chat's holder and the queue; asserts at every step that automatic
 * assignment took the queue head and never put an agent above `max` (nor did
 * an agent's transfer to a colleague; `exempt` may hold more: a supervisor).
 */
async function replayChangeLog(kv: Deno.Kv, max: number, exempt: string) {
  const changes = await allChanges(kv);
  const convs = new Map<string, Conversation>();
  for await (const e of kv.list<Conversation>({ prefix: ["conversations"] })) {
    convs.set(e.value.id, e.value);
  }
  const load = new Map<string, number>();
  const holder = new Map<string, string>();
  const queue = new Map<string, number>(); // id -> rank
  let autoAssignments = 0;
  let requeues = 0;
  const rankOf = (id: string) => queue.get(id)!;
  const before = (a: string, b: string) =>
    rankOf(a) < rankOf(b) || (rankOf(a) === rankOf(b) && a < b);
  const add = (agentId: string, n: number) => {
    load.set(agentId, (load.get(agentId) ?? 0) + n);
    return load.get(agentId)!;
  };
  for (const ch of changes) {
    const id = ch.conversationId!;
    if (ch.type === "conversation.created") {
      queue.set(id, Date.parse(convs.get(id)!.createdAt));
    } else if (ch.type === "conversation.assigned") {
      assert.ok(queue.has(id), `assigned ${id} was not queued`);
      for (const other of queue.keys()) {
        assert.ok(other === id || before(id, other), "the queue head goes first");
      }
      queue.delete(id);
      assert.ok(!holder.has(id), "one assignee at a time");
      holder.set(id, ch.agentId!);
      const n = add(ch.agentId!, 1);
      assert.ok(n <= max, `agent held ${n} > ${max} chats after an automatic assignment`);
      autoAssignments++;
    } else if (ch.type === "conversation.transferred") {
      const from = ch.data!.fromAgentId as string;
      const to = ch.data!.toAgentId as string;
      assert.equal(holder.get(id), from, "a transfer moves the chat from its one holder");
      assert.equal(ch.data!.supervisor, false);
      add(from, -1);
      const n = add(to, 1);
      holder.set(id, to);
      if (to !== exempt) {
        assert.ok(n <= max, `an agent's transfer put ${n} > ${max} chats on a colleague`);
      }
    } else if (ch.type === "conversation.requeued") {
      assert.equal(holder.get(id), ch.agentId);
      holder.delete(id);
      add(ch.agentId!, -1);
      queue.set(id, Date.parse(convs.get(id)!.createdAt) - FRONT_OFFSET);
      requeues++;
    } else if (ch.type === "conversation.closed") {
      queue.delete(id);
      const h = holder.get(id);
      if (h) {
        add(h, -1);
        holder.delete(id);
      }
    }
  }
  return { autoAssignments, requeues, convs };
}

/** Every chat closed with seqs 1..n, every load record empty. */
async function assertAllClosedAndEmpty(
  kv: Deno.Kv,
  convs: Map<string, Conversation>,
  agents: Agent[],
): Promise<void> {
  for (const c of convs.values()) {
    assert.equal(c.status, "closed");
    const seqs = (await listMessagesForStaff(kv, c.id)).map((m) => m.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), "seqs 1..n without gaps or repeats");
  }
  for (const a of agents) {
    const l = (await kv.get<{ conversationIds: string[] }>(keys.agentLoad(a.id))).value;
    assert.deepEqual(l?.conversationIds ?? [], [], "every load record emptied at the end");
  }
}

Deno.test("[engine] 200 chats at 10 agents (max 3) while agents flip status and chats close and move: never above max, one assignee, queue order kept", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    await updateSettings(engine, { maxChatsPerAgent: MAX });
    const agents = await Promise.all(Array.from({ length: 10 }, () => randomAgent(kv)));
    const boss = await randomAgent(kv, "supervisor");
    await Promise.all(agents.map((a) => setAgentStatus(engine, a.id, "online")));
    // A supervisor at work takes hand-offs (nobody hands a chat to an Offline one).
    await setAgentStatus(engine, boss.id, "busy");

    let arrivalsDone = false;
    let transfers = 0;
    const arrivals = Promise.all(
      Array.from({ length: 200 }, (_, i) => customerSays(engine, `help ${i}`)),
    ).finally(() => arrivalsDone = true);

    // Chaos while the chats arrive: flip statuses, close active chats.
    const statuses = ["online", "busy", "offline", "online"] as const;
    const chaos = (async () => {
      let i = 0;
      while (!arrivalsDone || i < 60) {
        const a = agents[Math.floor(Math.random() * agents.length)];
        const flip = setAgentStatus(engine, a.id, statuses[i % statuses.length]);
        const active = await activeIds(kv);
        const closes = active.slice(0, 2).map((id) =>
          closeConversation(engine, id, boss, { notes: "done" }).catch((err) => {
            if (err?.code !== "conversation_closed") throw err;
          })
        );
        // An agent hands one of its chats to a colleague (refused when the rules say so).
        const handoff = (async () => {
          const id = active[2];
          const conv = id ? await getConversation(kv, id) : null;
          const from = agents.find((a) => a.id === conv?.assigneeId);
          if (!conv || !from) return;
          // Mostly to a colleague (often refused: everyone is near max), every 5th to the supervisor.
          const to = i % 5 === 0 ? boss : agents[Math.floor(Math.random() * agents.length)];
          await transferConversation(engine, conv.id, from, { toAgentId: to.id }).then(
            () => transfers++,
            (err) => {
              if (err?.status !== 409 && err?.status !== 403) throw err;
            },
          );
        })();
        await Promise.all([flip, handoff, ...closes]);
        i++;
      }
    })();
    await Promise.all([arrivals, chaos]);
    // Mid-run consistency: each agent's load record lists exactly the Active chats it holds.
    const held = new Map<string, string[]>();
    for await (const e of kv.list<Conversation>({ prefix: ["conversations"] })) {
      if (e.value.status !== "active") continue;
      assert.ok(e.value.assigneeId, "an Active chat has an assignee");
      held.set(e.value.assigneeId, [...(held.get(e.value.assigneeId) ?? []), e.value.id]);
    }
    for (const a of agents) {
      const l = (await kv.get<{ conversationIds: string[] }>(keys.agentLoad(a.id))).value;
      assert.deepEqual([...(l?.conversationIds ?? [])].sort(), (held.get(a.id) ?? []).sort());
      assert.ok((l?.conversationIds.length ?? 0) <= MAX);
    }
    await drain(engine, agents, boss);
    const { autoAssignments, requeues, convs } = await replayChangeLog(kv, MAX, boss.id);
    assert.equal(convs.size, 200, "every arrival opened one conversation");
    assert.equal(
      autoAssignments >= 200,
      true,
      `at least one assignment per chat (${autoAssignments})`,
    );
    assert.ok(requeues > 0, "agents going Offline returned chats to the queue");
    assert.ok(transfers > 0, "some agent-to-agent transfers went through");
    await assertAllClosedAndEmpty(kv, convs, agents);
  } finally {
    kv.close();
  }
});

Deno.test("[engine] concurrent identical sends store one message, and every seq is used once", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    const agent = await randomAgent(kv);
    await setAgentStatus(engine, agent.id, "online");
    const first = await customerSays(engine, "hi", "visitor-idem");
    const convId = first.conversation.id;
    const sends = await Promise.all(
      Array.from({ length: 20 }, () =>
        receiveCustomerMessage(engine, {
          channel: "webchat",
          contact: { webVisitorId: "visitor-idem" },
          clientId: "same-client-id",
          text: "once",
        })),
    );
    assert.equal(new Set(sends.map((s) => s.message.id)).size, 1, "one stored message");
    assert.equal(sends.filter((s) => !s.duplicate).length, 1, "one write, the rest acknowledged");
    const staff = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendStaffMessage(engine, convId, agent, {
          text: "reply",
          clientId: i % 2 === 0 ? "staff-a" : `unique-${i}`,
        })),
    );
    assert.equal(new Set(staff.map((s) => s.message.id)).size, 11, "10 unique + 1 repeated id");
    const seqs = (await listMessagesForStaff(kv, convId)).map((m) => m.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
    const texts = (await listMessagesForStaff(kv, convId)).filter((m) => m.text === "once");
    assert.equal(texts.length, 1);
  } finally {
    kv.close();
  }
});

Deno.test("[engine] two instances on one KV file: arrivals, status flips and closes on both, rules still hold", async () => {
  const dir = await Deno.makeTempDir({ prefix: "parley-engine-race-" });
  const a = await Deno.openKv(`${dir}/shared.kv`);
  const b = await Deno.openKv(`${dir}/shared.kv`);
  // Two instances: each has its own engine object on its own handle.
  const [ea, eb] = [new Engine(a), new Engine(b)];
  try {
    await updateSettings(ea, { maxChatsPerAgent: 2 });
    const agents = await Promise.all(Array.from({ length: 4 }, () => randomAgent(a)));
    const boss = await randomAgent(a, "supervisor");
    await Promise.all(agents.map((ag, i) => setAgentStatus(i % 2 ? ea : eb, ag.id, "online")));
    // Each instance coalesces its own assignment runs; across instances only the commits' checks
    // keep the rules.
    const arrivals = Promise.all(
      Array.from({ length: 100 }, (_, i) => customerSays(i % 2 ? ea : eb, `help ${i}`)),
    );
    const chaos = (async () => {
      for (let i = 0; i < 30; i++) {
        const kv = i % 2 ? a : b;
        const engine = i % 2 ? ea : eb;
        const ag = agents[i % agents.length];
        const active = await activeIds(kv);
        await Promise.all([
          setAgentStatus(engine, ag.id, i % 3 === 0 ? "offline" : "online"),
          ...active.slice(0, 1).map((id) =>
            closeConversation(i % 2 ? eb : ea, id, boss, { notes: "done" }).catch((err) => {
              if (err?.code !== "conversation_closed") throw err;
            })
          ),
          runAssignment(i % 2 ? eb : ea),
        ]);
      }
    })();
    await Promise.all([arrivals, chaos]);
    await drain(ea, agents, boss);
    const { convs, autoAssignments } = await replayChangeLog(b, 2, boss.id);
    assert.equal(convs.size, 100);
    assert.ok(autoAssignments >= 100);
    await assertAllClosedAndEmpty(b, convs, agents);
  } finally {
    a.close();
    b.close();
    await Deno.remove(dir, { recursive: true });
  }
});
