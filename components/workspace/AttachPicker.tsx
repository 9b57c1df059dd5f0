import { useRef } from "preact/hooks";
import type { AttachmentRef } from "../../lib/domain/attachments.ts";
import { formatBytes } from "../../lib/domain/attachments.ts";
import { ACCEPT_ATTRIBUTE, uploadAttachment } from "../../lib/ui/attachments.ts";
import { t } from "../../lib/i18n/mod.ts";
import { ScriptButton } from "../ScriptButton.tsx";

/** A file chosen for the next message: uploading (`ref` null) or ready to send. */
export interface PendingFile {
  key: string;
  name: string;
  size: number;
  ref: AttachmentRef | null;
}

/**
 * The composer's "Attach file" button (a real button: Enter or Space opens
 * the file picker) and the files waiting to go with the next message, each
 * with "Remove". A file uploads as soon as it is chosen, so Send only names
 * it; a refused file (too large, a type not allowed) says why in `onProblem`.
 * Before the island has hydrated the button cannot work, and says so
 * (../ScriptButton.tsx).
 */
export function AttachPicker(
  { conversationId, files, setFiles, onProblem, disabled }: {
    conversationId: string;
    files: PendingFile[];
    setFiles: (update: (files: PendingFile[]) => PendingFile[]) => void;
    onProblem: (message: string) => void;
    disabled?: boolean;
  },
) {
  const input = useRef<HTMLInputElement>(null);
  const choose = (list: FileList | null) => {
    for (const file of Array.from(list ?? [])) {
      const key = crypto.randomUUID();
      setFiles((fs) => [...fs, { key, name: file.name, size: file.size, ref: null }]);
      uploadAttachment(conversationId, file).then(
        (ref) => setFiles((fs) => fs.map((f) => f.key === key ? { ...f, ref } : f)),
        (err: Error) => {
          setFiles((fs) => fs.filter((f) => f.key !== key));
          onProblem(err.message);
        },
      );
    }
    if (input.current) input.current.value = "";
  };
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept={ACCEPT_ATTRIBUTE}
        onChange={(e) => choose((e.target as HTMLInputElement).files)}
      />
      <ScriptButton
        id={`attach-${conversationId}`}
        waiting={t("composer.attachLoading")}
        disabled={disabled}
        onClick={() => input.current?.click()}
        class="text-sm border border-gray-300 rounded px-2 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500 disabled:opacity-50"
      >
        {t("composer.attach")}
      </ScriptButton>
      {files.length > 0 && (
        <ul class="w-full flex flex-wrap gap-2" aria-label={t("composer.files")}>
          {files.map((f) => (
            <li
              key={f.key}
              class="inline-flex items-center gap-1 rounded border border-gray-300 bg-gray-50 px-2 py-0.5 text-sm"
            >
              <span class="break-all">{f.name}</span>
              <span class="text-xs text-gray-600">
                · {f.ref ? formatBytes(f.size) : t("composer.uploading")}
              </span>
              <button
                type="button"
                aria-label={t("composer.remove", { name: f.name })}
                onClick={() => setFiles((fs) => fs.filter((x) => x.key !== f.key))}
                class="ml-1 rounded px-1 text-gray-700 hover:bg-gray-200 focus:outline-none focus:ring-2 focus:ring-brand-500"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
