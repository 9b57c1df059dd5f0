/**
 * Files over WhatsApp, both ways, through Parley's own attachment store
 * (lib/store/attachments.ts):
 * - in: a customer's photo or document is downloaded once from the Graph API
 *   (GET /{media-id} gives a short-lived URL; GET that URL with the token
 *   gives the bytes) and stored like any upload, owner "whatsapp:WA_ID", so
 *   it stays viewable after Meta forgets it (30 days) and is served with the
 *   same safe headers. A file Parley does not allow (audio, video, a type
 *   outside the list, over 10 MB) or a failed download keeps the media proxy
 *   link instead (lib/channels/whatsapp.ts `openWhatsAppMedia`).
 * - out: an agent's reply with files uploads each to POST /{phone-id}/media
 *   and sends it as an image (JPEG, PNG) or a document (everything else), the
 *   text as the first file's caption (or as its own message first when longer
 *   than a caption may be). The parts already accepted are remembered per
 *   message, so a retried job never sends a part twice.
 */
import type { Message } from "../domain/engine_types.ts";
import type { AttachmentRef } from "../domain/attachments.ts";
import { MAX_ATTACHMENT_BYTES } from "../domain/attachments.ts";
import { AppError } from "../errors.ts";
import {
  getAttachment,
  readAttachment,
  scheduleCleanupWith,
  storeAttachment,
} from "../store/attachments.ts";
import { keys } from "../store/keys.ts";
import type { WhatsAppSettings } from "../store/whatsapp_config.ts";
import {
  downloadWhatsAppMedia,
  getWhatsAppMedia,
  graphFetch,
  type GraphResult,
  jsonOf,
  type Recipient,
  sendWhatsAppMessage,
  textMessageBody,
} from "./whatsapp_graph.ts";

/** WhatsApp's longest caption on an image or document. */
const MAX_CAPTION = 1024;

/** Inbound kinds whose file Parley keeps (its allow-list has no audio or video). */
const KEPT_KINDS = new Set(["image", "document", "sticker"]);

/**
 * Downloads a customer's media and stores it as an attachment for their next
 * message; the attachment id, or null when it is not kept (see the module
 * comment: the proxy link remains).
 */
export async function storeInboundMedia(
  kv: Deno.Kv,
  settings: WhatsAppSettings,
  customerId: string,
  kind: string,
  media: { id: string; mimeType?: string | null; filename?: string | null },
): Promise<string | null> {
  if (!KEPT_KINDS.has(kind) || !settings.accessToken) return null;
  const info = await getWhatsAppMedia(settings, media.id);
  if (!info.ok) return null;
  if (info.value.fileSize !== null && info.value.fileSize > MAX_ATTACHMENT_BYTES) return null;
  const download = await downloadWhatsAppMedia(settings, info.value.url);
  if (!download.ok) return null;
  const type = info.value.mimeType ?? media.mimeType ?? "";
  try {
    const stored = await storeAttachment(kv, download.value.body, {
      filename: media.filename || `whatsapp-${kind}`,
      declaredType: type,
      owner: `whatsapp:${customerId}`,
      conversationId: null,
      maxBytes: MAX_ATTACHMENT_BYTES,
      scheduleCleanup: scheduleCleanupWith(kv),
    });
    return stored.id;
  } catch (err) {
    if (err instanceof AppError) return null; // not a type Parley keeps, or too large
    throw err;
  }
}

/** One Graph message of an outbound reply: its text, or one of its files. */
type Part = { text: string } | { file: AttachmentRef; caption: string | null };

/** The Graph messages an agent's reply with files becomes, in order. */
export function outboundParts(message: Pick<Message, "text" | "attachments">): Part[] {
  const files = message.attachments ?? [];
  const text = message.text.trim();
  if (files.length === 0) return [{ text: message.text }];
  const captioned = text !== "" && text.length <= MAX_CAPTION;
  const parts: Part[] = text !== "" && !captioned ? [{ text: message.text }] : [];
  files.forEach((file, i) => parts.push({ file, caption: i === 0 && captioned ? text : null }));
  return parts;
}

/** How WhatsApp shows a file: only JPEG and PNG are images there; the rest go as documents. */
export function whatsappMediaKind(contentType: string): "image" | "document" {
  return contentType === "image/jpeg" || contentType === "image/png" ? "image" : "document";
}

/** Uploads a stored attachment to `/{phone-id}/media`; Meta's media id back. */
export async function uploadWhatsAppMedia(
  kv: Deno.Kv,
  settings: WhatsAppSettings,
  file: AttachmentRef,
): Promise<GraphResult<{ id: string }>> {
  const record = await getAttachment(kv, file.id);
  if (!record) return permanent("The attachment is no longer stored.");
  const bytes = await new Response(readAttachment(kv, record, 0, record.size - 1)).arrayBuffer();
  const form = new FormData();
  form.set("messaging_product", "whatsapp");
  form.set("type", record.contentType);
  form.set("file", new File([bytes], record.filename, { type: record.contentType }));
  const result = await graphFetch(settings, `${settings.phoneNumberId}/media`, {
    method: "POST",
    body: form,
  });
  if (!result.ok) return result;
  const id = (await jsonOf(result.value)).id;
  if (typeof id !== "string" || !id) return permanent("WhatsApp returned no media id.");
  return { ok: true, value: { id } };
}

/** The body of an image or document message with an uploaded media id. */
export function mediaMessageBody(
  to: Recipient,
  file: AttachmentRef,
  mediaId: string,
  caption: string | null,
): Record<string, unknown> {
  const kind = whatsappMediaKind(file.contentType);
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    ...(to.waId ? { to: to.waId } : { recipient: to.userId }),
    type: kind,
    [kind]: {
      id: mediaId,
      ...(caption ? { caption } : {}),
      ...(kind === "document" ? { filename: file.filename } : {}),
    },
  };
}

/**
 * Sends an agent's reply with files, part by part (see {@link outboundParts}),
 * skipping the parts a previous attempt got accepted; each accepted part is
 * linked to the message (its statuses update it). The first part's wamid
 * back, or the failure of the part that failed (the job retries from there).
 */
export async function sendWithAttachments(
  kv: Deno.Kv,
  settings: WhatsAppSettings,
  to: Recipient,
  message: Message,
): Promise<GraphResult<{ wamid: string }>> {
  const parts = outboundParts(message);
  const doneKey = keys.whatsappOutboundParts(message.id);
  const done = (await kv.get<string[]>(doneKey)).value ?? [];
  for (let i = done.length; i < parts.length; i++) {
    const part = parts[i];
    let result: GraphResult<{ wamid: string }>;
    if ("text" in part) {
      result = await sendWhatsAppMessage(settings, textMessageBody(to, part.text));
    } else {
      const uploaded = await uploadWhatsAppMedia(kv, settings, part.file);
      if (!uploaded.ok) return uploaded;
      result = await sendWhatsAppMessage(
        settings,
        mediaMessageBody(to, part.file, uploaded.value.id, part.caption),
      );
    }
    if (!result.ok) return result;
    done.push(result.value.wamid);
    await kv.atomic()
      .set(doneKey, done, { expireIn: 30 * 24 * 60 * 60_000 })
      .set(keys.whatsappByWamid(result.value.wamid), {
        messageId: message.id,
        conversationId: message.conversationId,
      })
      .commit();
  }
  return { ok: true, value: { wamid: done[0] } };
}

function permanent(reason: string): GraphResult<never> {
  return {
    ok: false,
    failure: {
      retry: false,
      windowClosed: false,
      status: null,
      code: null,
      reason,
      retryAfterMs: null,
    },
  };
}
