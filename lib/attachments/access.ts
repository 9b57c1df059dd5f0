/**
 * Who may upload and open attachments, over the store (lib/store/attachments.ts):
 * - staff upload for a conversation they may write in (the assignee, a
 *   supervisor; never a closed chat); a visitor uploads for their next message;
 * - staff open a file of a conversation they may see (an unsent upload: only
 *   its uploader); a visitor opens files of public messages in their own
 *   conversations and their own unsent uploads. Anything else is a 404 for a
 *   visitor (nothing to learn about other people's files) and a 403 for staff
 *   who may not see that conversation, as the conversation API answers.
 * The upload's size is bounded here before a byte is read: a `Content-Length`
 * over the limit is refused at once (413).
 */
import type { Agent } from "../store/agents.ts";
import { canView, checkWrite } from "../domain/permissions.ts";
import { MAX_ATTACHMENT_BYTES } from "../domain/attachments.ts";
import { forbidden, notFound, tooLarge } from "../errors.ts";
import type { JobRunner } from "../jobs.ts";
import {
  ATTACHMENT_CLEANUP_JOB,
  cleanUpAttachment,
  getAttachment,
  ORPHAN_UPLOAD_MS,
  storeAttachment,
  type StoredAttachment,
} from "../store/attachments.ts";
import { findContact, getConversation, getMessageById } from "../store/engine/records.ts";
import { toCustomerMessage } from "../store/engine/log.ts";
import { refusalError } from "../store/engine/tx.ts";

/** What an upload request brings: the raw body, its declared type and length, the file name. */
export interface UploadRequest {
  body: ReadableStream<Uint8Array> | null;
  contentType: string | null | undefined;
  contentLength: string | null | undefined;
  filename: string | null | undefined;
}

interface Deps {
  kv: Deno.Kv;
  jobs: JobRunner;
}

/** Registers the orphan clean-up job (once per app, before `jobs.start()`). */
export function registerAttachmentJobs(deps: Deps): void {
  deps.jobs.on(ATTACHMENT_CLEANUP_JOB, async (payload) => {
    const id = (payload as { id?: unknown } | null)?.id;
    if (typeof id === "string") await cleanUpAttachment(deps.kv, id);
  });
}

async function upload(
  deps: Deps,
  req: UploadRequest,
  owner: string,
  conversationId: string | null,
): Promise<StoredAttachment> {
  const length = req.contentLength == null ? NaN : Number(req.contentLength);
  if (length > MAX_ATTACHMENT_BYTES) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge(`The file is over the limit of ${MAX_ATTACHMENT_BYTES} bytes (10 MB).`);
  }
  return await storeAttachment(deps.kv, req.body, {
    filename: req.filename,
    declaredType: req.contentType,
    owner,
    conversationId,
    maxBytes: MAX_ATTACHMENT_BYTES,
    scheduleCleanup: (id) =>
      deps.jobs.enqueue(ATTACHMENT_CLEANUP_JOB, { id }, { delay: ORPHAN_UPLOAD_MS }),
  });
}

/** A staff member uploads a file to send in `conversationId` (403/404/409 as writing there). */
export async function uploadForStaff(
  deps: Deps,
  agent: Agent,
  conversationId: string,
  req: UploadRequest,
): Promise<StoredAttachment> {
  const conv = await getConversation(deps.kv, conversationId);
  if (!conv) {
    await req.body?.cancel().catch(() => {});
    throw notFound("Conversation");
  }
  const refusal = checkWrite(agent, conv);
  if (refusal) {
    await req.body?.cancel().catch(() => {});
    throw refusalError(refusal);
  }
  return await upload(deps, req, `agent:${agent.id}`, conv.id);
}

/** A visitor uploads a file for their next message. */
export async function uploadForVisitor(
  deps: Deps,
  visitorId: string,
  req: UploadRequest,
): Promise<StoredAttachment> {
  return await upload(deps, req, `visitor:${visitorId}`, null);
}

/** The file if this staff member may open it: 404 unknown, 403 not theirs to see. */
export async function attachmentForStaff(
  kv: Deno.Kv,
  agent: Agent,
  id: string,
): Promise<StoredAttachment> {
  const record = await getAttachment(kv, id);
  if (!record) throw notFound("Attachment");
  if (record.owner === `agent:${agent.id}`) return record;
  if (!record.messageId || !record.conversationId) throw notFound("Attachment");
  const conv = await getConversation(kv, record.conversationId);
  if (!conv) throw notFound("Attachment");
  if (!canView(agent, conv)) throw forbidden("You cannot see this conversation.");
  return record;
}

/** The file if this visitor may open it (their own upload, or public in their chat); else 404. */
export async function attachmentForVisitor(
  kv: Deno.Kv,
  visitorId: string,
  id: string,
): Promise<StoredAttachment> {
  const record = await getAttachment(kv, id);
  if (!record) throw notFound("Attachment");
  if (record.owner === `visitor:${visitorId}`) return record;
  if (!record.messageId || !record.conversationId) throw notFound("Attachment");
  const [conv, contact, message] = await Promise.all([
    getConversation(kv, record.conversationId),
    findContact(kv, "webchat", visitorId),
    getMessageById(kv, record.messageId),
  ]);
  // The visitor's own chat (their contact holds it), and a message the customer sees.
  if (!conv || !contact || conv.contactId !== contact.id) throw notFound("Attachment");
  if (!message || message.conversationId !== conv.id || !toCustomerMessage(message)) {
    throw notFound("Attachment");
  }
  return record;
}
