/**
 * The admin console's view of the conversation engine (lib/store/engine):
 * live status and load of agents, the routing settings, and taking a
 * deactivated agent off duty. One module, so the console depends on the
 * engine in one place.
 */
import type { AppDeps } from "../app_deps.ts";
import {
  getAgentSummary,
  getLoad,
  getSettings,
  listAgentSummaries,
  releaseAgent as engineReleaseAgent,
} from "../store/engine/mod.ts";

/** An agent's live status and how many open chats it holds. */
export interface AgentLive {
  status: "online" | "busy" | "offline";
  activeChats: number;
}

/** Live status (a stale heartbeat counts as offline) and load, by agent id. */
export async function agentLive(kv: Deno.Kv): Promise<Map<string, AgentLive>> {
  const out = new Map<string, AgentLive>();
  for (const s of await listAgentSummaries(kv)) {
    out.set(s.id, { status: s.status, activeChats: s.activeChats });
  }
  return out;
}

/** The global max chats per agent from the routing settings. */
export async function globalMaxChats(kv: Deno.Kv): Promise<number> {
  return (await getSettings(kv)).maxChatsPerAgent;
}

/**
 * Takes a deactivated agent off duty through the engine's `releaseAgent`
 * (Offline, and every chat it holds back to the front of the queue whatever
 * requeue-on-offline says). Returns how many chats left the agent.
 */
export async function releaseAgent(deps: AppDeps, agentId: string): Promise<number> {
  const before = (await getLoad(deps.kv, agentId)).conversationIds.length;
  await engineReleaseAgent(deps.engine, agentId);
  return before - (await getLoad(deps.kv, agentId)).conversationIds.length;
}

/** One agent's live status, load and effective max chats, or null for an unknown id. */
export async function agentLiveOne(
  kv: Deno.Kv,
  agentId: string,
): Promise<(AgentLive & { maxChats: number }) | null> {
  const s = await getAgentSummary(kv, agentId);
  return s ? { status: s.status, activeChats: s.activeChats, maxChats: s.maxChats } : null;
}
