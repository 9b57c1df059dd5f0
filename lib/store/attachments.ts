/**
 * Attachments in Deno KV. A value holds at most 64 KiB, so a file is kept as
 * numbered chunks of {@link CHUNK_BYTES} beside one record (keys.ts,
 * "Attachments"). An upload writes its chunks first and its record last; it
 * becomes part of a conversation only when a message naming it commits (the
 * engine sets `messageId` in that message's atomic op, lib/store/engine/
 * attachments.ts). Every upload enqueues its own clean-up before its first
 * chunk is written, so a file that no message ever took (the sender gave up,
 * or the process died mid-upload) is deleted later, chunks and all.
 *
 * @example
 * const stored = await storeAttachment(kv, body, { filename, declaredType, owner, ... });
 * const bytes = readAttachment(kv, stored, 0, stored.size - 1); // a ReadableStream
 */
import {
  declaredTypeAllowed,
  detectType,
  safeFilename,
  SNIFF_BYTES,
} from "../domain/attachments.ts";
import { AppError, badRequest, tooLarge, unsupportedMediaType } from "../errors.ts";
import { newId } from "../ids.ts";
import { keys } from "./keys.ts";

/** Bytes per stored chunk: well under KV's 64 KiB value limit. */
export const CHUNK_BYTES = 60 * 1024;

/** The job that deletes an upload no message took ({@link cleanUpAttachment}). */
export const ATTACHMENT_CLEANUP_JOB = "attachments.cleanup";

/** How long an upload waits for a message before it is deleted. */
export const ORPHAN_UPLOAD_MS = 60 * 60 * 1000;

export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  chunks: number;
  createdAt: string;
  /** Who uploaded it and may send it: "agent:ID", "visitor:VISITOR_ID" or "whatsapp:CUSTOMER_ID". */
  owner: string;
  /** The conversation it was uploaded for (staff uploads); null until sent for a visitor's. */
  conversationId: string | null;
  /** The message that carries it; null while it waits for one. */
  messageId: string | null;
}

export interface UploadInput {
  filename: string | null | undefined;
  declaredType: string | null | undefined;
  owner: string;
  conversationId: string | null;
  maxBytes: number;
  /** Enqueues the clean-up (the app's job runner); called before any chunk is written. */
  scheduleCleanup: (id: string) => Promise<void>;
}

/**
 * Stores a file from `body`, chunk by chunk, counting as it reads: past
 * `maxBytes` it stops reading at once (413 `too_large`); bytes that are not an
 * allowed type, or not the type declared, are a 415 (`type_not_allowed`,
 * `type_mismatch`) as soon as the head is seen; an empty file is a 400. On a
 * refusal the chunks written so far are deleted. Returns the record.
 */
export async function storeAttachment(
  kv: Deno.Kv,
  body: ReadableStream<Uint8Array> | null,
  input: UploadInput,
): Promise<StoredAttachment> {
  if (!declaredTypeAllowed(input.declaredType)) {
    await body?.cancel().catch(() => {});
    throw typeRefused("type_not_allowed");
  }
  const id = newId();
  await input.scheduleCleanup(id);
  const reader = body?.getReader();
  let size = 0;
  let index = 0;
  let pending = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  let contentType: string | null = null;
  // Text must be UTF-8 throughout; the decoder keeps a character cut between chunks.
  let utf8: TextDecoder | null = null;
  const decide = (head: Uint8Array) => {
    const verdict = detectType(head, input.filename ?? "", input.declaredType);
    if (!verdict.ok) throw typeRefused(verdict.code);
    contentType = verdict.contentType;
    if (contentType.startsWith("text/")) utf8 = new TextDecoder("utf-8", { fatal: true });
  };
  const flush = async (bytes: Uint8Array, last: boolean) => {
    if (contentType === null) decide(bytes.subarray(0, SNIFF_BYTES));
    if (utf8) checkText(utf8, bytes, last);
    await kv.set(keys.attachmentChunk(id, index++), bytes.slice());
  };
  try {
    while (reader) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch {
        throw badRequest("incomplete_body", "The upload ended before it was complete.");
      }
      if (step.done) break;
      let chunk = step.value;
      size += chunk.byteLength;
      if (size > input.maxBytes) {
        throw tooLarge(`The file is over the limit of ${input.maxBytes} bytes.`);
      }
      while (chunk.byteLength > 0) {
        const take = Math.min(chunk.byteLength, CHUNK_BYTES - filled);
        pending.set(chunk.subarray(0, take), filled);
        filled += take;
        chunk = chunk.subarray(take);
        if (filled === CHUNK_BYTES) {
          await flush(pending, false);
          pending = new Uint8Array(CHUNK_BYTES);
          filled = 0;
        }
      }
    }
    if (size === 0) throw badRequest("empty_file", "The file is empty.");
    if (filled > 0 || contentType === null) await flush(pending.subarray(0, filled), true);
    else if (utf8) checkText(utf8, new Uint8Array(), true);
  } catch (err) {
    await reader?.cancel().catch(() => {});
    await deleteChunks(kv, id);
    throw err;
  }
  const record: StoredAttachment = {
    id,
    filename: safeFilename(input.filename, contentType!),
    contentType: contentType!,
    size,
    chunks: index,
    createdAt: new Date().toISOString(),
    owner: input.owner,
    conversationId: input.conversationId,
    messageId: null,
  };
  await kv.set(keys.attachment(id), record);
  return record;
}

