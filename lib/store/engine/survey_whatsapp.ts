/**
 * The satisfaction survey's WhatsApp messages, planned into the engine's
 * commits (rules and payloads: lib/domain/survey_whatsapp.ts). A close that
 * offers the survey in a WhatsApp chat sends the OK/KO reply buttons, only
 * while the customer's 24-hour window is open (Meta refuses free-form
 * messages after it); an OK/KO answer of a survey that asks for a score
 * sends the score question (the customer just wrote: the window is open).
 * Each is a staff-visible log entry with delivery "sending" and the
 * `whatsapp.outbound` job in the same commit, so it goes out through the
 * one outbound queue (retries, order behind earlier replies, delivery
 * states) and the agent sees it in the history.
 */
import type { Contact, Conversation, Message } from "../../domain/engine_types.ts";
import { scoreQuestionMessage, surveyButtonsMessage } from "../../domain/survey_whatsapp.ts";
import { windowAt, type WindowRecord } from "../../domain/whatsapp_window.ts";
import { keys } from "../keys.ts";
import { appendToLog } from "./log.ts";
import { WHATSAPP_OUTBOUND_JOB } from "./messages.ts";
import type { EngineOp } from "./op.ts";

/** Appends one outgoing survey message (or the note that it could not go) to `conv`'s log. */
function appendSurveyMessage(
  op: EngineOp,
  conv: Conversation,
  kind: "survey_sent" | "survey_score_asked",
  text: string,
  send: Record<string, unknown>,
  at: string,
): { conv: Conversation; message: Message } {
  const r = appendToLog(op, conv, {
    type: "event",
    kind,
    author: { type: "system" },
    text,
    data: { send },
    visibility: "staff",
    delivery: { status: "sending", at },
  }, at);
  op.enqueue({
    type: WHATSAPP_OUTBOUND_JOB,
    payload: { conversationId: conv.id, seq: r.message.seq, messageId: r.message.id },
  });
  return r;
}

/** Whether a WhatsApp chat's customer may get a free-form message at `atMs` (read before a close). */
export async function whatsappWindowOpen(
  kv: Deno.Kv,
  conv: Conversation,
  atMs: number,
): Promise<boolean> {
  if (conv.channel !== "whatsapp") return false;
  const contact = (await kv.get<Contact>(keys.contact(conv.contactId))).value;
  const record = contact?.whatsappId
    ? (await kv.get<WindowRecord>(keys.whatsappWindow(contact.whatsappId))).value
    : null;
  return windowAt(record?.lastCustomerMessageAt ?? null, atMs).open;
}

/**
 * In the close of a WhatsApp chat that offers the survey: the buttons while
 * the window is open, else a staff note that it is closed. Returns the
 * conversation as it must be written and the log entry (null for other chats).
 */
export function planWhatsAppSurvey(
  op: EngineOp,
  conv: Conversation,
  at: string,
  windowOpen: boolean,
): { conv: Conversation; message: Message } | null {
  if (conv.channel !== "whatsapp" || !conv.survey) return null;
  if (!windowOpen) {
    return appendToLog(op, conv, {
      type: "event",
      kind: "survey_not_sent",
      author: { type: "system" },
      text:
        "The satisfaction survey was not sent: the customer's 24-hour WhatsApp window is closed.",
      data: {},
      visibility: "staff",
    }, at);
  }
  return appendSurveyMessage(
    op,
    conv,
    "survey_sent",
    "The satisfaction survey was sent on WhatsApp (Good / Bad buttons).",
    surveyButtonsMessage(conv.id),
    at,
  );
}

/** After a WhatsApp OK/KO answer without a score, of a survey that asks for one: the question. */
export function planScoreQuestion(
  op: EngineOp,
  conv: Conversation,
  at: string,
): { conv: Conversation; message: Message } | null {
  if (
    conv.channel !== "whatsapp" || conv.survey?.mode !== "csat_nps" || !conv.csat ||
    conv.csat.nps !== null
  ) return null;
  return appendSurveyMessage(
    op,
    conv,
    "survey_score_asked",
    "The 0–10 recommend question was sent on WhatsApp.",
    scoreQuestionMessage(),
    at,
  );
}
