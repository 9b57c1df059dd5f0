/**
 * Agent status (rule 2): Online receives new chats, Busy keeps its chats and
 * receives none, Offline receives nothing.
 *
 * Presence is the status record (`["presence", id]`, changed only when the
 * status changes, with a change-log entry) plus a heartbeat timestamp
 * (`["heartbeats", id]`, a plain write every ~20 s from the open workspace,
 * kept apart so beats never conflict with assignment commits).
 *
 * Lost heartbeats, decided as "check on read + sweep": routing treats an
 * Online/Busy agent whose last beat is older than the grace period as Offline
 * at once (lib/domain/routing.ts effectiveStatus), and the engine's sweep job
 * (./jobs.ts, every few seconds) records the change with
 * {@link expireStalePresence}: status Offline, reason "heartbeat_lost", and
 * the chats go back to the front of the queue (setting requeueOnOffline).
 * A heartbeat after that restores the status the agent had
 * ("heartbeat_resumed"): a network blip does not leave an agent Offline.
 */
import type {
  AgentLoad,
  AgentStatus,
  Conversation,
  Presence,
  Role,
} from "../../domain/engine_types.ts";
import { effectiveStatus, EMPTY_LOAD, maxChatsFor } from "../../domain/routing.ts";
import { notFound } from "../../errors.ts";
import { type Agent, getAgent, listAgents } from "../agents.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import { triggerAssignment } from "./assignment.ts";
import { planRequeue, requeueConversation } from "./lifecycle.ts";
import { eventEntry } from "./log.ts";
import { getManyEntries, getSettings, getSettingsEntry } from "./records.ts";
import { mutate, writeRetrying } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { countStatusTime } from "./status_time.ts";

/** Chats requeued in the same atomic op as the status change (the op limits); the rest follow. */
const REQUEUE_BATCH = 10;

/** What staff lists show about an agent. */
export interface AgentSummary {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  active: boolean;
  /** The status that counts now (a stale heartbeat counts as offline). */
  status: AgentStatus;
  activeChats: number;
  maxChats: number;
  transferredChats: number;
  lastHeartbeatAt: string | null;
}

/**
 * Sets an agent's status. Going Offline returns its chats to the front of the
 * queue (unless the requeueOnOffline setting is off); going Online triggers
 * assignment. Also counts as a heartbeat. Returns the new presence.
 */
export async function setAgentStatus(
  engine: Engine,
  agentId: string,
  status: AgentStatus,
  reason: Presence["reason"] = "manual",
  opts: { onlyIfStale?: boolean } = {},
): Promise<Presence> {
  const { kv } = engine;
  const nowMs = Date.now();
  if (status !== "offline") await writeRetrying(() => kv.set(keys.heartbeat(agentId), nowMs));
  const result = await mutate(engine, async () => {
    const [agentEntry, presenceEntry, loadEntry, beatEntry] = await kv.getMany<
      [Agent, Presence, AgentLoad, number]
    >([
      keys.agent(agentId),
      keys.presence(agentId),
      keys.agentLoad(agentId),
      keys.heartbeat(agentId),
    ]);
    if (!agentEntry.value) throw notFound("Agent");
    const { entry: settingsEntry, settings } = await getSettingsEntry(kv);
    const before = presenceEntry.value;
    const at = new Date().toISOString();
    if (opts.onlyIfStale) {
      // Only a lost heartbeat: a fresh beat (or a status already Offline) wins.
      if (effectiveStatus(before, beatEntry.value, settings, Date.now()) !== "offline") {
        return { value: { presence: before!, requeueRest: false } };
      }
      if (!before || before.status === "offline") {
        return { value: { presence: before!, requeueRest: false } };
      }
    }
    // Same status again: nothing to record (but an explicit Offline after a lost
    // heartbeat is recorded, so a later beat does not bring the agent back).
    if (!opts.onlyIfStale && before?.status === status && before.resumeStatus === null) {
      return { value: { presence: before, requeueRest: false } };
    }
    const presence: Presence = {
      agentId,
      status,
      changedAt: at,
      reason,
      resumeStatus: reason === "heartbeat_lost" && before && before.status !== "offline"
        ? before.status
        : null,
    };
    const op = new EngineOp().check(presenceEntry).check(settingsEntry).check(beatEntry)
      .set(keys.presence(agentId), presence);
    countStatusTime(op, before, Date.parse(at));
    const changes: NewChange[] = [{
      type: "agent.status",
      agentId,
      data: { status, reason, previous: before?.status ?? "offline" },
    }];
    const load = loadEntry.value ?? EMPTY_LOAD;
    let requeueRest = false;
    // Checked even when empty: a chat handed to this agent meanwhile (a transfer that read the
    // old presence) makes this commit retry and take it back, never strand it (stranded_test.ts).
    if (status === "offline" && settings.requeueOnOffline) op.check(loadEntry);
    if (status === "offline" && settings.requeueOnOffline && load.conversationIds.length > 0) {
      const ids = load.conversationIds.slice(0, REQUEUE_BATCH);
      requeueRest = load.conversationIds.length > ids.length;
      const convEntries = await getManyEntries<Conversation>(kv, ids.map(keys.conversation));
      let current: AgentLoad = load;
      for (const entry of convEntries) {
        const conv = entry.value;
        if (!conv || conv.status !== "active" || conv.assigneeId !== agentId) continue;
        op.check(entry);
        const data = { fromAgentId: agentId, reason: "offline" };
        const planned = planRequeue(op, conv, null, at, {
          skipAgentId: null,
          event: eventEntry(
            "requeued",
            "The agent went offline; the conversation is back in the queue.",
            data,
            "staff",
          ),
        });
        current = {
          ...current,
          conversationIds: current.conversationIds.filter((id) => id !== conv.id),
          transferredIds: current.transferredIds.filter((id) => id !== conv.id),
        };
        changes.push(
          {
            type: "conversation.requeued",
            conversationId: conv.id,
            agentId,
            data: { ...data, teamId: conv.teamId },
          },
          ...planned.changes,
        );
      }
      op.check(loadEntry).set(keys.agentLoad(agentId), current);
    }
    return { op, changes, value: { presence, requeueRest } };
  });
  if (result.requeueRest) await requeueHeldChats(engine, agentId);
  // Online: this agent may take queued chats. Offline: its chats may have gone back to the queue.
  if (status === "online" || status === "offline") await triggerAssignment(engine);
  return result.presence;
}

