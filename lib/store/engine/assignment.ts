/**
 * Assignment (rule 3): the Pending queue is first in, first out; each chat goes
 * to the eligible agent that lib/domain/routing.ts picks. Runs when a chat
 * arrives, an agent goes Online, a chat closes or is transferred away, a chat
 * is requeued, or settings change (callers call {@link runAssignment}).
 *
 * Never above max, under any race: an assignment's atomic op checks the
 * versionstamps of the agent's load record, presence, agent record, the
 * settings and the conversation (and the change head), so two concurrent
 * assignments to one agent cannot both land on the same load; the loser
 * re-reads and decides again.
 */
import type { Agent } from "../agents.ts";
import { listAgents } from "../agents.ts";
import type { AgentLoad, Conversation, Presence, Settings } from "../../domain/engine_types.ts";
import { checkPickup, isSupervisor } from "../../domain/permissions.ts";
import { type Candidate, effectiveStatus, EMPTY_LOAD, pickAgent } from "../../domain/routing.ts";
import { notFound } from "../../errors.ts";
import { type NewChange, readHead, withChanges } from "../changes.ts";
import { keys } from "../keys.ts";
import { appendToLog, eventEntry, messageChange } from "./log.ts";
import {
  getManyEntries,
  getSettingsEntry,
  loadWith,
  loadWithout,
  writeConversation,
} from "./records.ts";
import type { AssignmentRun, Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { inTurn, landed, mutate, refusalError } from "./tx.ts";
import { isStoreBusy } from "../sqlite_busy.ts";

/** How an agent came to hold a chat. */
export type AssignedBy = "auto" | "pickup" | "transfer";

/** An agent with the state routing needs, and the entries to check on commit. */
export interface AgentState {
  agent: Agent;
  agentEntry: Deno.KvEntryMaybe<Agent>;
  presenceEntry: Deno.KvEntryMaybe<Presence>;
  loadEntry: Deno.KvEntryMaybe<AgentLoad>;
  heartbeat: number | null;
  load: AgentLoad;
  candidate: Candidate;
}

/** Reads one agent's routing state (null for an unknown id). */
export async function readAgentState(
  kv: Deno.Kv,
  agentId: string,
  settings: Settings,
  now: number,
): Promise<AgentState | null> {
  const [agentEntry, presenceEntry, loadEntry, beat] = await kv.getMany<
    [Agent, Presence, AgentLoad, number]
  >([
    keys.agent(agentId),
    keys.presence(agentId),
    keys.agentLoad(agentId),
    keys.heartbeat(agentId),
  ]);
  if (!agentEntry.value) return null;
  return toState(agentEntry, presenceEntry, loadEntry, beat.value, settings, now);
}

function toState(
  agentEntry: Deno.KvEntryMaybe<Agent>,
  presenceEntry: Deno.KvEntryMaybe<Presence>,
  loadEntry: Deno.KvEntryMaybe<AgentLoad>,
  heartbeat: number | null,
  settings: Settings,
  now: number,
): AgentState {
  const agent = agentEntry.value!;
  const load = loadEntry.value ?? EMPTY_LOAD;
  const status = effectiveStatus(presenceEntry.value, heartbeat, settings, now);
  return {
    agent,
    agentEntry,
    presenceEntry,
    loadEntry,
    heartbeat,
    load,
    candidate: { agent, status, load },
  };
}

/** Every agent's routing state. */
export async function readAllAgentStates(
  kv: Deno.Kv,
  settings: Settings,
  now: number,
): Promise<AgentState[]> {
  const agents = await listAgents(kv);
  const ids = agents.map((a) => a.id);
  const [agentEntries, presences, loads, beats] = await Promise.all([
    getManyEntries<Agent>(kv, ids.map(keys.agent)),
    getManyEntries<Presence>(kv, ids.map(keys.presence)),
    getManyEntries<AgentLoad>(kv, ids.map(keys.agentLoad)),
    getManyEntries<number>(kv, ids.map(keys.heartbeat)),
  ]);
  const out: AgentState[] = [];
  ids.forEach((_, i) => {
    if (!agentEntries[i].value) return;
    out.push(toState(agentEntries[i], presences[i], loads[i], beats[i].value, settings, now));
  });
  return out;
}

/**
 * Fills `op` with the assignment of `conv` (Pending or held by someone else)
 * to `target`: checks on the target's load record, writes the conversation,
 * both loads, a public "assigned" event (the customer sees the agent's name)
 * and returns the changed conversation, the entries and the changes.
 */
export function planAssign(
  op: EngineOp,
  conv: Conversation,
  target: AgentState,
  opts: {
    by: AssignedBy;
    at: string;
    now: number;
    /** The agent's load that loses the chat (transfer away), already read and checked. */
    fromLoad?: { agentId: string; entry: Deno.KvEntryMaybe<AgentLoad> };
    transferred?: boolean;
    extraEntries?: Parameters<typeof appendToLog>[2][];
    /** The caller checks and writes the target's load itself (batched assignment). */
    deferLoad?: boolean;
  },
): { conv: Conversation; changes: NewChange[] } {
  if (!opts.deferLoad) op.check(target.loadEntry);
  let next: Conversation = {
    ...conv,
    status: "active",
    assigneeId: target.agent.id,
    assignedAt: opts.at,
    // The first time it leaves the queue (a transfer between agents is not a pickup).
    ...(conv.pickedUpAt || conv.status !== "pending"
      ? {}
      : { pickedUpAt: opts.at, pickedUpBy: target.agent.id }),
    assigneeRepliedAt: null,
    queueRank: null,
    skipAgentId: null,
  };
  const changes: NewChange[] = [];
  for (const entry of opts.extraEntries ?? []) {
    const r = appendToLog(op, next, entry, opts.at);
    next = r.conv;
    changes.push(messageChange(next, r.message));
  }
  const assigned = appendToLog(
    op,
    next,
    eventEntry(
      "assigned",
      `${target.agent.name} joined the conversation.`,
      { agentName: target.agent.name },
      "public",
    ),
    opts.at,
  );
  next = assigned.conv;
  changes.push(messageChange(next, assigned.message));
  writeConversation(op, conv, next);
  if (opts.fromLoad && opts.fromLoad.agentId !== target.agent.id) {
    op.check(opts.fromLoad.entry);
    op.set(
      keys.agentLoad(opts.fromLoad.agentId),
      loadWithout(opts.fromLoad.entry.value ?? EMPTY_LOAD, conv.id),
    );
  }
  if (!opts.deferLoad) {
    op.set(
      keys.agentLoad(target.agent.id),
      loadWith(target.load, conv.id, { transferred: opts.transferred ?? false, now: opts.now }),
    );
  }
  return { conv: next, changes };
}

/** Automatic assignments committed together (well inside the 100-check / 1000-mutation limits). */
const BATCH = 10;

type Outcome = { assigned: number } | "conflict";

/**
 * One atomic batch of automatic assignments: walks the queue in order and
 * gives each chat that has an eligible agent to the one routing picks, with
 * the loads updated in memory between picks (exactly what one-by-one
 * assignment would do), up to {@link BATCH} chats, then commits them at once
 * with checks on every agent record, presence and load it used.
 */
async function assignBatch(engine: Engine): Promise<Outcome> {
  const { kv } = engine;
  const head = await readHead(kv);
  const { entry: settingsEntry, settings } = await getSettingsEntry(kv);
  if (!settings.dynamicAssignment) return { assigned: 0 };
  const op = new EngineOp().check(settingsEntry);
  const changes: NewChange[] = [];
  const touched = new Map<string, AgentState>();
  let states: AgentState[] | null = null;
  const now = Date.now();
  const at = new Date(now).toISOString();
  let assigned = 0;
  // Read the queue lazily: usually the head can go at once.
  for await (
    const entry of kv.list<string | null>({ prefix: keys.queuePrefix() }, { batchSize: 20 })
  ) {
    if (states === null) {
      states = await readAllAgentStates(kv, settings, now);
      if (!states.some((s) => s.candidate.status === "online")) return { assigned: 0 };
    }
    const candidates = states.map((s) => s.candidate);
    if (!pickAgent(candidates, { teamId: entry.value, skipAgentId: null }, settings)) continue;
    const convEntry = await kv.get<Conversation>(keys.conversation(entry.key[2] as string));
    const conv = convEntry.value;
    if (!conv || conv.status !== "pending") {
      if (assigned > 0) break; // commit what we have; the next batch re-reads
      return "conflict"; // the queue moved under us
    }
    const pick = pickAgent(candidates, conv, settings);
    if (!pick) continue;
    const target = states.find((s) => s.agent.id === pick.agent.id)!;
    if (!touched.has(target.agent.id)) {
      op.check(target.agentEntry).check(target.presenceEntry).check(target.loadEntry);
      touched.set(target.agent.id, target);
    }
    op.check(convEntry);
    const planned = planAssign(op, conv, target, { by: "auto", at, now, deferLoad: true });
    target.load = loadWith(target.load, conv.id, { transferred: false, now });
    target.candidate = { ...target.candidate, load: target.load };
    changes.push(
      {
        type: "conversation.assigned",
        conversationId: conv.id,
        agentId: target.agent.id,
        data: { by: "auto", teamId: conv.teamId },
      },
      ...planned.changes,
    );
    if (++assigned >= BATCH) break;
  }
  if (assigned === 0) return { assigned: 0 };
  for (const [agentId, state] of touched) op.set(keys.agentLoad(agentId), state.load);
  const commit = op.applyTo(kv.atomic());
  const { batch } = withChanges(commit, head, changes, op.written);
  const res = await commit.commit();
  if (!res.ok) return "conflict";
  landed(engine, batch, res.versionstamp);
  return { assigned };
}

/** Assigns until nobody eligible is left for any queued chat; returns how many it assigned. */
async function assignmentPass(engine: Engine): Promise<number> {
  let total = 0;
  let conflicts = 0;
  for (;;) {
    let outcome: Outcome;
    try {
      outcome = await inTurn(engine, () => assignBatch(engine));
    } catch (err) {
      if (!isStoreBusy(err)) throw err;
      outcome = "conflict";
    }
    if (outcome === "conflict") {
      if (++conflicts > 2) {
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(10, conflicts)));
      }
      continue;
    }
    if (outcome.assigned === 0) return total;
    total += outcome.assigned;
    conflicts = 0;
  }
}

