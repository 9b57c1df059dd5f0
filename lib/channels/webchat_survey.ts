/**
 * The satisfaction survey on the web chat (issue 16, item 1): what the
 * visitor's widget is told about the survey of its conversation, and the
 * visitor's answer (the view itself is lib/domain/survey.ts `visitorSurveyView`). The rule and the one-answer guarantee are the engine's
 * (lib/store/engine/survey.ts); this only says who the visitor is.
 */
import { type SurveyInput, type VisitorSurveyView, visitorSurveyView } from "../domain/survey.ts";
import { notFound } from "../errors.ts";
import { findContact } from "../store/engine/mod.ts";
import { answerSurvey } from "../store/engine/survey.ts";
import type { Engine } from "../store/engine/engine.ts";
import type { VisitorAccess } from "./webchat.ts";

/**
 * The visitor answers the survey of one of their conversations. 404 for a
 * conversation that is not theirs (or unknown); the engine's 400/409 for the
 * rest (docs/api.md, "Satisfaction survey").
 */
export async function answerVisitorSurvey(
  engine: Engine,
  access: VisitorAccess,
  conversationId: string,
  input: SurveyInput,
): Promise<VisitorSurveyView> {
  const contact = await findContact(engine.kv, "webchat", access.claims.visitorId);
  if (!contact) throw notFound("Conversation");
  const conv = await answerSurvey(engine, conversationId, { contactId: contact.id }, input);
  return visitorSurveyView(conv)!;
}
