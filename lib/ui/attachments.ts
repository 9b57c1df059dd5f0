/**
 * Attachments in the workspace's browser code: uploading a chosen file for
 * the open conversation (the raw file as the body, as docs/api.md says) and
 * what the log shows of a message's files. The limits are the server's
 * (lib/domain/attachments.ts); checking them here only saves a wasted upload.
 */
import {
  ACCEPT_ATTRIBUTE,
  type AttachmentRef,
  formatBytes,
  isInlineType,
  MAX_ATTACHMENT_BYTES,
} from "../domain/attachments.ts";
import { ApiError } from "./api_client.ts";

export { ACCEPT_ATTRIBUTE };

/** A file of a message as the log shows it. */
export interface UiAttachment extends AttachmentRef {
  /** Where staff open it. */
  url: string;
  /** Shown as a picture (PNG, JPEG, GIF, WebP); documents are chips with their size. */
  image: boolean;
  /** "2.3 MB". */
  sizeLabel: string;
}

export function toUiAttachment(a: AttachmentRef): UiAttachment {
  return {
    ...a,
    url: `/api/v1/attachments/${encodeURIComponent(a.id)}`,
    image: isInlineType(a.contentType),
    sizeLabel: formatBytes(a.size),
  };
}

/** Uploads `file` to send in `conversationId`; throws {@link ApiError} with the server's reason. */
export async function uploadAttachment(
  conversationId: string,
  file: File,
): Promise<AttachmentRef> {
  if (file.size > MAX_ATTACHMENT_BYTES) {
    throw new ApiError(413, "too_large", `${file.name} is over the 10 MB limit.`);
  }
  let res: Response;
  try {
    res = await fetch(
      `/api/v1/conversations/${encodeURIComponent(conversationId)}/attachments?filename=${
        encodeURIComponent(file.name)
      }`,
      {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": file.type || "application/octet-stream" },
        body: file,
      },
    );
  } catch {
    throw new ApiError(0, "network", "No connection to Parley. Try again.");
  }
  const json = await res.json().catch(() => null) as
    | { attachment?: AttachmentRef; error?: { code?: string; message?: string } }
    | null;
  if (!res.ok || !json?.attachment) {
    throw new ApiError(
      res.status,
      json?.error?.code ?? "upload_failed",
      `${file.name}: ${json?.error?.message ?? "the upload failed."}`,
    );
  }
  return json.attachment;
}