/**
 * Runs automatic assignment until the queue has no chat an eligible agent can
 * take. Calls on one KV handle coalesce: a call during a run makes that run go
 * round once more, and resolves when that round is done, so the caller's event
 * has been seen. Correctness does not depend on this (commits check), only
 * the amount of wasted work (the run in progress is the engine's, ./engine.ts). Resolves with the number of assignments made.
 */
export function runAssignment(engine: Engine): Promise<number> {
  const state = engine.assignment;
  if (state) {
    state.again = true;
    return state.run;
  }
  const next: AssignmentRun = { run: Promise.resolve(0), again: false };
  next.run = (async () => {
    let total = 0;
    try {
      do {
        next.again = false;
        total += await assignmentPass(engine);
      } while (next.again);
    } finally {
      engine.assignment = null;
    }
    return total;
  })();
  engine.assignment = next;
  return next.run;
}

/**
 * Runs assignment after a committed change, for that change's caller: a
 * failure here must not turn the caller's committed change into an error
 * (the sweep job runs assignment again within seconds), so it is logged.
 */
export async function triggerAssignment(engine: Engine): Promise<void> {
  try {
    await runAssignment(engine);
  } catch (err) {
    console.error("engine: assignment after a change failed; the sweep retries:", err);
  }
}

/**
 * An agent picks up a Pending chat by hand (rules 3, with assignment on or
 * off): agents below their max, not Offline, in the chat's team; supervisors
 * always. 409 `not_pending` when someone else got it first.
 */
