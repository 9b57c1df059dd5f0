/**
 * Inactivity (issue 16, item 2), the rules without I/O: when a staff reply
 * starts the timer, when a timer still counts, what the customer is told and
 * what the wrap-up says. The store (lib/store/engine/inactivity.ts) runs the
 * queue jobs; the workspace pane shows the countdown with {@link liveTimer}.
 *
 * Decisions: off by default (`inactivityWarnSeconds: 0`), since closing a
 * customer's chat by itself is a behaviour an admin opts into; once on, the
 * chat closes `inactivityCloseSeconds` (default 5 min) after the warning. The
 * timer belongs to one reply and one holding: a newer reply starts a new one,
 * a customer message clears it, and a transfer, requeue or close leaves it
 * stale (a job finding it so does nothing). WhatsApp template messages do not
 * start one (they are sent when the customer's window is closed, so a warning
 * could not reach them).
 */
import type { Conversation, InactivityTimer, Settings } from "./engine_types.ts";

/** The languages the warning text is kept in (the widget's own languages: widget/i18n.ts). */
export const INACTIVITY_LANGUAGES = ["en", "es", "pt", "de"] as const;
export type InactivityLanguage = (typeof INACTIVITY_LANGUAGES)[number];

export const DEFAULT_WARNING_TEXT: Record<InactivityLanguage, string> = {
  en: "Are you still there? This chat will close soon if we do not hear from you.",
  es: "¿Sigues ahí? Este chat se cerrará pronto si no recibimos respuesta.",
  pt: "Você ainda está aí? Este chat será encerrado em breve se não tivermos notícias suas.",
  de: "Sind Sie noch da? Dieser Chat wird bald geschlossen, wenn wir nichts von Ihnen hören.",
};

/** Bounds of the two durations (seconds), as for the unanswered-chat timeout. */
export const INACTIVITY_SECONDS = { min: 10, max: 86_400 } as const;
export const MAX_WARNING_CHARS = 1000;

/** Who closes a chat for inactivity (the wrap-up's `closedBy`, the change's `closedBy`). */
export const SYSTEM_CLOSER = "system";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The conversation after a public staff reply `seq` at `atMs`: a fresh timer
 * when inactivity is on and the chat is held, else none (a reply always
 * replaces the previous timer). Returns `conv` itself when nothing changes.
 */
export function afterStaffReply(
  conv: Conversation,
  seq: number,
  atMs: number,
  settings: Settings,
  opts: { template?: boolean } = {},
): Conversation {
  const on = settings.inactivityWarnSeconds > 0 && !opts.template &&
    conv.status === "active" && conv.assigneeId !== null && conv.assignedAt !== null;
  if (!on) return conv.inactivity ? { ...conv, inactivity: null } : conv;
  const warnAt = atMs + settings.inactivityWarnSeconds * 1000;
  const timer: InactivityTimer = {
    seq,
    agentId: conv.assigneeId!,
    assignedAt: conv.assignedAt!,
    warnAt: iso(warnAt),
    closeAt: iso(warnAt + settings.inactivityCloseSeconds * 1000),
    warnedAt: null,
  };
  return { ...conv, inactivity: timer };
}

/** The conversation after a customer message: any timer is cleared. */
export function afterCustomerMessage(conv: Conversation): Conversation {
  return conv.inactivity ? { ...conv, inactivity: null } : conv;
}

/**
 * The timer that still counts, or null: the chat is Active and held by the
 * same agent since the same assignment as when the timer started.
 */
export function liveTimer(
  conv: Pick<Conversation, "status" | "assigneeId" | "assignedAt" | "inactivity">,
): InactivityTimer | null {
  const t = conv.inactivity;
  if (!t || conv.status !== "active") return null;
  return conv.assigneeId === t.agentId && conv.assignedAt === t.assignedAt ? t : null;
}

/** The language of a conversation's customer ("es-MX" → "es"), English when unknown. */
export function customerLanguage(context: Record<string, unknown>): InactivityLanguage {
  const raw = context.language ?? context.lang;
  const code = typeof raw === "string" ? raw.slice(0, 2).toLowerCase() : "";
  return (INACTIVITY_LANGUAGES as readonly string[]).includes(code)
    ? code as InactivityLanguage
    : "en";
}

/** The warning in the customer's language (the admin's text, else the default; English fills gaps). */
export function warningText(settings: Settings, language: InactivityLanguage): string {
  const own = settings.inactivityWarningText ?? {};
  return own[language]?.trim() || DEFAULT_WARNING_TEXT[language] || own.en?.trim() ||
    DEFAULT_WARNING_TEXT.en;
}

/** "5 min", "90 s", "1 h 30 min": a duration for the wrap-up note. */
export function durationWords(seconds: number): string {
  if (seconds < 60 || seconds % 60 !== 0 && seconds < 600) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** The system wrap-up note of an inactivity close. */
export function inactivityNote(timer: InactivityTimer): string {
  const warned = Date.parse(timer.warnedAt ?? timer.warnAt);
  const waited = Math.round((Date.parse(timer.closeAt) - warned) / 1000);
  return `Closed automatically for inactivity: the customer did not reply for ${
    durationWords(waited)
  } after the inactivity warning.`;
}

/** The queue job type of inactivity timers (lib/store/engine/inactivity.ts runs it). */
export const INACTIVITY_JOB = "engine.inactivity";

/** What a timer job carries: the chat, the reply that started the timer, and the step. */
export interface InactivityJobPayload {
  conversationId: string;
  seq: number;
  step: "warn" | "close";
}

/** The queue message (and its delay) for a timer's next step, due at `warnAt` or `closeAt`. */
export function inactivityJob(
  conversationId: string,
  timer: InactivityTimer,
  nowMs: number,
): { value: { type: string; payload: InactivityJobPayload }; delay: number } {
  const step = timer.warnedAt ? "close" : "warn";
  const due = Date.parse(step === "warn" ? timer.warnAt : timer.closeAt);
  return {
    value: { type: INACTIVITY_JOB, payload: { conversationId, seq: timer.seq, step } },
    delay: Math.max(0, due - nowMs),
  };
}
