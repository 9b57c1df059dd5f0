/**
 * The WhatsApp channel's entry points for the rest of Parley.
 *
 * - {@link registerWhatsAppJobs}: the `whatsapp.drain` (a customer's messages,
 *   in order), `whatsapp.statuses` (delivery statuses) and `whatsapp.outbound`
 *   (agent replies) job handlers on `deps.jobs`.
 * - {@link testWhatsAppConnection}: the admin console's "Test connection".
 * - {@link openWhatsAppMedia}: the staff media proxy (photos, voice notes,
 *   documents are fetched from the Graph API with the token on request; the
 *   token never reaches the browser, and only media that arrived in a
 *   conversation the caller may see can be opened).
 * - {@link whatsAppStateForStaff}: the 24-hour window of a conversation.
 *
 * How the pieces fit:
 * - in: whatsapp_webhook.ts (verify, parse, store and queue) → whatsapp_inbox.ts
 *   (each customer's messages in order) → whatsapp_inbound.ts (the engine);
 * - out: the engine commits a reply and queues it → whatsapp_outbound.ts
 *   (Graph API, retries, in order; statuses back onto the message);
 * - whatsapp_graph.ts (HTTP client, error classes), whatsapp_payload.ts
 *   (schemas → records), whatsapp_window.ts (24 hours), whatsapp_signature.ts.
 */
import type { Config } from "../../fresh.config.ts";
import type { JobRunner } from "../jobs.ts";
import { forbidden, notFound } from "../errors.ts";
import type { Agent } from "../store/agents.ts";
import type { Engine } from "../store/engine/engine.ts";
import { findContact, getConversation, getOpenConversation } from "../store/engine/records.ts";
import { canView } from "../domain/permissions.ts";
import { keys } from "../store/keys.ts";
import { loadWhatsAppSettings } from "../store/whatsapp_config.ts";
import {
  checkGraphConnection,
  type ConnectionCheck,
  downloadWhatsAppMedia,
  getWhatsAppMedia,
} from "./whatsapp_graph.ts";
import { processDrainJob, processStatusJob } from "./whatsapp_inbound.ts";
import { getOutboundDelivery, runOutboundJob, WHATSAPP_OUTBOUND_JOB } from "./whatsapp_outbound.ts";
import { STATUS_JOB, type StatusJob } from "./whatsapp_webhook.ts";
import { DRAIN_JOB, SWEEP_INTERVAL_MS, SWEEP_JOB, sweepInboxes } from "./whatsapp_inbox.ts";
import { getWhatsAppWindow, type WhatsAppWindow } from "./whatsapp_window.ts";

export { getOutboundDelivery, getWhatsAppWindow, type WhatsAppWindow };

/** What the WhatsApp channel needs of the app (a part of `AppDeps`). */
export interface WhatsAppDeps {
  kv: Deno.Kv;
  engine: Engine;
  config: Config;
  jobs: JobRunner;
}

/** Registers the WhatsApp job handlers (call once per app, before `jobs.start()`). */
export function registerWhatsAppJobs(deps: WhatsAppDeps): void {
  deps.jobs.on(DRAIN_JOB, (payload) => processDrainJob(deps, payload));
  deps.jobs.on(STATUS_JOB, (payload) => processStatusJob(deps.engine, payload as StatusJob));
  deps.jobs.on(WHATSAPP_OUTBOUND_JOB, (payload) => runOutboundJob(deps, payload));
  // The inbox sweep: one live chain (the last instance started owns it, as the engine's sweep).
  const { kv, jobs } = deps;
  jobs.on(SWEEP_JOB, async (payload) => {
    const chain = (payload as { chain?: string } | null)?.chain;
    if (!chain || chain !== (await kv.get<string>(keys.whatsappTick())).value) return;
    try {
      await sweepInboxes(kv);
    } catch (err) {
      console.error("whatsapp: inbox sweep failed:", err);
    }
    await jobs.enqueue(SWEEP_JOB, { chain }, { delay: SWEEP_INTERVAL_MS });
  });
  const chain = crypto.randomUUID();
  kv.set(keys.whatsappTick(), chain)
    .then(() => jobs.enqueue(SWEEP_JOB, { chain }, { delay: SWEEP_INTERVAL_MS }))
    .catch(() => {/* KV closed during start-up (tests): no chain */});
}