/** Requeues every chat an Offline agent still holds (the batches beyond the first op). */
export async function requeueHeldChats(engine: Engine, agentId: string): Promise<number> {
  const { kv } = engine;
  const load = (await kv.get<AgentLoad>(keys.agentLoad(agentId))).value ?? EMPTY_LOAD;
  let n = 0;
  for (const id of load.conversationIds) {
    const still = async () => (await kv.get<Presence>(keys.presence(agentId))).value?.status;
    if ((await still()) !== "offline") break;
    if (await requeueConversation(engine, id, agentId, "offline")) n++;
  }
  return n;
}

/**
 * Records a heartbeat from the agent's open workspace. After a lost heartbeat
 * made the agent Offline, a beat restores the status it had. Returns the
 * status now.
 */
export async function heartbeatAgent(engine: Engine, agentId: string): Promise<AgentStatus> {
  const { kv } = engine;
  await writeRetrying(() => kv.set(keys.heartbeat(agentId), Date.now()));
  const presence = (await kv.get<Presence>(keys.presence(agentId))).value;
  if (
    presence?.status === "offline" && presence.reason === "heartbeat_lost" && presence.resumeStatus
  ) {
    return (await setAgentStatus(engine, agentId, presence.resumeStatus, "heartbeat_resumed"))
      .status;
  }
  return presence?.status ?? "offline";
}

/**
 * Turns every Online/Busy agent whose heartbeat is older than the grace
 * period Offline (reason "heartbeat_lost"), requeueing their chats.
 * Idempotent; run by the sweep job, callable from tests. Returns the ids.
 */
export async function expireStalePresence(engine: Engine): Promise<string[]> {
  const { kv } = engine;
  const settings = await getSettings(kv);
  const expired: string[] = [];
  for await (const entry of kv.list<Presence>({ prefix: ["presence"] })) {
    const p = entry.value;
    if (p.status === "offline") continue;
    const beat = (await kv.get<number>(keys.heartbeat(p.agentId))).value;
    if (effectiveStatus(p, beat, settings, Date.now()) !== "offline") continue;
    const after = await setAgentStatus(engine, p.agentId, "offline", "heartbeat_lost", {
      onlyIfStale: true,
    });
    if (after?.status === "offline" && after.reason === "heartbeat_lost") expired.push(p.agentId);
  }
  return expired;
}

/** The agent's presence and load as staff lists show them. */
export async function getAgentSummary(kv: Deno.Kv, agentId: string): Promise<AgentSummary | null> {
  const agent = await getAgent(kv, agentId);
  if (!agent) return null;
  return (await summarize(kv, [agent]))[0];
}

/** Every agent with status, active chats and max chats (`GET /api/v1/agents`). */
export async function listAgentSummaries(kv: Deno.Kv): Promise<AgentSummary[]> {
  return await summarize(kv, await listAgents(kv));
}

async function summarize(kv: Deno.Kv, agents: Agent[]): Promise<AgentSummary[]> {
  const settings = await getSettings(kv);
  const ids = agents.map((a) => a.id);
  const [presences, loads, beats] = await Promise.all([
    getManyEntries<Presence>(kv, ids.map(keys.presence)),
    getManyEntries<AgentLoad>(kv, ids.map(keys.agentLoad)),
    getManyEntries<number>(kv, ids.map(keys.heartbeat)),
  ]);
  const now = Date.now();
  return agents.map((a, i) => {
    const load = loads[i].value ?? EMPTY_LOAD;
    const beat = beats[i].value;
    return {
      id: a.id,
      name: a.name,
      email: a.email,
      role: a.role,
      teamId: a.teamId,
      active: a.active,
      status: effectiveStatus(presences[i].value, beat, settings, now),
      activeChats: load.conversationIds.length,
      maxChats: maxChatsFor(a, settings),
      transferredChats: load.transferredIds.length,
      lastHeartbeatAt: beat ? new Date(beat).toISOString() : null,
    };
  });
}

/**
 * Takes an agent off duty for good (deactivation): Offline, and every chat it
 * holds back to the front of the queue whatever requeueOnOffline says.
 * Returns how many chats went back.
 */
export async function releaseAgent(engine: Engine, agentId: string): Promise<number> {
  const { kv } = engine;
  await setAgentStatus(engine, agentId, "offline");
  const load = (await kv.get<AgentLoad>(keys.agentLoad(agentId))).value ?? EMPTY_LOAD;
  let n = 0;
  for (const id of load.conversationIds) {
    if (await requeueConversation(engine, id, agentId, "offline")) n++;
  }
  if (n > 0) await triggerAssignment(engine);
  return n;
}
