import assert from "node:assert/strict";
import type { AgentStatus } from "./engine_types.ts";
import { DEFAULT_SETTINGS } from "./settings.ts";
import { arrivalRank, type Candidate, effectiveStatus, frontRank, pickAgent } from "./routing.ts";

const settings = { ...DEFAULT_SETTINGS, maxChatsPerAgent: 2 };
const cand = (
  id: string,
  held: number,
  lastAssignedAt: number | null,
  extra: { status?: AgentStatus; teamId?: string | null; maxChats?: number | null } = {},
): Candidate => ({
  agent: {
    id,
    role: "agent",
    teamId: extra.teamId ?? null,
    maxChats: extra.maxChats ?? null,
    active: true,
  },
  status: extra.status ?? "online",
  load: {
    conversationIds: Array.from({ length: held }, (_, i) => `${id}-${i}`),
    transferredIds: [],
    lastAssignedAt,
  },
});
const open = { teamId: null, skipAgentId: null };

Deno.test("[engine] routing: least loaded first, then longest wait, never above max", () => {
  assert.equal(pickAgent([cand("a", 1, 1), cand("b", 0, 5)], open, settings)?.agent.id, "b");
  assert.equal(pickAgent([cand("a", 1, 9), cand("b", 1, 5)], open, settings)?.agent.id, "b");
  assert.equal(pickAgent([cand("a", 1, 5), cand("b", 1, null)], open, settings)?.agent.id, "b");
  assert.equal(pickAgent([cand("a", 2, 1), cand("b", 2, 2)], open, settings), null);
  assert.equal(
    pickAgent([cand("a", 2, 1, { maxChats: 3 })], open, settings)?.agent.id,
    "a",
    "own max overrides",
  );
});

Deno.test("[engine] routing: only Online agents of the chat's team, skipping a timed-out holder", () => {
  const busy = cand("busy", 0, null, { status: "busy" });
  const offline = cand("off", 0, null, { status: "offline" });
  assert.equal(pickAgent([busy, offline], open, settings), null);
  const sales = cand("s", 1, null, { teamId: "sales" });
  const other = cand("o", 0, null);
  assert.equal(
    pickAgent([sales, other], { teamId: "sales", skipAgentId: null }, settings)?.agent.id,
    "s",
  );
  assert.equal(pickAgent([other], { teamId: "sales", skipAgentId: null }, settings), null);
  assert.equal(
    pickAgent([sales, other], { teamId: null, skipAgentId: "o" }, settings)?.agent.id,
    "s",
  );
  const inactive = { ...other, agent: { ...other.agent, active: false } };
  assert.equal(pickAgent([inactive], open, settings), null);
});

Deno.test("[engine] effective status: a heartbeat older than the grace period counts as offline", () => {
  const now = 1_000_000;
  const p = {
    agentId: "a",
    status: "online" as const,
    changedAt: "",
    reason: "manual" as const,
    resumeStatus: null,
  };
  assert.equal(effectiveStatus(p, now - 59_000, settings, now), "online");
  assert.equal(effectiveStatus(p, now - 61_000, settings, now), "offline");
  assert.equal(effectiveStatus(p, null, settings, now), "offline");
  assert.equal(effectiveStatus(null, now, settings, now), "offline");
  assert.equal(
    effectiveStatus(p, now - 61_000, { ...settings, heartbeatGraceSeconds: 120 }, now),
    "online",
  );
});

Deno.test("[engine] queue ranks: requeued chats go ahead of every arrival, oldest first", () => {
  const t = Date.parse("2026-01-01T00:00:00Z");
  const ranks = [arrivalRank(t), frontRank(t + 5000), arrivalRank(t - 1), frontRank(t)];
  const sorted = [...ranks].sort((a, b) => a - b);
  assert.deepEqual(sorted, [frontRank(t), frontRank(t + 5000), arrivalRank(t - 1), arrivalRank(t)]);
});
