import assert from "node:assert/strict";
import type { Conversation } from "../../domain/engine_types.ts";
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

const MAX = 3;

Deno.test("[engine] 200 chats at 10 agents (max 3) while agents flip status and chats close and move: never above max, one assignee, queue order kept", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await updateSettings(kv, { maxChatsPerAgent: MAX });
    const agents = await Promise.all(Array.from({ length: 10 }, () => randomAgent(kv)));
    const boss = await randomAgent(kv, "supervisor");
    await Promise.all(agents.map((a) => setAgentStatus(kv, a.id, "online")));

    let arrivalsDone = false;
    let transfers = 0;
    const arrivals = Promise.all(
      Array.from({ length: 200 }, (_, i) => customerSays(kv, `help ${i}`)),
    ).finally(() => arrivalsDone = true);

    // Chaos while the chats arrive: flip statuses, close active chats.
    const statuses = ["online", "busy", "offline", "online"] as const;
    const chaos = (async () => {
      let i = 0;
      while (!arrivalsDone || i < 60) {
        const a = agents[Math.floor(Math.random() * agents.length)];
        const flip = setAgentStatus(kv, a.id, statuses[i % statuses.length]);
        const active: string[] = [];
        for await (const e of kv.list({ prefix: keys.conversationsByStatusPrefix("active") })) {
          active.push(e.key[3] as string);
        }
        const closes = active.slice(0, 2).map((id) =>
          closeConversation(kv, id, boss, { notes: "done" }).catch((err) => {
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
          await transferConversation(kv, conv.id, from, { toAgentId: to.id }).then(
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
    // Drain: everyone Online, close everything until the queue is empty.
    await Promise.all(agents.map((a) => setAgentStatus(kv, a.id, "online")));
    for (let round = 0; round < 200; round++) {
      const active: string[] = [];
      for await (const e of kv.list({ prefix: keys.conversationsByStatusPrefix("active") })) {
        active.push(e.key[3] as string);
      }
      let queued = 0;
      for await (const _ of kv.list({ prefix: keys.queuePrefix() })) queued++;
      if (active.length === 0 && queued === 0) break;
      await Promise.all(active.map((id) => closeConversation(kv, id, boss, { notes: "done" })));
      await runAssignment(kv);
    }

    // Replay the change log: the running load of each agent, and the queue.
    const changes = await allChanges(kv);
    const convs = new Map<string, Conversation>();
    for await (const e of kv.list<Conversation>({ prefix: ["conversations"] })) {
      convs.set(e.value.id, e.value);
    }
    assert.equal(convs.size, 200, "every arrival opened one conversation");
    const load = new Map<string, number>();
    const holder = new Map<string, string>();
    const queue = new Map<string, number>(); // id -> rank
    let autoAssignments = 0;
    let requeues = 0;
    const rankOf = (id: string) => queue.get(id)!;
    const before = (a: string, b: string) =>
      rankOf(a) < rankOf(b) || (rankOf(a) === rankOf(b) && a < b);
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
        const n = (load.get(ch.agentId!) ?? 0) + 1;
        load.set(ch.agentId!, n);
        assert.ok(n <= MAX, `agent held ${n} > ${MAX} chats after an automatic assignment`);
        autoAssignments++;
      } else if (ch.type === "conversation.transferred") {
        const from = ch.data!.fromAgentId as string;
        const to = ch.data!.toAgentId as string;
        assert.equal(holder.get(id), from, "a transfer moves the chat from its one holder");
        assert.equal(ch.data!.supervisor, false);
        load.set(from, load.get(from)! - 1);
        const n = (load.get(to) ?? 0) + 1;
        load.set(to, n);
        holder.set(id, to);
        if (to !== boss.id) {
          assert.ok(n <= MAX, `an agent's transfer put ${n} > ${MAX} chats on a colleague`);
        }
      } else if (ch.type === "conversation.requeued") {
        assert.equal(holder.get(id), ch.agentId);
        holder.delete(id);
        load.set(ch.agentId!, load.get(ch.agentId!)! - 1);
        queue.set(id, Date.parse(convs.get(id)!.createdAt) - FRONT_OFFSET);
        requeues++;
      } else if (ch.type === "conversation.closed") {
        queue.delete(id);
        const h = holder.get(id);
        if (h) {
          load.set(h, load.get(h)! - 1);
          holder.delete(id);
        }
      }
    }
    assert.equal(
      autoAssignments >= 200,
      true,
      `at least one assignment per chat (${autoAssignments})`,
    );
    assert.ok(requeues > 0, "agents going Offline returned chats to the queue");
    assert.ok(transfers > 0, "some agent-to-agent transfers went through");
    for (const c of convs.values()) {
      assert.equal(c.status, "closed");
      const seqs = (await listMessagesForStaff(kv, c.id)).map((m) => m.seq);
      assert.deepEqual(seqs, seqs.map((_, i) => i + 1), "seqs 1..n without gaps or repeats");
    }
    for (const a of agents) {
      const l = (await kv.get<{ conversationIds: string[] }>(keys.agentLoad(a.id))).value;
      assert.deepEqual(l?.conversationIds ?? [], [], "every load record emptied at the end");
    }
  } finally {
    kv.close();
  }
});

Deno.test("[engine] concurrent identical sends store one message, and every seq is used once", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const agent = await randomAgent(kv);
    await setAgentStatus(kv, agent.id, "online");
    const first = await customerSays(kv, "hi", "visitor-idem");
    const convId = first.conversation.id;
    const sends = await Promise.all(
      Array.from({ length: 20 }, () =>
        receiveCustomerMessage(kv, {
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
        appendStaffMessage(kv, convId, agent, {
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
