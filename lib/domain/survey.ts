/**
 * The satisfaction survey on close (issue 16, item 1), without I/O: what a
 * close offers (from the settings of that moment), what an answer may hold,
 * and when an answer is refused. One place for the rule; the engine
 * (lib/store/engine/survey.ts) applies it in the commit that stores the
 * answer, and the widget and WhatsApp only collect what the customer chose.
 * Zod-free: the widget module uses the words and bounds too.
 */
import type {
  Conversation,
  SurveyAnswer,
  SurveyMode,
  SurveyOffer,
  SurveyRating,
} from "./engine_types.ts";

export type { SurveyAnswer, SurveyMode, SurveyOffer, SurveyRating };

export const SURVEY_MODES: readonly SurveyMode[] = ["off", "csat", "csat_nps"];
export const SURVEY_RATINGS: readonly SurveyRating[] = ["ok", "ko"];

/** Bounds of an answer and of the answer window (days after the close). */
export const SURVEY_LIMITS = { commentChars: 1000, minDays: 1, maxDays: 30 } as const;

/** The settings the survey reads. */
export interface SurveySettings {
  surveyMode: SurveyMode;
  surveyComment: boolean;
  surveyWindowDays: number;
}

/**
 * The offer a close makes, or null: none when the survey is off, and none
 * for a chat no agent ever took (abandoned in the queue: nobody to rate).
 */
export function surveyOffer(
  settings: SurveySettings,
  conv: Pick<Conversation, "assigneeId" | "pickedUpAt">,
  closedAt: string,
): SurveyOffer | null {
  if (settings.surveyMode === "off") return null;
  if (!conv.assigneeId && !conv.pickedUpAt) return null;
  const days = Math.min(
    SURVEY_LIMITS.maxDays,
    Math.max(SURVEY_LIMITS.minDays, settings.surveyWindowDays),
  );
  return {
    mode: settings.surveyMode,
    comment: settings.surveyComment,
    offeredAt: closedAt,
    expiresAt: new Date(Date.parse(closedAt) + days * 86_400_000).toISOString(),
  };
}

/** An answer as given (already shaped by the boundary schema). */
export interface SurveyInput {
  rating: SurveyRating;
  nps?: number | null;
  comment?: string | null;
}

export interface SurveyRefusal {
  status: 400 | 409;
  code: string;
  message: string;
}

const refuse = (status: 400 | 409, code: string, message: string): SurveyRefusal => ({
  status,
  code,
  message,
});

/**
 * Why an answer to `conv` is refused now, or null when it may be stored.
 * `newerConversationId` is the contact's conversation on the channel opened
 * since (Parley never reopens a closed chat: a customer who writes again
 * starts a new one, and from then on the old survey is closed).
 */
export function checkSurveyAnswer(
  conv: Conversation,
  input: SurveyInput,
  nowMs: number,
  newerConversationId: string | null,
): SurveyRefusal | null {
  const offer = conv.survey;
  if (conv.status !== "closed" || !offer) {
    return refuse(409, "no_survey", "This conversation has no satisfaction survey to answer.");
  }
  if (conv.csat) {
    return refuse(409, "survey_answered", "This survey was already answered.");
  }
  if (nowMs > Date.parse(offer.expiresAt)) {
    return refuse(409, "survey_closed", "The time to answer this survey is over.");
  }
  if (newerConversationId && newerConversationId !== conv.id) {
    return refuse(
      409,
      "survey_closed",
      "A newer conversation has started since; this survey is closed.",
    );
  }
  if (!SURVEY_RATINGS.includes(input.rating)) {
    return refuse(400, "invalid", 'rating: Use "ok" or "ko".');
  }
  const nps = input.nps ?? null;
  if (nps !== null) {
    if (offer.mode !== "csat_nps") {
      return refuse(400, "invalid", "nps: This survey does not ask for a score.");
    }
    if (!isNpsScore(nps)) return refuse(400, "invalid", "nps: Use a whole number from 0 to 10.");
  }
  const comment = input.comment?.trim() ?? "";
  if (comment && !offer.comment) {
    return refuse(400, "invalid", "comment: This survey takes no comment.");
  }
  if (comment.length > SURVEY_LIMITS.commentChars) {
    return refuse(400, "invalid", `comment: At most ${SURVEY_LIMITS.commentChars} characters.`);
  }
  return null;
}

/**
 * Why a score sent after the rating (WhatsApp asks for it in a second step)
 * is refused, or null: only once, only when the offer asked for one, within
 * the window, and before the customer started a newer conversation.
 */
export function checkLateScore(
  conv: Conversation,
  nps: number,
  nowMs: number,
  newerConversationId: string | null,
): SurveyRefusal | null {
  const offer = conv.survey;
  if (conv.status !== "closed" || !offer || offer.mode !== "csat_nps" || !conv.csat) {
    return refuse(409, "no_survey", "This conversation has no score to give.");
  }
  if (conv.csat.nps !== null) return refuse(409, "survey_answered", "The score was already given.");
  if (nowMs > Date.parse(offer.expiresAt)) {
    return refuse(409, "survey_closed", "The time to answer this survey is over.");
  }
  if (newerConversationId && newerConversationId !== conv.id) {
    return refuse(409, "survey_closed", "A newer conversation has started since.");
  }
  if (!isNpsScore(nps)) return refuse(400, "invalid", "nps: Use a whole number from 0 to 10.");
  return null;
}

export function isNpsScore(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 10;
}

/** NPS groups: 9–10 promoters, 7–8 passives, 0–6 detractors. */
export function npsGroup(n: number): "promoter" | "passive" | "detractor" {
  return n >= 9 ? "promoter" : n >= 7 ? "passive" : "detractor";
}

/** The 1–5 `rating` the `csat.received` webhook has always promised: OK is 5, KO is 1. */
export function webhookRating(r: SurveyRating): 1 | 5 {
  return r === "ok" ? 5 : 1;
}

/** How an answer reads in the conversation's history (staff and customer alike). */
export function describeAnswer(a: Pick<SurveyAnswer, "rating" | "nps" | "comment">): string {
  const parts = [`Satisfaction: ${a.rating === "ok" ? "Good (OK)" : "Bad (KO)"}`];
  if (a.nps !== null) parts.push(`recommend score ${a.nps}/10`);
  let text = parts.join(", ") + ".";
  if (a.comment) text += ` Comment: “${a.comment}”`;
  return text;
}

/** The survey as the widget shows it (null when the close offered none). */
export interface VisitorSurveyView {
  mode: "csat" | "csat_nps";
  comment: boolean;
  expiresAt: string;
  /** The answer given, if any (the widget then thanks instead of asking). */
  answer: { rating: "ok" | "ko"; nps: number | null } | null;
}

export function visitorSurveyView(conv: Conversation): VisitorSurveyView | null {
  if (conv.status !== "closed" || !conv.survey) return null;
  return {
    mode: conv.survey.mode,
    comment: conv.survey.comment,
    expiresAt: conv.survey.expiresAt,
    answer: conv.csat ? { rating: conv.csat.rating, nps: conv.csat.nps } : null,
  };
}
