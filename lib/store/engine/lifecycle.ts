/**
 * Transfer (rule 5) and requeueing a chat to the front of the Pending queue
 * (agent Offline, unanswered timeout, sent back to a team); closing with
 * wrap-up (rule 7) is ./close.ts. Each is one atomic op; a chat leaving an
 * agent triggers assignment.
 */
import { type Agent, listAgents } from "../agents.ts";
import type { AgentLoad, Conversation, Presence } from "../../domain/engine_types.ts";
import { checkTransfer, checkTransferToQueue, isSupervisor } from "../../domain/permissions.ts";
import { EMPTY_LOAD, frontRank, maxChatsFor } from "../../domain/routing.ts";
import { badRequest, notFound } from "../../errors.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import { planAssign, readAgentState, triggerAssignment } from "./assignment.ts";
import { appendToLog, eventEntry, messageChange } from "./log.ts";
import { getSettingsEntry, loadWithout, writeConversation } from "./records.ts";
import { mutate, refusalError } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";

const MAX_NOTE_CHARS = 2000;

export async function readConv(kv: Deno.Kv, id: string) {
  const entry = await kv.get<Conversation>(keys.conversation(id));
  if (!entry.value) throw notFound("Conversation");
  return { entry, conv: entry.value };
}

export async function readHolderLoad(kv: Deno.Kv, conv: Conversation) {
  if (conv.status !== "active" || !conv.assigneeId) return null;
  const entry = await kv.get<AgentLoad>(keys.agentLoad(conv.assigneeId));
  return { agentId: conv.assigneeId, entry };
}

/**
 * Transfers a chat to another agent (or supervisor) under the permission
 * matrix of lib/domain/permissions.ts; 409 with the reason when refused.
 * The log records who, from, to, when and the note (staff only); the
 * customer sees "NAME joined the conversation".
 */
export async function transferConversation(
  engine: Engine,
  conversationId: string,
  actor: Agent,
  input: { toAgentId: string; note?: string },
): Promise<Conversation> {
  const { kv } = engine;
  const note = (input.note ?? "").trim();
  if (note.length > MAX_NOTE_CHARS) {
    throw badRequest("invalid", `note: At most ${MAX_NOTE_CHARS} characters.`);
  }
  const conv = await mutate(engine, async () => {
    const { entry, conv } = await readConv(kv, conversationId);
    const { entry: settingsEntry, settings } = await getSettingsEntry(kv);
    const now = Date.now();
    const target = await readAgentState(kv, input.toAgentId, settings, now);
    if (!target) throw notFound("Target agent");
    const refusal = checkTransfer(actor, conv, {
      ...target.agent,
      status: target.candidate.status,
      maxChats: maxChatsFor(target.agent, settings),
      heldChats: target.load.conversationIds.length,
      transferredChats: target.load.transferredIds.length,
    }, settings);
    if (refusal) throw refusalError(refusal);
    const fromLoad = await readHolderLoad(kv, conv);
    const at = new Date(now).toISOString();
    const op = new EngineOp().check(entry).check(settingsEntry).check(target.agentEntry)
      .check(target.presenceEntry);
    const data = {
      fromAgentId: fromLoad?.agentId ?? null,
      fromTeamId: conv.teamId,
      toAgentId: target.agent.id,
      toAgentName: target.agent.name,
      byAgentId: actor.id,
      ...(note ? { note } : {}),
    };
    const planned = planAssign(op, conv, target, {
      by: "transfer",
      at,
      now,
      fromLoad: fromLoad ?? undefined,
      transferred: true,
      extraEntries: [
        eventEntry(
          "transferred",
          `${actor.name} transferred the conversation to ${target.agent.name}.`,
          data,
          "staff",
        ),
      ],
    });
    return {
      op,
      value: planned.conv,
      changes: [
        {
          type: "conversation.transferred",
          conversationId,
          agentId: target.agent.id,
          data: { ...data, supervisor: isSupervisor(actor.role) },
        },
        ...planned.changes,
      ],
    };
  });
  await triggerAssignment(engine);
  return conv;
}

/**
 * Sends a chat back to a queue: a team's (only its agents get it) or, with
 * `toTeamId: null`, everyone's. It goes to the front of the Pending queue.
 * 404 when no active agent belongs to that team (the chat would never leave).
 */