/**
 * Calls the Graph API with the current settings (GET the phone number id) and
 * says whether the connection works, naming the number, or what is wrong.
 * Never includes a secret in its answer.
 */
export async function testWhatsAppConnection(
  deps: Pick<WhatsAppDeps, "kv" | "config">,
): Promise<ConnectionCheck> {
  return await checkGraphConnection(await loadWhatsAppSettings(deps));
}

async function visibleConversation(deps: Pick<WhatsAppDeps, "kv">, agent: Agent, id: string) {
  const conversation = await getConversation(deps.kv, id);
  if (!conversation || conversation.channel !== "whatsapp") throw notFound("Conversation");
  if (!canView(agent, conversation)) throw forbidden("You cannot see this conversation.");
  return conversation;
}

/** The WhatsApp state of a conversation the agent may see: its 24-hour window. */
export async function whatsAppStateForStaff(
  deps: Pick<WhatsAppDeps, "kv">,
  agent: Agent,
  conversationId: string,
): Promise<{ conversationId: string; window: WhatsAppWindow }> {
  await visibleConversation(deps, agent, conversationId);
  return { conversationId, window: await getWhatsAppWindow(deps.kv, conversationId) };
}

/** Types served inline; anything else (HTML, SVG, scripts...) is a download. */
const INLINE_TYPES =
  /^(image\/(jpeg|png|webp|gif)|audio\/(ogg|mpeg|mp4|aac|amr)|video\/(mp4|3gpp)|application\/pdf)$/;

/**
 * Streams a customer's media to a staff member. 404 for an id that did not
 * arrive in a WhatsApp message, 403 when the conversation is not theirs to
 * see, 502-free: Graph failures become a 404 with the reason (the link may
 * have expired at Meta after 30 days).
 */
export async function openWhatsAppMedia(
  deps: Pick<WhatsAppDeps, "kv" | "config">,
  agent: Agent,
  mediaId: string,
): Promise<Response> {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(mediaId)) throw notFound("Media");
  const ref = (await deps.kv.get<
    { customerId: string; conversationId?: string; mimeType: string | null }
  >(keys.whatsappMedia(mediaId))).value;
  if (!ref) throw notFound("Media");
  // The conversation is recorded just after the message commits; until then it is the
  // customer's open one.
  let conversationId = ref.conversationId;
  if (!conversationId) {
    const contact = await findContact(deps.kv, "whatsapp", ref.customerId);
    conversationId = contact
      ? (await getOpenConversation(deps.kv, contact.id, "whatsapp"))?.id
      : undefined;
  }
  if (!conversationId) throw notFound("Media");
  await visibleConversation(deps, agent, conversationId);
  const settings = await loadWhatsAppSettings(deps);
  const info = await getWhatsAppMedia(settings, mediaId);
  if (!info.ok) return mediaError(info.failure.reason);
  const download = await downloadWhatsAppMedia(settings, info.value.url);
  if (!download.ok) return mediaError(download.failure.reason);
  const type = (info.value.mimeType ?? ref.mimeType ?? "").split(";")[0].trim().toLowerCase();
  const inline = INLINE_TYPES.test(type);
  const headers = new Headers({
    "content-type": inline ? type : "application/octet-stream",
    "content-disposition": inline ? "inline" : `attachment; filename="whatsapp-${mediaId}"`,
    "cache-control": "private, max-age=3600",
    "content-security-policy": "default-src 'none'; sandbox",
    "x-content-type-options": "nosniff",
  });
  const length = download.value.headers.get("content-length");
  if (length) headers.set("content-length", length);
  return new Response(download.value.body, { status: 200, headers });
}

function mediaError(reason: string): Response {
  return Response.json(
    { error: { code: "media_unavailable", message: `The media could not be fetched: ${reason}` } },
    { status: 404 },
  );
}
