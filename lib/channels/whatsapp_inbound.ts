/**
 * Processing what the webhook stored and queued (whatsapp_webhook.ts):
 *
 * - `whatsapp.drain {customerId}`: the customer's inbox, oldest first
 *   (whatsapp_inbox.ts). Each message goes to the engine's
 *   `receiveCustomerMessage` with Meta's message id as the clientId, so a
 *   redelivered webhook (or job) stores nothing new. The profile name and
 *   number become the contact; the same number continues its open
 *   conversation, or opens a new one after close. The conversation's 24-hour
 *   window (per customer) moves to the message's time and media ids are
 *   remembered for the media proxy, both before the message is stored.
 * - `whatsapp.statuses {statuses}`: each status updates the outbound message
 *   it names (whatsapp_outbound.ts).
 *
 * A typed 4xx error from the engine for one item (bad input) is logged and
 * skipped so it cannot block the rest; anything else throws, and KV redelivers
 * the job later (every step is idempotent).
 */
import { ellipsize, truncateText } from "../domain/text.ts";
import { AppError } from "../errors.ts";
import { MAX_TEXT_CHARS } from "../domain/limits.ts";
import { receiveCustomerMessage } from "../store/engine/customer.ts";
import { keys } from "../store/keys.ts";
import { loadWhatsAppSettings } from "../store/whatsapp_config.ts";
import type { Config } from "../../fresh.config.ts";
import { applyWhatsAppStatus } from "./whatsapp_outbound.ts";
import type { WhatsAppInbound } from "./whatsapp_payload.ts";
import type { StatusJob } from "./whatsapp_webhook.ts";
import { drainInbox } from "./whatsapp_inbox.ts";
import { storeInboundMedia } from "./whatsapp_media.ts";
import { findContact } from "../store/engine/records.ts";
import { noteCustomerMessage } from "./whatsapp_window.ts";
import { takeSurveyReply } from "./whatsapp_survey.ts";
import { afterWhatsAppMessage } from "./whatsapp_away.ts";
import type { Engine } from "../store/engine/engine.ts";

const MAX_DATA_JSON = 12 * 1024;

/** Fits a message into the engine's bounds without losing what matters to the agent. */
function engineFields(m: WhatsAppInbound): { text: string; data: Record<string, unknown> } {
  let text = ellipsize(m.text, MAX_TEXT_CHARS); // cut on whole characters (emoji stay whole)
  if (text.trim() === "") text = `[empty ${m.kind} message]`;
  let data: Record<string, unknown> = {
    ...m.data,
    whatsapp: { messageId: m.id, sentAt: m.sentAt, phoneNumberId: m.phoneNumberId },
  };
  if (JSON.stringify(data).length > MAX_DATA_JSON) {
    // Shared contact cards can be long; the text keeps their summary.
    const { contacts: _dropped, location: _l, ...rest } = data;
    data = { ...rest, truncated: true };
  }
  return { text, data };
}

/** Stores one customer message (idempotent) and notes its window and media. */
export async function receiveWhatsAppMessage(
  deps: { kv: Deno.Kv; engine: Engine; config: Config },
  m: WhatsAppInbound,
  teamId: string | null = null,
): Promise<{ conversationId: string; duplicate: boolean }> {
  const { text, data } = engineFields(m);
  // Noted first, so nobody sees the message before its window and media are known.
  await noteCustomerMessage(deps.kv, m.customer.id, m.sentAt);
  // A tap on the satisfaction survey's buttons, or the score it asked for: not a new message.
  const survey = await takeSurveyReply(deps.engine, m);
  if (survey) return survey;
  const media = m.data.media as { id?: string; mimeType?: string | null } | undefined;
  const mediaRef = media?.id
    ? { key: keys.whatsappMedia(media.id), mimeType: media.mimeType ?? null }
    : null;
  if (mediaRef) {
    await deps.kv.set(mediaRef.key, { customerId: m.customer.id, mimeType: mediaRef.mimeType });
  }
  // Photos and documents are kept in Parley's own store (whatsapp_media.ts); a repeat of a
  // message already stored downloads nothing (its upload would only wait for the clean-up).
  const known = media?.id && !(await isStored(deps, m))
    ? await storeInboundMedia(deps.kv, await loadWhatsAppSettings(deps), m.customer.id, m.kind, {
      id: media.id,
      mimeType: media.mimeType,
      filename: (m.data.media as { filename?: string | null }).filename,
    })
    : null;
  const result = await receiveCustomerMessage(deps.engine, {
    channel: "whatsapp",
    contact: {
      whatsappId: m.customer.id,
      name: m.customer.name ? truncateText(m.customer.name, 200) : null,
      phone: m.customer.phone,
    },
    clientId: m.id,
    text,
    kind: m.kind,
    data,
    teamId,
    ...(known ? { attachments: [known] } : {}),
  });
  const conversationId = result.conversation.id;
  // Out of hours: one automatic away reply per conversation (./whatsapp_away.ts).
  // (A redelivered message asks again: the engine sends it once per conversation all the same.)
  await afterWhatsAppMessage(deps.engine, result.conversation);
  if (mediaRef) {
    await deps.kv.set(mediaRef.key, {
      customerId: m.customer.id,
      conversationId,
      mimeType: mediaRef.mimeType,
    });
  }
  return { conversationId, duplicate: result.duplicate };
}

/** Whether this WhatsApp message (by its wamid) is already in a conversation. */
async function isStored(deps: { kv: Deno.Kv }, m: WhatsAppInbound): Promise<boolean> {
  const contact = await findContact(deps.kv, "whatsapp", m.customer.id);
  if (!contact) return false;
  return (await deps.kv.get(keys.messageClientId(`contact:${contact.id}`, m.id))).value !== null;
}

/** Processes one `whatsapp.drain` job: the customer's waiting messages, in order. */
export async function processDrainJob(
  deps: { kv: Deno.Kv; engine: Engine; config: Config },
  payload: unknown,
): Promise<void> {
  const customerId = (payload as { customerId?: unknown } | null)?.customerId;
  if (typeof customerId !== "string" || customerId === "") {
    console.warn("whatsapp: dropped a malformed drain job");
    return;
  }
  const settings = await loadWhatsAppSettings(deps);
  await drainInbox(deps.kv, customerId, async (message) => {
    try {
      await receiveWhatsAppMessage(deps, message, settings.teamId);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 409) throw err; // transient: redeliver
      console.warn(
        `whatsapp: message ${JSON.stringify(message.id)} refused by the engine: ${err.message}`,
      );
    }
  });
}

/** Processes one `whatsapp.statuses` job. */
export async function processStatusJob(engine: Engine, job: StatusJob): Promise<void> {
  for (const status of job.statuses ?? []) {
    try {
      await applyWhatsAppStatus(engine, status);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 409) throw err;
      console.warn(
        `whatsapp: status ${status.status} of ${
          JSON.stringify(status.wamid)
        } not applied: ${err.message}`,
      );
    }
  }
}
