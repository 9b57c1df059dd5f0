/**
 * Outbound WhatsApp delivery and the statuses that come back.
 *
 * The engine commits an agent's reply in a WhatsApp chat with delivery
 * "sending" and, in the same atomic op, enqueues the `whatsapp.outbound` job
 * `{conversationId, seq, messageId}` (lib/store/engine/messages.ts). This job
 * POSTs the text (or, for a message of kind "template", Meta's `template`
 * object with the filled values: whatsapp_templates.ts; for a reply with
 * files, each file uploaded and sent as an image or document:
 * whatsapp_media.ts) to the Graph API and then:
 *
 * - accepted: stores Meta's message id (wamid) with a link back to the
 *   message, marks it "sent", and applies any status that arrived first;
 * - transient failure (network, 5xx, 429, rate-limit codes): re-enqueues
 *   itself with exponential backoff (base `WHATSAPP_RETRY_BASE_MS`, doubled
 *   per attempt, at least Retry-After, at most 5 minutes), up to
 *   {@link MAX_ATTEMPTS}; the message stays "sending";
 * - permanent failure (or attempts used up): marks the message "failed" with
 *   Meta's code and a readable reason (131047: outside the 24-hour window).
 *
 * Replies leave in order: the KV queue runs jobs concurrently, so a job
 * whose conversation has an earlier reply still "sending" (written less than
 * 15 minutes ago) re-enqueues itself shortly instead of overtaking it.
 *
 * Queues deliver at least once: the record `["whatsapp_outbound", messageId]`
 * makes a repeated or stale job a no-op once the message was accepted or
 * failed, or a newer attempt exists. (A crash between Meta accepting and the
 * wamid being stored can still send twice; Meta offers no idempotency key.)
 *
 * Statuses (sent, delivered, read, failed) find their message through the
 * wamid link; the engine's `updateMessageDelivery` never moves a message
 * backwards, so duplicates and out-of-order statuses are harmless. A status
 * that beats the link (Meta can be faster than our write) is parked for 7
 * days under `["whatsapp_early_status", wamid, status]` and applied on link.
 */
import { z } from "zod";
import type { JobMessage } from "../jobs.ts";
import { WHATSAPP_OUTBOUND_JOB } from "../store/engine/messages.ts";
import { listMessagesForStaff, updateMessageDelivery } from "../store/engine/messages.ts";
import { getContact, getConversation, getMessage } from "../store/engine/records.ts";
import { keys } from "../store/keys.ts";
import { canSend, loadWhatsAppSettings } from "../store/whatsapp_config.ts";
import type { Config } from "../../fresh.config.ts";
import {
  messageBody,
  reasonForCode,
  sendWhatsAppMessage,
  sendWhatsAppText,
  templateMessageBody,
} from "./whatsapp_graph.ts";
import { type TemplateMessageData, templateSendObject } from "../domain/whatsapp_templates.ts";
import type { WhatsAppStatus } from "./whatsapp_payload.ts";
import type { Engine } from "../store/engine/engine.ts";
import { sendWithAttachments } from "./whatsapp_media.ts";

export { WHATSAPP_OUTBOUND_JOB };

/** Attempts before a transiently failing message is marked failed. */
export const MAX_ATTEMPTS = 8;
const MAX_DELAY_MS = 5 * 60_000;
const EARLY_STATUS_TTL_MS = 7 * 24 * 60 * 60_000;

export const outboundJobSchema = z.object({
  conversationId: z.string().min(1),
  seq: z.number().int().positive(),
  messageId: z.string().min(1),
  attempt: z.number().int().min(1).optional(),
});
export type OutboundJob = z.infer<typeof outboundJobSchema>;

/** What we know about one outbound message's trip to Meta. */
export interface OutboundDelivery {
  messageId: string;
  conversationId: string;
  attempt: number;
  state: "retrying" | "accepted" | "failed";
  wamid: string | null;
  lastError: { code: string; reason: string } | null;
  updatedAt: string;
}

interface WamidLink {
  messageId: string;
  conversationId: string;
}

/** The delay before attempt `attempt + 1`. */
export function backoffMs(baseMs: number, attempt: number, retryAfterMs: number | null): number {
  const exp = Math.min(MAX_DELAY_MS, baseMs * 2 ** (attempt - 1));
  const jitter = exp * 0.2 * Math.random();
  return Math.min(MAX_DELAY_MS, Math.max(retryAfterMs ?? 0, Math.round(exp + jitter)));
}

