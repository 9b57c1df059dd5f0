import assert from "node:assert/strict";
import type { Conversation } from "../domain/engine_types.ts";
import type { Agent } from "../store/agents.ts";
import type { Change } from "../store/changes.ts";
import type { RecordCache } from "./records.ts";
import { staffView } from "./visibility.ts";

const agent = (id: string, role: Agent["role"] = "agent", teamId: string | null = null): Agent => ({
  id,
  name: id,
  email: `${id}@example.test`,
  role,
  teamId,
  maxChats: null,
  passwordHash: "",
  active: true,
  createdAt: "",
});

const conversation = (id: string, over: Partial<Conversation>): Conversation =>
  ({ id, status: "active", assigneeId: null, teamId: null, ...over }) as Conversation;

function records(convs: Conversation[]): RecordCache {
  const byId = new Map(convs.map((c) => [c.id, c]));
  return { conversation: (id: string) => byId.get(id) ?? null } as unknown as RecordCache;
}

const change = (over: Partial<Change>): Change => ({
  seq: 1,
  shard: 0,
  at: "t",
  type: "x",
  ...over,
});

Deno.test("[realtime] staff stream view: who sees which change", () => {
  const cache = records([
    conversation("mine", { assigneeId: "ada" }),
    conversation("bobs", { assigneeId: "bob" }),
    conversation("queued", { status: "pending" }),
    conversation("team-b", { status: "pending", teamId: "b" }),
  ]);
  const ada = staffView(agent("ada", "agent", "a"), cache);
  const sue = staffView(agent("sue", "supervisor"), cache);

  const presence = change({ type: "agent.status", agentId: "bob", data: { status: "busy" } });
  assert.deepEqual(ada(presence), presence, "presence of everyone");

  const own = ada(change({ type: "message.created", conversationId: "mine" }));
  assert.equal((own as { conversation?: Conversation })?.conversation?.id, "mine");
  assert.ok(ada(change({ type: "message.created", conversationId: "queued" })), "the queue");

  assert.equal(ada(change({ type: "message.created", conversationId: "bobs" })), null);
  assert.equal(ada(change({ type: "context.updated", conversationId: "bobs" })), null);
  assert.equal(ada(change({ type: "message.created", conversationId: "team-b" })), null);
  assert.deepEqual(
    ada(change({ seq: 7, type: "conversation.assigned", conversationId: "bobs", agentId: "bob" })),
    { seq: 7, at: "t", type: "conversation.assigned", conversationId: "bobs", hidden: true },
    "a row that leaves the view: ids only",
  );
  const away = ada(change({
    type: "conversation.transferred",
    conversationId: "bobs",
    agentId: "bob",
    data: { fromAgentId: "ada", toAgentId: "bob", note: "for you" },
  }));
  assert.equal((away as { data?: { note?: string } })?.data?.note, "for you", "names Ada");

  assert.ok(
    sue(change({ type: "message.created", conversationId: "bobs" })),
    "supervisors see all",
  );
  assert.ok(sue(change({ type: "message.created", conversationId: "team-b" })));
});
