/**
 * Transfer (rule 5), close with wrap-up (rule 7), and requeueing a chat to the
 * front of the Pending queue (agent Offline, unanswered timeout, sent back to
 * a team). Each is one atomic op; a chat leaving an agent triggers assignment.
 */
import { type Agent, listAgents } from "../agents.ts";
import type {
  AgentLoad,
  Conversation,
  Message,
  Presence,
  SurveyOffer,
  WrapUp,
} from "../../domain/engine_types.ts";
import {
  checkClose,
  checkTransfer,
  checkTransferToQueue,
  isSupervisor,
} from "../../domain/permissions.ts";
import { EMPTY_LOAD, frontRank, maxChatsFor } from "../../domain/routing.ts";
import { surveyOffer } from "../../domain/survey.ts";
import { checkWrapUpTags } from "../../domain/wrap_up.ts";
import { badRequest, notFound } from "../../errors.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import { planAssign, readAgentState, triggerAssignment } from "./assignment.ts";
import { appendToLog, eventEntry, messageChange } from "./log.ts";
import { getSettingsEntry, loadWithout, writeConversation } from "./records.ts";
import { mutate, refusalError } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { planWhatsAppSurvey, whatsappWindowOpen } from "./survey_whatsapp.ts";

const MAX_NOTE_CHARS = 2000;

async function readConv(kv: Deno.Kv, id: string) {
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

/**
 * Fills `op` with a chat closing with `wrapUp` (by staff, or by the system for
 * inactivity: `wrapUp.reason`): the record, the public "closed" log event,
 * the holder's freed capacity (its load record checked and rewritten) and the
 * changes. The one close every closing path shares.
 */
export function planClose(
  op: EngineOp,
  conv: Conversation,
  fromLoad: { agentId: string; entry: Deno.KvEntryMaybe<AgentLoad> } | null,
  wrapUp: WrapUp,
  eventText: string,
  /** The satisfaction survey this close offers (../../domain/survey.ts); none by default. */
  survey: SurveyOffer | null = null,
  /** Entries that go into the log right after the close (the survey's WhatsApp message). */
  then?: (op: EngineOp, conv: Conversation, at: string) => Appended | null,
): { conv: Conversation; changes: NewChange[] } {
  const at = wrapUp.closedAt;
  let next: Conversation = {
    ...conv,
    status: "closed",
    closedAt: at,
    queueRank: null,
    wrapUp,
    openQuestionSeq: null,
    survey,
    csat: null,
  };
  const reason = wrapUp.reason ?? "agent";
  // The customer's side learns of the survey from the close itself (the widget shows it).
  const data = {
    ...(wrapUp.reason ? { reason } : {}),
    ...(survey ? { survey: { mode: survey.mode, comment: survey.comment } } : {}),
  };
  const r = appendToLog(op, next, eventEntry("closed", eventText, data, "public"), at);
  next = r.conv;
  const more = then?.(op, next, at) ?? null;
  if (more) next = more.conv;
  writeConversation(op, conv, next);
  if (fromLoad) {
    op.check(fromLoad.entry);
    op.set(
      keys.agentLoad(fromLoad.agentId),
      loadWithout(fromLoad.entry.value ?? EMPTY_LOAD, conv.id),
    );
  }
  return {
    conv: next,
    changes: [
      {
        type: "conversation.closed",
        conversationId: conv.id,
        ...(next.assigneeId ? { agentId: next.assigneeId } : {}),
        data: {
          closedBy: wrapUp.closedBy,
          tags: wrapUp.tags,
          teamId: conv.teamId,
          wasStatus: conv.status,
          reason,
        },
      },
      messageChange(next, r.message),
      ...(more ? [messageChange(next, more.message)] : []),
    ],
  };
}

type Appended = { conv: Conversation; message: Message };

export interface CloseInput {
  notes: string;
  tags?: string[];
}

/**
 * Closes a chat with its wrap-up (rule 7): the assignee, or a supervisor for
 * any open chat. Frees the holder's capacity in the same op and triggers
 * assignment. The customer sees a "closed" event; writing again opens a new
 * conversation.
 */
export async function closeConversation(
  engine: Engine,
  conversationId: string,
  actor: Agent,
  input: CloseInput,
): Promise<Conversation> {
  const { kv } = engine;
  const notes = input.notes.trim();
  if (notes.length === 0 || notes.length > 5000) {
    throw badRequest("invalid", "notes: Write 1 to 5000 characters of wrap-up notes.");
  }
  const given = input.tags ?? [];
  const conv = await mutate(engine, async () => {
    const { entry, conv } = await readConv(kv, conversationId);
    const refusal = checkClose(actor, conv);
    if (refusal) throw refusalError(refusal);
    const fromLoad = await readHolderLoad(kv, conv);
    const at = new Date().toISOString();
    // The tag rule reads the settings: they are checked in the commit too.
    const { entry: settingsEntry, settings } = await getSettingsEntry(kv);
    const tagCheck = checkWrapUpTags(given, settings);
    if (!tagCheck.ok) {
      throw badRequest(tagCheck.code, tagCheck.message, { rejected: tagCheck.rejected });
    }
    const tags = tagCheck.tags;
    const op = new EngineOp().check(entry).check(settingsEntry);
    const wrapUp = { notes, tags, closedBy: actor.id, closedAt: at };
    // A person's close offers the survey the settings ask for now (checked in the commit);
    // on WhatsApp it goes out as reply buttons within the 24-hour window (./survey_whatsapp.ts).
    const offer = surveyOffer(settings, conv, at);
    const windowOpen = offer !== null && await whatsappWindowOpen(kv, conv, Date.parse(at));
    const next = planClose(
      op,
      conv,
      fromLoad,
      wrapUp,
      "The conversation was closed.",
      offer,
      (op, closed, at) => planWhatsAppSurvey(op, closed, at, windowOpen),
    );
    return { op, value: next.conv, changes: next.changes };
  });
  await triggerAssignment(engine);
  return conv;
}