export async function getOutboundDelivery(
  kv: Deno.Kv,
  messageId: string,
): Promise<OutboundDelivery | null> {
  return (await kv.get<OutboundDelivery>(keys.whatsappOutbound(messageId))).value;
}

async function fail(
  engine: Engine,
  job: OutboundJob,
  attempt: number,
  code: string,
  reason: string,
): Promise<void> {
  const { kv } = engine;
  const record: OutboundDelivery = {
    messageId: job.messageId,
    conversationId: job.conversationId,
    attempt,
    state: "failed",
    wamid: null,
    lastError: { code, reason },
    updatedAt: new Date().toISOString(),
  };
  await kv.set(keys.whatsappOutbound(job.messageId), record);
  await updateMessageDelivery(engine, job.messageId, { status: "failed", code, reason });
}

/** Marks an accepted message "sent" and applies the statuses that arrived before the link. */
async function markSent(engine: Engine, job: OutboundJob, wamid: string): Promise<void> {
  const { kv } = engine;
  await updateMessageDelivery(engine, job.messageId, { status: "sent" });
  for await (
    const early of kv.list<WhatsAppStatus>({ prefix: keys.whatsappEarlyStatusPrefix(wamid) })
  ) {
    await applyWhatsAppStatus(engine, early.value);
    await kv.delete(early.key);
  }
}

/** An earlier reply still "sending" after this long no longer holds later ones back. */
const ORDER_WAIT_LIMIT_MS = 15 * 60_000;

/**
 * When an earlier agent reply of the conversation (among the 50 before `seq`)
 * is still on its way to Meta, how long to wait before looking again
 * (longer while it is backing off); null when nothing earlier is pending.
 */
async function earlierReplyPending(
  kv: Deno.Kv,
  conversationId: string,
  seq: number,
): Promise<number | null> {
  const earlier = await listMessagesForStaff(kv, conversationId, Math.max(0, seq - 51), 50);
  const now = Date.now();
  const pending = earlier.find((m) =>
    m.seq < seq && m.author.type === "agent" && m.delivery?.status === "sending" &&
    now - Date.parse(m.createdAt) < ORDER_WAIT_LIMIT_MS
  );
  if (!pending) return null;
  const record = await getOutboundDelivery(kv, pending.id);
  return record?.state === "retrying" ? 1000 : 50;
}