export async function transferToQueue(
  engine: Engine,
  conversationId: string,
  actor: Agent,
  input: { toTeamId: string | null; note?: string },
): Promise<Conversation> {
  const { kv } = engine;
  const note = (input.note ?? "").trim();
  if (note.length > MAX_NOTE_CHARS) {
    throw badRequest("invalid", `note: At most ${MAX_NOTE_CHARS} characters.`);
  }
  if (input.toTeamId !== null) {
    const agents = await listAgents(kv);
    if (!agents.some((a) => a.active && a.teamId === input.toTeamId)) {
      throw notFound("Team (with at least one active agent)");
    }
  }
  const conv = await mutate(engine, async () => {
    const { entry, conv } = await readConv(kv, conversationId);
    const refusal = checkTransferToQueue(actor, conv);
    if (refusal) throw refusalError(refusal);
    const fromLoad = await readHolderLoad(kv, conv);
    const at = new Date().toISOString();
    const op = new EngineOp().check(entry);
    const data = {
      fromAgentId: fromLoad?.agentId ?? null,
      fromTeamId: conv.teamId,
      toTeamId: input.toTeamId,
      byAgentId: actor.id,
      ...(note ? { note } : {}),
    };
    const planned = planRequeue(op, conv, fromLoad, at, {
      teamId: input.toTeamId,
      skipAgentId: null,
      event: eventEntry(
        "transferred",
        `${actor.name} sent the conversation back to the ${input.toTeamId ? "team's " : ""}queue.`,
        data,
        "staff",
      ),
    });
    return {
      op,
      value: planned.conv,
      changes: [
        {
          type: "conversation.transferred",
          conversationId,
          ...(fromLoad ? { agentId: fromLoad.agentId } : {}),
          data: { ...data, toAgentId: null, supervisor: isSupervisor(actor.role) },
        },
        ...planned.changes,
      ],
    };
  });
  await triggerAssignment(engine);
  return (await kv.get<Conversation>(keys.conversation(conv.id))).value ?? conv;
}

/**
 * Fills `op` with a chat going back to the front of the Pending queue,
 * released by its holder (whose load record is checked and rewritten).
 */
export function planRequeue(
  op: EngineOp,
  conv: Conversation,
  fromLoad: { agentId: string; entry: Deno.KvEntryMaybe<AgentLoad> } | null,
  at: string,
  opts: {
    teamId?: string | null;
    skipAgentId: string | null;
    event: ReturnType<typeof eventEntry>;
  },
): { conv: Conversation; changes: NewChange[] } {
  let next: Conversation = {
    ...conv,
    status: "pending",
    assigneeId: null,
    assignedAt: null,
    assigneeRepliedAt: null,
    teamId: opts.teamId === undefined ? conv.teamId : opts.teamId,
    queueRank: frontRank(Date.parse(conv.createdAt)),
    skipAgentId: opts.skipAgentId,
  };
  const r = appendToLog(op, next, opts.event, at);
  next = r.conv;
  writeConversation(op, conv, next);
  if (fromLoad) {
    op.check(fromLoad.entry);
    op.set(
      keys.agentLoad(fromLoad.agentId),
      loadWithout(fromLoad.entry.value ?? EMPTY_LOAD, conv.id),
    );
  }
  return { conv: next, changes: [messageChange(next, r.message)] };
}

/**
 * Requeues one Active chat held by `agentId` (agent went Offline, or the chat
 * was unanswered), unless it changed hands meanwhile; `reason` goes in the
 * log and the change. Returns false when there was nothing to do.
 */
export async function requeueConversation(
  engine: Engine,
  conversationId: string,
  agentId: string,
  reason: "offline" | "unanswered",
  stillDue: (conv: Conversation) => boolean = () => true,
  opts: { onlyWhileOffline?: boolean } = {},
): Promise<boolean> {
  const { kv } = engine;
  return await mutate(engine, async () => {
    const { entry, conv } = await readConv(kv, conversationId);
    if (conv.status !== "active" || conv.assigneeId !== agentId || !stillDue(conv)) {
      return { value: false };
    }
    const op = new EngineOp().check(entry);
    if (opts.onlyWhileOffline) {
      // A holder who comes back Online/Busy meanwhile keeps the chat: presence is checked in the commit.
      const presenceEntry = await kv.get<Presence>(keys.presence(agentId));
      if (presenceEntry.value && presenceEntry.value.status !== "offline") return { value: false };
      op.check(presenceEntry);
    }
    const fromLoad = await readHolderLoad(kv, conv);
    const at = new Date().toISOString();
    const data = { fromAgentId: agentId, reason };
    const planned = planRequeue(op, conv, fromLoad, at, {
      skipAgentId: reason === "unanswered" ? agentId : null,
      event: eventEntry(
        "requeued",
        reason === "offline"
          ? "The agent went offline; the conversation is back in the queue."
          : "No reply in time; the conversation is back in the queue.",
        data,
        "staff",
      ),
    });
    return {
      op,
      value: true,
      changes: [
        {
          type: "conversation.requeued",
          conversationId,
          agentId,
          data: { ...data, teamId: conv.teamId },
        },
        ...planned.changes,
      ],
    };
  });
}
