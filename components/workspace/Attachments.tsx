import type { UiAttachment } from "../../lib/ui/attachments.ts";
import { linkParts } from "../../lib/domain/links.ts";
import { t } from "../../lib/i18n/mod.ts";

/**
 * What a message carries, in the log: images as thumbnails (alt text: the
 * file name) that open the full picture, documents as chips with their name
 * and size that download the file. And a message's text with its links made
 * clickable (http, https, mailto only; lib/domain/links.ts), rendered as
 * text, never markup.
 */
export function AttachmentList({ files }: { files: UiAttachment[] }) {
  if (files.length === 0) return null;
  return (
    <ul class="mt-1 flex flex-wrap gap-2" aria-label={t("log.attachments")}>
      {files.map((f) => (
        <li key={f.id} data-attachment={f.image ? "image" : "file"}>
          {f.image
            ? (
              <a href={f.url} target="_blank" rel="noopener noreferrer" class="block">
                <img
                  src={f.url}
                  alt={f.filename}
                  loading="lazy"
                  class="max-h-40 max-w-[12rem] rounded border border-gray-200 object-contain bg-gray-50"
                />
              </a>
            )
            : (
              <a
                href={f.url}
                download={f.filename}
                class="inline-flex items-center gap-1 rounded border border-gray-300 bg-white px-2 py-1 text-sm text-gray-900 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
              >
                <span aria-hidden="true">📄</span>
                <span class="break-all">{f.filename}</span>
                <span class="text-xs text-gray-600">· {f.sizeLabel}</span>
              </a>
            )}
        </li>
      ))}
    </ul>
  );
}

/** A message's text with clickable links; every other character stays text. */
export function MessageText({ text, class: className }: { text: string; class: string }) {
  return (
    <p class={className}>
      {linkParts(text).map((part, i) =>
        part.href
          ? (
            <a
              key={i}
              href={part.href}
              target="_blank"
              rel="noopener noreferrer nofollow"
              class="underline text-brand-700 break-all"
            >
              {part.text}
            </a>
          )
          : part.text
      )}
    </p>
  );
}