/** Runs one delivery attempt of an agent's reply (the `whatsapp.outbound` job). */
export async function runOutboundJob(
  deps: { kv: Deno.Kv; engine: Engine; config: Config },
  raw: unknown,
): Promise<void> {
  const parsed = outboundJobSchema.safeParse(raw);
  if (!parsed.success) {
    console.warn("whatsapp: dropped a malformed outbound job");
    return;
  }
  const job = parsed.data;
  const attempt = job.attempt ?? 1;
  const { kv, engine } = deps;
  const entry = await kv.get<OutboundDelivery>(keys.whatsappOutbound(job.messageId));
  const known = entry.value;
  // A redelivery after the outcome was recorded (the run that recorded it may have died
  // before telling the engine): finish telling it; never send again.
  if (known?.state === "accepted" && known.wamid) return await markSent(engine, job, known.wamid);
  if (known?.state === "failed") {
    const error = known.lastError ?? { code: "unknown", reason: "" };
    await updateMessageDelivery(engine, job.messageId, { status: "failed", ...error });
    return;
  }
  if (known && known.attempt !== attempt) return; // a stale copy of an earlier attempt

  const message = await getMessage(kv, job.conversationId, job.seq);
  if (!message || message.id !== job.messageId || message.delivery?.status !== "sending") return;
  // Replies leave in the order the agent wrote them: wait while an earlier one is on its way.
  const waitMs = await earlierReplyPending(kv, job.conversationId, job.seq);
  if (waitMs !== null) {
    await kv.enqueue({ type: WHATSAPP_OUTBOUND_JOB, payload: job } satisfies JobMessage, {
      delay: waitMs,
    });
    return;
  }
  const conversation = await getConversation(kv, job.conversationId);
  const contact = conversation ? await getContact(kv, conversation.contactId) : null;
  if (!contact?.whatsappId) {
    return await fail(
      engine,
      job,
      attempt,
      "no_recipient",
      "This conversation has no WhatsApp contact.",
    );
  }
  const settings = await loadWhatsAppSettings(deps);
  if (!canSend(settings)) {
    return await fail(
      engine,
      job,
      attempt,
      "not_configured",
      "WhatsApp is not connected: an admin must set the phone number id and access token.",
    );
  }
  // wa_id is the number's digits; anything else is a business-scoped user id.
  const to = /^\d+$/.test(contact.whatsappId)
    ? { waId: contact.whatsappId, userId: null }
    : { waId: null, userId: contact.whatsappId };
  // A template message goes out as Meta's `template` type, with the values the agent filled.
  const template = message.kind === "template"
    ? (message.data?.template as TemplateMessageData | undefined)
    : undefined;
  // The satisfaction survey's messages carry their Graph fields (lib/domain/survey_whatsapp.ts).
  const fields = message.kind.startsWith("survey_") ? message.data?.send : undefined;
  const result = template
    ? await sendWhatsAppMessage(settings, templateMessageBody(to, templateSendObject(template)))
    : fields && typeof fields === "object"
    ? await sendWhatsAppMessage(settings, messageBody(to, fields as Record<string, unknown>))
    : message.attachments?.length
    ? await sendWithAttachments(kv, settings, to, message) // files: several Graph messages
    : await sendWhatsAppText(settings, to, message.text);

  if (result.ok) {
    const wamid = result.value.wamid;
    const record: OutboundDelivery = {
      messageId: job.messageId,
      conversationId: job.conversationId,
      attempt,
      state: "accepted",
      wamid,
      lastError: null,
      updatedAt: new Date().toISOString(),
    };
    await kv.atomic()
      .set(keys.whatsappOutbound(job.messageId), record)
      .set(
        keys.whatsappByWamid(wamid),
        {
          messageId: job.messageId,
          conversationId: job.conversationId,
        } satisfies WamidLink,
      )
      .commit();
    await markSent(engine, job, wamid);
    return;
  }

  const failure = result.failure;
  const code = String(failure.code ?? failure.status ?? "network");
  if (!failure.retry) return await fail(engine, job, attempt, code, failure.reason);
  if (attempt >= MAX_ATTEMPTS) {
    return await fail(
      engine,
      job,
      attempt,
      code,
      `WhatsApp did not accept the message after ${attempt} attempts: ${
        failure.reason.replace(/; retrying\.$/, ".")
      }`,
    );
  }
  const next: OutboundDelivery = {
    messageId: job.messageId,
    conversationId: job.conversationId,
    attempt: attempt + 1,
    state: "retrying",
    wamid: null,
    lastError: { code, reason: failure.reason },
    updatedAt: new Date().toISOString(),
  };
  const retry: JobMessage = {
    type: WHATSAPP_OUTBOUND_JOB,
    payload: { ...job, attempt: attempt + 1 },
  };
  const committed = await kv.atomic()
    .check(entry)
    .set(keys.whatsappOutbound(job.messageId), next)
    .enqueue(retry, { delay: backoffMs(settings.retryBaseMs, attempt, failure.retryAfterMs) })
    .commit();
  if (!committed.ok) return; // a concurrent run of this job moved on; it owns the retry
}

/** The engine's delivery update for a webhook status, with a readable reason for failures. */
function deliveryUpdate(s: WhatsAppStatus) {
  if (s.status !== "failed") return { status: s.status };
  const code = s.error ? String(s.error.code) : "unknown";
  const fallback = s.error
    ? `${s.error.title}${
      s.error.details && s.error.details !== s.error.title ? `: ${s.error.details}` : ""
    }`
    : "WhatsApp reported the message as failed.";
  return {
    status: "failed" as const,
    code,
    reason: s.error ? reasonForCode(s.error.code) ?? fallback : fallback,
  };
}

/**
 * Applies a status webhook to the message it names. Returns "applied" (the
 * state moved or was already there), or "parked" when the wamid is not linked
 * yet (unknown or not yet stored by the delivery job).
 */
export async function applyWhatsAppStatus(
  engine: Engine,
  status: WhatsAppStatus,
): Promise<"applied" | "parked"> {
  const { kv } = engine;
  let link = (await kv.get<WamidLink>(keys.whatsappByWamid(status.wamid))).value;
  if (!link) {
    await kv.set(keys.whatsappEarlyStatus(status.wamid, status.status), status, {
      expireIn: EARLY_STATUS_TTL_MS,
    });
    // The delivery job may have linked it between our read and our write.
    link = (await kv.get<WamidLink>(keys.whatsappByWamid(status.wamid))).value;
    if (!link) return "parked";
  }
  await updateMessageDelivery(engine, link.messageId, deliveryUpdate(status));
  return "applied";
}
