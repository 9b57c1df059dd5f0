/**
 * A WhatsApp customer's answers to the satisfaction survey (issue 16): a tap
 * on one of the survey's reply buttons, and the typed 0–10 score that follows
 * when the survey asks for one (payloads: lib/domain/survey_whatsapp.ts). The
 * engine decides (lib/store/engine/survey.ts: one answer, in time, the
 * customer's own conversation). A refused button reply (late, repeated,
 * forged) is logged and dropped: it changes nothing and opens no
 * conversation. A number that is not an awaited score goes the usual way,
 * as a message.
 */
import { AppError } from "../errors.ts";
import { parseScoreReply, parseSurveyButton } from "../domain/survey_whatsapp.ts";
import { findContact, getConversation } from "../store/engine/records.ts";
import { addSurveyScore, answerSurvey } from "../store/engine/survey.ts";
import { keys } from "../store/keys.ts";
import type { Engine } from "../store/engine/engine.ts";
import type { WhatsAppInbound } from "./whatsapp_payload.ts";

/** A refusal that is final (4xx) rather than a lost race to retry (409 busy). */
const final = (err: unknown): err is AppError => err instanceof AppError && err.code !== "busy";

/**
 * Takes `m` as a survey answer when it is one: returns the conversation it
 * answered (or was refused for), or null when `m` is an ordinary message.
 */
export async function takeSurveyReply(
  engine: Engine,
  m: WhatsAppInbound,
): Promise<{ conversationId: string; duplicate: boolean } | null> {
  const reply = m.data.reply as { type?: unknown; id?: unknown } | undefined;
  if (m.kind === "interactive" && reply?.type === "button_reply" && typeof reply.id === "string") {
    const button = parseSurveyButton(reply.id);
    if (!button) return null;
    const contact = await findContact(engine.kv, "whatsapp", m.customer.id);
    try {
      if (!contact) throw new AppError(404, "not_found", "Unknown WhatsApp customer.");
      await answerSurvey(engine, button.conversationId, { contactId: contact.id }, {
        rating: button.rating,
      });
      return { conversationId: button.conversationId, duplicate: false };
    } catch (err) {
      if (!final(err)) throw err;
      console.info(`whatsapp: survey reply ${JSON.stringify(m.id)} not taken: ${err.message}`);
      return { conversationId: button.conversationId, duplicate: true };
    }
  }
  if (m.kind !== "text") return null;
  const score = parseScoreReply(m.text);
  if (score === null) return null;
  const contact = await findContact(engine.kv, "whatsapp", m.customer.id);
  if (!contact) return null;
  const id = (await engine.kv.get<string>(keys.contactOpen(contact.id, "whatsapp"))).value;
  const conv = id ? await getConversation(engine.kv, id) : null;
  if (!conv || conv.status !== "closed" || conv.survey?.mode !== "csat_nps" || !conv.csat) {
    return null;
  }
  // This very message, delivered again: already taken.
  if (conv.csat.scoreClientId === m.id) return { conversationId: conv.id, duplicate: true };
  try {
    await addSurveyScore(engine, conv.id, { contactId: contact.id }, score, m.id);
    return { conversationId: conv.id, duplicate: false };
  } catch (err) {
    if (!final(err)) throw err;
    const now = await getConversation(engine.kv, conv.id);
    if (now?.csat?.scoreClientId === m.id) return { conversationId: conv.id, duplicate: true };
    return null; // not an awaited score (given already, or late): an ordinary message
  }
}