export async function pickupConversation(
  engine: Engine,
  conversationId: string,
  actor: Agent,
): Promise<Conversation> {
  const { kv } = engine;
  return await mutate(engine, async () => {
    const convEntry = await kv.get<Conversation>(keys.conversation(conversationId));
    const conv = convEntry.value;
    if (!conv) throw notFound("Conversation");
    const { entry: settingsEntry, settings } = await getSettingsEntry(kv);
    const now = Date.now();
    const target = await readAgentState(kv, actor.id, settings, now);
    if (!target) throw notFound("Agent");
    const refusal = checkPickup(target.agent, target.candidate.status, target.load, conv, settings);
    if (refusal) throw refusalError(refusal);
    const op = new EngineOp().check(convEntry).check(settingsEntry).check(target.agentEntry)
      .check(target.presenceEntry);
    const at = new Date(now).toISOString();
    const planned = planAssign(op, conv, target, { by: "pickup", at, now });
    return {
      op,
      value: planned.conv,
      changes: [
        {
          type: "conversation.assigned",
          conversationId,
          agentId: actor.id,
          data: {
            by: isSupervisor(actor.role) ? "supervisor_pickup" : "pickup",
            teamId: conv.teamId,
          },
        },
        ...planned.changes,
      ],
    };
  });
}
