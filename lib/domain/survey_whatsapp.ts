/**
 * The satisfaction survey on WhatsApp (issue 16, item 1), without I/O: the
 * messages Parley sends (reply buttons for OK/KO, then a text question for
 * the 0–10 score when the survey asks for it) and how a customer's reply is
 * read back. Decisions: reply buttons rather than a list for OK/KO (one tap;
 * Meta allows three buttons of at most 20 characters); the score as a typed
 * number, because Meta's list messages hold at most ten rows and a 0–10
 * score has eleven; no comment on WhatsApp (whatever the customer writes
 * next starts a new conversation the agents read anyway). English words:
 * Parley does not know a WhatsApp customer's language.
 */
import type { SurveyRating } from "./engine_types.ts";

/** Reply-button ids: `parley_csat:<conversationId>:ok|ko` (Meta allows 256 characters). */
const BUTTON_ID = /^parley_csat:([A-Za-z0-9_-]{1,100}):(ok|ko)$/;

export const SURVEY_QUESTION = "How was your conversation with us?";
export const SCORE_QUESTION =
  "Thank you! On a scale from 0 to 10, how likely are you to recommend us to a friend? Reply with a number.";

/** The Graph API body fields (after `to`) of the OK/KO reply-button message. */
export function surveyButtonsMessage(conversationId: string): Record<string, unknown> {
  const button = (rating: SurveyRating, title: string) => ({
    type: "reply",
    reply: { id: `parley_csat:${conversationId}:${rating}`, title },
  });
  return {
    type: "interactive",
    interactive: {
      type: "button",
      body: { text: SURVEY_QUESTION },
      action: { buttons: [button("ok", "👍 Good"), button("ko", "👎 Bad")] },
    },
  };
}

/** The Graph API body fields of the score question (a plain text message). */
export function scoreQuestionMessage(): Record<string, unknown> {
  return { type: "text", text: { body: SCORE_QUESTION, preview_url: false } };
}

/** A button reply's id read back: the conversation and the rating, or null when not ours. */
export function parseSurveyButton(
  id: string,
): { conversationId: string; rating: SurveyRating } | null {
  const m = BUTTON_ID.exec(id);
  return m ? { conversationId: m[1], rating: m[2] as SurveyRating } : null;
}

/** A typed score: a whole number from 0 to 10 alone ("9", " 10 ", "7/10"), else null. */
export function parseScoreReply(text: string): number | null {
  const m = /^\s*(10|[0-9])\s*(\/\s*10)?\s*[.!]?\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}
