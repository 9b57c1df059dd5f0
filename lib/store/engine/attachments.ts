/**
 * Messages that carry attachments: the engine side. A message names the ids
 * of files uploaded before it (lib/store/attachments.ts); its build reads
 * their records through the attempt's `reads` ({@link claimAttachments}), so
 * the commit checks them, and marks each as taken by the message in the same
 * atomic op as the message ({@link writeClaims}). So a message is never
 * stored pointing at a file that the orphan clean-up deleted, and a file is
 * never taken by two messages.
 */
import type { AttachmentRef } from "../../domain/attachments.ts";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "../../domain/attachments.ts";
import { AppError, badRequest } from "../../errors.ts";
import type { StoredAttachment } from "../attachments.ts";
import { keys } from "../keys.ts";
import type { AttemptReads } from "./entry_cache.ts";
import type { EngineOp } from "./op.ts";

/** Attachments a message takes: their entries (to write) and what the message shows. */
export interface Claim {
  entries: Deno.KvEntryMaybe<StoredAttachment>[];
  refs: AttachmentRef[];
}

/** Checks the ids a message gives (count, duplicates) before anything is read. */
export function checkAttachmentIds(ids: readonly string[] | undefined): string[] {
  const list = ids ?? [];
  if (list.length > MAX_ATTACHMENTS_PER_MESSAGE) {
    throw badRequest(
      "too_many_attachments",
      `A message carries at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments.`,
    );
  }
  if (new Set(list).size !== list.length) {
    throw badRequest("invalid", "attachments: An attachment is named twice.");
  }
  for (const id of list) {
    if (typeof id !== "string" || !/^[0-9A-Za-z_-]{1,64}$/.test(id)) {
      throw unknownAttachment();
    }
  }
  return [...list];
}

/**
 * Reads the attachments `ids` through `reads` and checks that `owner`
 * uploaded each (for `conversationId` when it was uploaded for one) and that
 * no message took it yet: 400 `attachment_unknown` otherwise (also when the
 * clean-up deleted it), 409 `attachment_used` for one already sent.
 */
export async function claimAttachments(
  reads: AttemptReads,
  ids: readonly string[],
  owner: string,
  conversationId: string,
): Promise<Claim> {
  const entries: Deno.KvEntryMaybe<StoredAttachment>[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    const batch = ids.slice(i, i + 10).map((id) => keys.attachment(id));
    entries.push(...await reads.getMany<StoredAttachment[]>(batch));
  }
  for (const { value } of entries) {
    if (!value || value.owner !== owner) throw unknownAttachment();
    if (value.conversationId !== null && value.conversationId !== conversationId) {
      throw unknownAttachment();
    }
    if (value.messageId !== null) {
      throw new AppError(409, "attachment_used", "That attachment was already sent.");
    }
  }
  const refs = entries.map(({ value: a }) => ({
    id: a!.id,
    filename: a!.filename,
    contentType: a!.contentType,
    size: a!.size,
  }));
  return { entries, refs };
}

/** Marks the claimed attachments as the message's, in the message's op. */
export function writeClaims(
  op: EngineOp,
  claim: Claim,
  conversationId: string,
  messageId: string,
): void {
  for (const { key, value } of claim.entries) {
    op.set(key, { ...value!, conversationId, messageId });
  }
}

function unknownAttachment(): AppError {
  return badRequest(
    "attachment_unknown",
    "An attachment is unknown or expired; upload the file again.",
  );
}
