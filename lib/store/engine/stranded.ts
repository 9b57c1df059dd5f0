/**
 * Stranded chats (issue 16, item 3): a chat held by someone who is Offline
 * (agent, supervisor or admin) goes back to the front of the queue when
 * requeueOnOffline is on. Going Offline requeues at once (presence.ts) and a
 * lost heartbeat does on the sweep; this catches the rest: chats an Offline
 * person came to hold some other way (held before this rule, an Offline
 * supervisor's pickup or transfer under requeueOnOffline off, which was then
 * turned on, or an account that never set a status). Run by the sweep.
 */
import type { AgentLoad, Presence } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";
import { requeueConversation } from "./lifecycle.ts";
import { getSettings } from "./records.ts";
import type { Engine } from "./engine.ts";

/** Requeues every chat held by someone whose stored status is Offline; returns their ids. */
export async function requeueStranded(engine: Engine): Promise<string[]> {
  const { kv } = engine;
  if (!(await getSettings(kv)).requeueOnOffline) return [];
  const out: string[] = [];
  for await (const entry of kv.list<AgentLoad>({ prefix: keys.agentLoadPrefix() })) {
    const agentId = entry.key[1] as string;
    if (entry.value.conversationIds.length === 0) continue;
    const presence = (await kv.get<Presence>(keys.presence(agentId))).value;
    if (presence && presence.status !== "offline") continue;
    for (const id of entry.value.conversationIds) {
      if (
        await requeueConversation(engine, id, agentId, "offline", undefined, {
          onlyWhileOffline: true,
        })
      ) {
        out.push(id);
      }
    }
  }
  return out;
}
