/**
 * Closing a chat with its wrap-up (rule 7): `planClose`, the one close every
 * closing path shares (an agent's or supervisor's close here, the inactivity
 * close in ./inactivity.ts), and `closeConversation`. Each is one atomic op;
 * the freed capacity triggers assignment.
 */
import type { Agent } from "../agents.ts";
import type {
  AgentLoad,
  Conversation,
  Message,
  SurveyOffer,
  WrapUp,
} from "../../domain/engine_types.ts";
import { checkClose } from "../../domain/permissions.ts";
import { EMPTY_LOAD } from "../../domain/routing.ts";
import { surveyOffer } from "../../domain/survey.ts";
import { checkWrapUpTags } from "../../domain/wrap_up.ts";
import { badRequest } from "../../errors.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import { triggerAssignment } from "./assignment.ts";
import { readConv, readHolderLoad } from "./lifecycle.ts";
import { appendToLog, eventEntry, messageChange } from "./log.ts";
import { getSettingsEntry, loadWithout, writeConversation } from "./records.ts";
import { mutate, refusalError } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { planWhatsAppSurvey, whatsappWindowOpen } from "./survey_whatsapp.ts";

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
