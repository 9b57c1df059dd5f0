/**
 * Who gets the next chat (rules 2 and 3), without I/O.
 *
 * Eligible: active account, status Online with a heartbeat inside the grace
 * period, below its max chats (own `maxChats` or the global setting), in the
 * conversation's team when it has one, and not the agent a timed-out chat
 * just left. Among them: least loaded first, then the one who has waited
 * longest since its last assignment (never assigned = longest), then id.
 */
import type { AgentLoad, AgentStatus, Presence, Settings } from "./engine_types.ts";

export interface RoutingAgent {
  id: string;
  role: string;
  teamId: string | null;
  maxChats: number | null;
  active: boolean;
}

export interface Candidate {
  agent: RoutingAgent;
  status: AgentStatus;
  load: AgentLoad;
}

export const EMPTY_LOAD: AgentLoad = {
  conversationIds: [],
  transferredIds: [],
  lastAssignedAt: null,
};

/** The max chats that apply to an agent now. */
export function maxChatsFor(agent: { maxChats: number | null }, settings: Settings): number {
  return agent.maxChats ?? settings.maxChatsPerAgent;
}

/**
 * The status that counts now: a stored Online/Busy whose last heartbeat is
 * older than the grace period counts as Offline (the sweep job then records it).
 */
export function effectiveStatus(
  presence: Presence | null,
  lastHeartbeatMs: number | null,
  settings: Settings,
  now: number,
): AgentStatus {
  if (!presence || presence.status === "offline") return "offline";
  if (lastHeartbeatMs === null || now - lastHeartbeatMs > settings.heartbeatGraceSeconds * 1000) {
    return "offline";
  }
  return presence.status;
}

/** True when `agent` may receive `conversation` by automatic assignment. */
export function isEligible(
  c: Candidate,
  conversation: { teamId: string | null; skipAgentId: string | null },
  settings: Settings,
): boolean {
  return c.agent.active &&
    c.status === "online" &&
    c.load.conversationIds.length < maxChatsFor(c.agent, settings) &&
    (conversation.teamId === null || c.agent.teamId === conversation.teamId) &&
    conversation.skipAgentId !== c.agent.id;
}

/** Orders candidates: least loaded, then longest wait since last assignment, then id. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const load = a.load.conversationIds.length - b.load.conversationIds.length;
  if (load !== 0) return load;
  const wa = a.load.lastAssignedAt ?? -Infinity;
  const wb = b.load.lastAssignedAt ?? -Infinity;
  if (wa !== wb) return wa < wb ? -1 : 1;
  return a.agent.id < b.agent.id ? -1 : a.agent.id > b.agent.id ? 1 : 0;
}

/** The agent that should get `conversation` next, or null when nobody may. */
export function pickAgent(
  candidates: Candidate[],
  conversation: { teamId: string | null; skipAgentId: string | null },
  settings: Settings,
): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (!isEligible(c, conversation, settings)) continue;
    if (best === null || compareCandidates(c, best) < 0) best = c;
  }
  return best;
}

/**
 * Queue ranks: a new conversation queues at its arrival time (first in, first
 * out); a requeued one (agent went Offline, unanswered, sent back to a team)
 * goes to the front, ahead of every arrival, in the order it first arrived.
 */
export const FRONT_OFFSET = 1e13;
export function arrivalRank(createdAtMs: number): number {
  return createdAtMs;
}
export function frontRank(createdAtMs: number): number {
  return createdAtMs - FRONT_OFFSET;
}
