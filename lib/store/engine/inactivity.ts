/**
 * Inactivity timers (issue 16, item 2) as Deno KV queue jobs. A public staff
 * reply writes the timer on the conversation and enqueues its "warn" job,
 * delayed, in the reply's own commit (./messages.ts); the warning's commit
 * enqueues the "close" job the same way. Each job carries the seq of the reply
 * that started its timer, and does its step only while that timer still
 * counts (lib/domain/inactivity.ts `liveTimer`: same reply, same holding, no
 * customer message since, not closed). The decision is made inside an engine
 * commit that checks the conversation, so a customer message racing the
 * close, a repeated delivery, or the same job on two instances ends one way.
 * KV keeps delayed queue messages on disk: timers outlive a restart.
 */
import {
  customerLanguage,
  INACTIVITY_JOB,
  inactivityJob,
  type InactivityJobPayload,
  inactivityNote,
  liveTimer,
  SYSTEM_CLOSER,
  warningText,
} from "../../domain/inactivity.ts";
import type { Conversation } from "../../domain/engine_types.ts";
import type { JobRunner } from "../../jobs.ts";
import { keys } from "../keys.ts";
import { triggerAssignment } from "./assignment.ts";
import type { Engine } from "./engine.ts";
import { planClose } from "./close.ts";
import { readHolderLoad } from "./lifecycle.ts";
import { appendToLog, messageChange } from "./log.ts";
import { WHATSAPP_OUTBOUND_JOB } from "./messages.ts";
import { EngineOp } from "./op.ts";
import { getSettings, writeConversation } from "./records.ts";
import { mutate } from "./tx.ts";

export { INACTIVITY_JOB };

/** Deno KV's longest queue delay is 30 days; a longer wait is taken in steps. */
const MAX_DELAY_MS = 29 * 86_400_000;

/** What one job did: "warned", "closed", or why it did nothing. */
export type InactivityOutcome =
  | "warned"
  | "closed"
  | "stale"
  | "off"
  | { early: number };

function parsePayload(raw: unknown): InactivityJobPayload | null {
  const p = raw as Partial<InactivityJobPayload> | null;
  if (
    !p || typeof p.conversationId !== "string" || !Number.isSafeInteger(p.seq) ||
    (p.step !== "warn" && p.step !== "close")
  ) return null;
  return { conversationId: p.conversationId, seq: p.seq!, step: p.step };
}

/**
 * Runs one timer job: warns the customer (a public system message over the
 * chat's channel; the close job goes in the same commit) or closes the chat
 * for inactivity with a system wrap-up note. A stale job does nothing; a job
 * delivered before its time puts itself back (`{early}`). With inactivity
 * turned off meanwhile, the timer is dropped. `now` is for tests.
 */
export async function runInactivityJob(
  engine: Engine,
  raw: unknown,
  now = Date.now(),
): Promise<InactivityOutcome> {
  const { kv } = engine;
  const job = parsePayload(raw);
  if (!job) return "stale";
  const outcome = await mutate<InactivityOutcome>(engine, async () => {
    const entry = await kv.get<Conversation>(keys.conversation(job.conversationId));
    const conv = entry.value;
    const timer = conv ? liveTimer(conv) : null;
    if (!conv || !timer || timer.seq !== job.seq) return { value: "stale" };
    if ((job.step === "warn") !== (timer.warnedAt === null)) return { value: "stale" }; // a repeat
    const settings = await getSettings(kv);
    const op = new EngineOp().check(entry);
    if (settings.inactivityWarnSeconds === 0) {
      writeConversation(op, conv, { ...conv, inactivity: null });
      return { op, value: "off" };
    }
    const dueMs = Date.parse(job.step === "warn" ? timer.warnAt : timer.closeAt);
    if (now < dueMs) return { value: { early: dueMs - now } };
    const at = new Date().toISOString();

    if (job.step === "warn") {
      const whatsapp = conv.channel === "whatsapp";
      const appended = appendToLog(op, conv, {
        type: "message",
        kind: "text",
        author: { type: "system" },
        text: warningText(settings, customerLanguage(conv.context)),
        data: { inactivity: "warning" },
        visibility: "public",
        delivery: { status: whatsapp ? "sending" : "sent", at },
      }, at);
      const warnedAt = Date.parse(at); // the customer gets the full time from the warning on
      const next: Conversation = {
        ...appended.conv,
        inactivity: {
          ...timer,
          warnedAt: new Date(warnedAt).toISOString(),
          closeAt: new Date(warnedAt + settings.inactivityCloseSeconds * 1000).toISOString(),
        },
      };
      writeConversation(op, conv, next);
      if (whatsapp) {
        const { seq, id } = appended.message;
        op.enqueue({
          type: WHATSAPP_OUTBOUND_JOB,
          payload: { conversationId: conv.id, seq, messageId: id },
        });
      }
      const closeJob = inactivityJob(conv.id, next.inactivity!, warnedAt);
      op.enqueue(closeJob.value, { delay: closeJob.delay });
      return { op, value: "warned", changes: [messageChange(next, appended.message)] };
    }

    const fromLoad = await readHolderLoad(kv, conv);
    const wrapUp = {
      notes: inactivityNote(timer),
      tags: [],
      closedBy: SYSTEM_CLOSER,
      closedAt: at,
      reason: "inactivity" as const,
    };
    const closed = planClose(
      op,
      { ...conv, inactivity: null },
      fromLoad,
      wrapUp,
      "The conversation was closed for inactivity.",
    );
    return { op, value: "closed", changes: closed.changes };
  });
  if (typeof outcome === "object") {
    // Delivered before its time (a clock step, or a test): wait for the rest.
    const again = { type: INACTIVITY_JOB, payload: job };
    await kv.enqueue(again, { delay: Math.min(outcome.early, MAX_DELAY_MS) });
  }
  if (outcome === "closed") await triggerAssignment(engine);
  return outcome;
}

/** Registers the timer job on the app's one queue listener (lib/jobs.ts). */
export function registerInactivityJob(deps: { engine: Engine; jobs: JobRunner }): void {
  deps.jobs.on(INACTIVITY_JOB, async (payload) => {
    await runInactivityJob(deps.engine, payload);
  });
}
