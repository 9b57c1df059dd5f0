/**
 * The engine's sweep: one KV queue job ("engine.sweep") that re-enqueues
 * itself every few seconds and runs the checks that depend on time passing:
 * lost heartbeats (→ Offline, chats requeued), chats still held by someone
 * Offline (→ requeued when requeueOnOffline is on: ./stranded.ts), unanswered
 * chats (→ requeued, setting unansweredTimeoutSeconds), then assignment.
 *
 * One live chain: each start writes a fresh chain id to ["engine_tick"]; a
 * delivery whose chain id is not the stored one ends its chain. Several
 * instances are fine (the last started owns the chain; any instance's
 * listener may run it), and every step is idempotent (atomic, re-checked).
 */
import type { JobRunner } from "../../jobs.ts";
import type { Conversation } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";
import { type AgentState, readAllAgentStates, runAssignment } from "./assignment.ts";
import { isEligible } from "../../domain/routing.ts";
import { requeueConversation } from "./lifecycle.ts";
import { expireStalePresence } from "./presence.ts";
import { getManyEntries, getSettings } from "./records.ts";
import type { Engine } from "./engine.ts";
import { requeueStranded } from "./stranded.ts";
import { registerInactivityJob } from "./inactivity.ts";
import { registerRetentionJob } from "./retention.ts";

export const SWEEP_JOB = "engine.sweep";
export const SWEEP_INTERVAL_MS = 5_000;

/**
 * Requeues Active chats whose assignee has not replied within the timeout, when
 * someone else could take them now (Online, room, the chat's team): with
 * nobody else, requeueing would only strand the chat in the queue (the next
 * assignment skips that agent). Returns their ids.
 */
export async function requeueUnanswered(engine: Engine, now = Date.now()): Promise<string[]> {
  const { kv } = engine;
  const settings = await getSettings(kv);
  const timeout = settings.unansweredTimeoutSeconds * 1000;
  if (timeout <= 0) return [];
  const due = (c: Conversation) =>
    c.status === "active" && c.assigneeRepliedAt === null && c.assignedAt !== null &&
    now - Date.parse(c.assignedAt) >= timeout;
  const out: string[] = [];
  let states: AgentState[] | null = null;
  const ids: string[] = [];
  for await (const e of kv.list({ prefix: keys.conversationsByStatusPrefix("active") })) {
    ids.push(e.key[3] as string);
  }
  // Ten records per read (KV's getMany limit), not one read per Active chat every sweep.
  const convs = await getManyEntries<Conversation>(kv, ids.map((id) => keys.conversation(id)));
  for (const [i, id] of ids.entries()) {
    const conv = convs[i].value;
    if (!conv || !due(conv) || !conv.assigneeId) continue;
    states ??= await readAllAgentStates(kv, settings, Date.now());
    const skip = { teamId: conv.teamId, skipAgentId: conv.assigneeId };
    if (!states.some((s) => isEligible(s.candidate, skip, settings))) continue;
    if (await requeueConversation(engine, id, conv.assigneeId, "unanswered", due)) out.push(id);
  }
  return out;
}

/** One sweep: every time-driven rule, then assignment. */
export async function sweep(engine: Engine): Promise<void> {
  await expireStalePresence(engine);
  await requeueStranded(engine);
  await requeueUnanswered(engine);
  await runAssignment(engine);
}

/** Registers the sweep job (and the inactivity timers' job) and starts a chain (call once per app, before jobs.start()). */
export function registerEngineJobs(deps: { engine: Engine; jobs: JobRunner }): void {
  const { engine, jobs } = deps;
  const { kv } = engine;
  registerInactivityJob(deps); // inactivity timers: one job per step, ./inactivity.ts
  registerRetentionJob(deps); // retention: hourly, ./retention.ts
  jobs.on(SWEEP_JOB, async (payload) => {
    const chain = (payload as { chain?: string })?.chain;
    const live = (await kv.get<string>(keys.engineTick())).value;
    if (!chain || chain !== live) return;
    try {
      await sweep(engine);
    } catch (err) {
      console.error("engine: sweep failed:", err);
    }
    await jobs.enqueue(SWEEP_JOB, { chain }, { delay: SWEEP_INTERVAL_MS });
  });
  const chain = crypto.randomUUID();
  kv.set(keys.engineTick(), chain)
    .then(() => jobs.enqueue(SWEEP_JOB, { chain }, { delay: SWEEP_INTERVAL_MS }))
    .catch(() => {/* KV closed during start-up (tests): no chain, nothing to sweep */});
}