function checkText(decoder: TextDecoder, bytes: Uint8Array, last: boolean): void {
  try {
    decoder.decode(bytes, { stream: !last });
  } catch {
    throw typeRefused("type_not_allowed");
  }
  if (bytes.includes(0)) throw typeRefused("type_not_allowed");
}

function typeRefused(code: "type_not_allowed" | "type_mismatch"): AppError {
  return code === "type_mismatch"
    ? new AppError(
      415,
      "type_mismatch",
      "The file's content does not match its declared type.",
    )
    : unsupportedMediaType(
      "This kind of file cannot be sent. Send an image (PNG, JPEG, GIF, WebP), a PDF, " +
        "a text or CSV file, or an office document.",
    );
}

/** Enqueues the clean-up straight on the KV queue (the job runner's message shape, lib/jobs.ts). */
export function scheduleCleanupWith(kv: Deno.Kv): (id: string) => Promise<void> {
  return async (id) => {
    await kv.enqueue({ type: ATTACHMENT_CLEANUP_JOB, payload: { id } }, {
      delay: ORPHAN_UPLOAD_MS,
    });
  };
}

/** The attachment's record, or null. */
export async function getAttachment(kv: Deno.Kv, id: string): Promise<StoredAttachment | null> {
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(id)) return null;
  return (await kv.get<StoredAttachment>(keys.attachment(id))).value;
}

/** Bytes `start..end` (inclusive) of a stored file, read chunk by chunk as the stream is pulled. */
export function readAttachment(
  kv: Deno.Kv,
  record: StoredAttachment,
  start: number,
  end: number,
): ReadableStream<Uint8Array> {
  let index = Math.floor(start / CHUNK_BYTES);
  const lastIndex = Math.floor(end / CHUNK_BYTES);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index > lastIndex) return controller.close();
      const chunk = (await kv.get<Uint8Array>(keys.attachmentChunk(record.id, index))).value;
      if (!chunk) return controller.error(new Error(`attachment ${record.id}: chunk missing`));
      const offset = index * CHUNK_BYTES;
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.byteLength, end - offset + 1);
      index++;
      controller.enqueue(chunk.subarray(from, to));
    },
  });
}

/**
 * The clean-up job: deletes an upload no message took, record and chunks.
 * An attached one (`messageId` set) is kept. The record's delete checks its
 * versionstamp, so a message committing it at the same moment either wins
 * (the file stays) or finds it gone (the message is refused): never a message
 * that points at a deleted file.
 */
export async function cleanUpAttachment(kv: Deno.Kv, id: string): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const entry = await kv.get<StoredAttachment>(keys.attachment(id));
    if (entry.value?.messageId) return false;
    if (entry.value) {
      const ok = await kv.atomic().check(entry).delete(entry.key).commit();
      if (!ok.ok) continue;
    }
    await deleteChunks(kv, id);
    return true;
  }
  return false;
}

/**
 * Deletes a file whatever message carries it (retention and erasure: the
 * message itself is being scrubbed in the same pass). Idempotent.
 */
export async function deleteAttachment(kv: Deno.Kv, id: string): Promise<void> {
  await kv.delete(keys.attachment(id));
  await deleteChunks(kv, id);
}

async function deleteChunks(kv: Deno.Kv, id: string): Promise<void> {
  let batch = kv.atomic();
  let n = 0;
  for await (const e of kv.list({ prefix: keys.attachmentChunksPrefix(id) })) {
    batch.delete(e.key);
    if (++n % 100 === 0) {
      await batch.commit();
      batch = kv.atomic();
    }
  }
  if (n % 100 !== 0) await batch.commit();
}
