/**
 * Storing the customer's answer to the satisfaction survey a close offered
 * (issue 16, item 1; rules in lib/domain/survey.ts). One answer per
 * conversation, enforced in the commit: the conversation record is checked,
 * so of two racing answers exactly one lands and the other is refused
 * (`survey_answered`); the contact's open-conversation pointer is checked
 * too, so an answer racing the customer's next message (which starts a new
 * conversation: the "reopen") lands only if it came first. The answer goes on
 * the record (`csat`), into the log as a public `survey_answered` event (the
 * agent sees it in the history, the customer sees it taken), into the metrics
 * (metrics.ts counts it from the write) and out as a `csat.received` change
 * (the webhook event).
 */
import type { Conversation, SurveyAnswer } from "../../domain/engine_types.ts";
import {
  checkLateScore,
  checkSurveyAnswer,
  describeAnswer,
  type SurveyInput,
  type SurveyRefusal,
  webhookRating,
} from "../../domain/survey.ts";
import { AppError, notFound } from "../../errors.ts";
import type { NewChange } from "../changes.ts";
import { keys } from "../keys.ts";
import type { Engine } from "./engine.ts";
import { appendToLog, eventEntry, messageChange } from "./log.ts";
import { EngineOp } from "./op.ts";
import { writeConversation } from "./records.ts";
import { planScoreQuestion } from "./survey_whatsapp.ts";
import { mutate } from "./tx.ts";

/** Who answers: the conversation must be this contact's (else 404, as for an unknown id). */
export interface SurveyAnswerer {
  contactId: string;
}

const refused = (r: SurveyRefusal) => new AppError(r.status, r.code, r.message);

/**
 * Stores the answer to `conversationId`'s survey. 404 when the conversation
 * is unknown or not the answerer's; 409 `no_survey` (none offered, or still
 * open), `survey_answered` (already answered), `survey_closed` (past the
 * window, or the customer has started a newer conversation); 400 `invalid`
 * for a rating, score or comment the offer does not take.
 */
export async function answerSurvey(
  engine: Engine,
  conversationId: string,
  who: SurveyAnswerer,
  input: SurveyInput,
): Promise<Conversation> {
  return await mutate(engine, async () => {
    const { entry, conv, openEntry } = await readForAnswer(engine.kv, conversationId, who);
    const refusal = checkSurveyAnswer(conv, input, Date.now(), openEntry.value);
    if (refusal) throw refused(refusal);
    const at = new Date().toISOString();
    const csat: SurveyAnswer = {
      rating: input.rating,
      nps: input.nps ?? null,
      comment: input.comment?.trim() || null,
      answeredAt: at,
      channel: conv.channel,
    };
    return commitAnswer(new EngineOp().check(entry, openEntry), conv, csat, at);
  });
}

/**
 * Adds the 0–10 score to an answer given without one, where the channel asks
 * for it in a second step (WhatsApp: buttons, then the score). Same refusals
 * as {@link answerSurvey}; `survey_answered` once a score is stored.
 */
export async function addSurveyScore(
  engine: Engine,
  conversationId: string,
  who: SurveyAnswerer,
  nps: number,
  /** The channel message that carried it (WhatsApp's wamid), kept so a redelivery is known. */
  clientId?: string,
): Promise<Conversation> {
  return await mutate(engine, async () => {
    const { entry, conv, openEntry } = await readForAnswer(engine.kv, conversationId, who);
    const refusal = checkLateScore(conv, nps, Date.now(), openEntry.value);
    if (refusal) throw refused(refusal);
    const at = new Date().toISOString();
    // The score belongs to the answer: it is counted with it, at the answer's time.
    const csat: SurveyAnswer = {
      ...conv.csat!,
      nps,
      ...(clientId ? { scoreClientId: clientId } : {}),
    };
    return commitAnswer(new EngineOp().check(entry, openEntry), conv, csat, at);
  });
}

async function readForAnswer(kv: Deno.Kv, conversationId: string, who: SurveyAnswerer) {
  const entry = await kv.get<Conversation>(keys.conversation(conversationId));
  const conv = entry.value;
  // Someone else's conversation is answered like an unknown one: nothing to learn from it.
  if (!conv || conv.contactId !== who.contactId) throw notFound("Conversation");
  const openEntry = await kv.get<string>(keys.contactOpen(conv.contactId, conv.channel));
  return { entry, conv, openEntry };
}

function commitAnswer(op: EngineOp, conv: Conversation, csat: SurveyAnswer, at: string) {
  const r = appendToLog(
    op,
    { ...conv, csat },
    eventEntry("survey_answered", describeAnswer(csat), {
      rating: csat.rating,
      nps: csat.nps,
      comment: csat.comment,
    }, "public"),
    at,
  );
  // A WhatsApp rating without a score, where the survey asks for one: the question follows.
  const asked = planScoreQuestion(op, r.conv, at);
  const next = asked?.conv ?? r.conv;
  writeConversation(op, conv, next);
  const changes: NewChange[] = [
    {
      type: "csat.received",
      conversationId: conv.id,
      ...(conv.assigneeId ? { agentId: conv.assigneeId } : {}),
      data: {
        rating: webhookRating(csat.rating),
        csat: csat.rating,
        nps: csat.nps,
        comment: csat.comment,
        answeredAt: csat.answeredAt,
        channel: conv.channel,
        teamId: conv.teamId,
      },
    },
    messageChange(next, r.message),
    ...(asked ? [messageChange(next, asked.message)] : []),
  ];
  return { op, value: next, changes };
}
