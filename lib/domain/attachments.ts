/**
 * The rules of attachments (images and documents in messages), without I/O:
 * which types are allowed, how a file's type is decided from its first bytes
 * (never from what the sender declares alone), what a safe file name is, and
 * how a download names it (`Content-Disposition`, RFC 6266 / RFC 8187). The
 * store (lib/store/attachments.ts), the routes and the islands use these.
 * Pure: imports nothing outside lib/domain.
 */
import { truncateText } from "./text.ts";

/**
 * Largest attachment (image or document) a person may send, in bytes: 10 MiB.
 * (Here, not in limits.ts: the widget's first-paint bundle imports limits.ts,
 * and its bundler keeps every constant of a module it imports.)
 */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** How many attachments one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/** What a message carries of each attachment (the file itself is served by id). */
export interface AttachmentRef {
  id: string;
  /** Safe to show and to save as: no path, no control characters, the type's extension. */
  filename: string;
  /** One of {@link ALLOWED_TYPES}, decided from the file's bytes. */
  contentType: string;
  size: number;
}

interface TypeRule {
  /** Extensions a file of this type may have; the first is added when the name has none of them. */
  ext: string[];
  /** Shown in the page (images); everything else is a download. */
  inline: boolean;
  /** Does the head of the file look like this type? (`ext` is the name's lowercased extension.) */
  looks: (head: Uint8Array, ext: string) => boolean;
}

const startsWith = (head: Uint8Array, ...bytes: number[]) => bytes.every((b, i) => head[i] === b);
const ascii = (head: Uint8Array, from: number, text: string) =>
  [...text].every((ch, i) => head[from + i] === ch.charCodeAt(0));
const zip = (head: Uint8Array) => startsWith(head, 0x50, 0x4b, 0x03, 0x04);
const ole2 = (head: Uint8Array) => startsWith(head, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);
/** Text: no NUL byte in the head (UTF-8 validity of the whole file is checked while storing). */
const text = (head: Uint8Array) => !head.includes(0);

/**
 * The allow-list: images (PNG, JPEG, GIF, WebP), PDF, plain text and CSV,
 * and the common office documents (Word, Excel, PowerPoint: both the
 * OOXML and the older binary formats; OpenDocument text and sheets). No SVG,
 * HTML or anything a browser would run: those are refused (415).
 */
export const ALLOWED_TYPES: Record<string, TypeRule> = {
  "image/png": {
    ext: ["png"],
    inline: true,
    looks: (h) => startsWith(h, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  },
  "image/jpeg": {
    ext: ["jpg", "jpeg"],
    inline: true,
    looks: (h) => startsWith(h, 0xff, 0xd8, 0xff),
  },
  "image/gif": {
    ext: ["gif"],
    inline: true,
    looks: (h) => ascii(h, 0, "GIF87a") || ascii(h, 0, "GIF89a"),
  },
  "image/webp": {
    ext: ["webp"],
    inline: true,
    looks: (h) => ascii(h, 0, "RIFF") && ascii(h, 8, "WEBP"),
  },
  "application/pdf": { ext: ["pdf"], inline: false, looks: (h) => ascii(h, 0, "%PDF-") },
  "text/plain": { ext: ["txt", "log"], inline: false, looks: (h, e) => e !== "csv" && text(h) },
  "text/csv": { ext: ["csv"], inline: false, looks: (h, e) => e === "csv" && text(h) },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
    ext: ["docx"],
    inline: false,
    looks: (h, e) => e === "docx" && zip(h),
  },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    ext: ["xlsx"],
    inline: false,
    looks: (h, e) => e === "xlsx" && zip(h),
  },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": {
    ext: ["pptx"],
    inline: false,
    looks: (h, e) => e === "pptx" && zip(h),
  },
  "application/vnd.oasis.opendocument.text": {
    ext: ["odt"],
    inline: false,
    looks: (h, e) => e === "odt" && zip(h),
  },
  "application/vnd.oasis.opendocument.spreadsheet": {
    ext: ["ods"],
    inline: false,
    looks: (h, e) => e === "ods" && zip(h),
  },
  "application/msword": { ext: ["doc"], inline: false, looks: (h, e) => e === "doc" && ole2(h) },
  "application/vnd.ms-excel": {
    ext: ["xls"],
    inline: false,
    looks: (h, e) => e === "xls" && ole2(h),
  },
  "application/vnd.ms-powerpoint": {
    ext: ["ppt"],
    inline: false,
    looks: (h, e) => e === "ppt" && ole2(h),
  },
};

/** What the file input's `accept` lists (extensions: browsers agree on them more than on types). */
export const ACCEPT_ATTRIBUTE = Object.values(ALLOWED_TYPES).flatMap((r) => r.ext)
  .map((e) => "." + e).join(",");

/** Declared types a browser gives for a file it cannot name: decided from the bytes alone. */
const UNNAMED_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream"]);
/** Other names browsers and phones use for allowed types. */
const ALIASES: Record<string, string> = { "image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg" };

/** A declared `Content-Type` without parameters, lowercased, with aliases resolved. */
export function normalizeType(declared: string | null | undefined): string {
  const type = (declared ?? "").split(";")[0].trim().toLowerCase();
  return ALIASES[type] ?? type;
}

/**
 * Whether an upload declared as `declared` may go on (checked before any byte
 * is read): an allowed type, or none / octet-stream (then the bytes decide).
 */
export function declaredTypeAllowed(declared: string | null | undefined): boolean {
  const type = normalizeType(declared);
  return UNNAMED_TYPES.has(type) || type in ALLOWED_TYPES;
}

/** Bytes of a file's head that {@link detectType} needs (more is fine). */
export const SNIFF_BYTES = 512;

/**
 * The allowed type the file's first bytes show, or an error code:
 * `type_not_allowed` when they match no allowed type, `type_mismatch` when
 * they match another type than the sender declared (a PNG sent as a PDF).
 */
export function detectType(
  head: Uint8Array,
  filename: string,
  declared: string | null | undefined,
): { ok: true; contentType: string } | { ok: false; code: "type_not_allowed" | "type_mismatch" } {
  const ext = extensionOf(filename);
  const said = normalizeType(declared);
  const found = Object.entries(ALLOWED_TYPES).find(([, rule]) => rule.looks(head, ext))?.[0];
  if (!found) return { ok: false, code: "type_not_allowed" };
  const textFamily = (t: string) => t === "text/plain" || t === "text/csv";
  if (!UNNAMED_TYPES.has(said) && said !== found && !(textFamily(said) && textFamily(found))) {
    return { ok: false, code: "type_mismatch" };
  }
  return { ok: true, contentType: found };
}

/** Whether `contentType` is shown in the page (an image) rather than downloaded. */
export function isInlineType(contentType: string): boolean {
  return ALLOWED_TYPES[contentType]?.inline ?? false;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/**
 * A name that is safe to show and to save a file as: the last path segment,
 * without control or bidirectional-override characters (which can disguise
 * "gpj.exe" as "exe.jpg"), whitespace collapsed, at most 150 characters, and
 * ending in an extension of its type (a PNG named "x.html" becomes
 * "x.html.png").
 */
export function safeFilename(raw: string | null | undefined, contentType: string): string {
  const rule = ALLOWED_TYPES[contentType];
  // deno-lint-ignore no-control-regex
  let name = (raw ?? "").split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/\s+/g, " ").trim().replace(/^\.+/, "");
  name = truncateText(name, 150).trim();
  if (!name) name = contentType.startsWith("image/") ? "image" : "file";
  if (rule && !rule.ext.includes(extensionOf(name))) name += "." + rule.ext[0];
  return name;
}

/**
 * The `Content-Disposition` value for serving a file: `inline` for images,
 * `attachment` for documents, with an ASCII fallback `filename` (quotes,
 * backslashes and anything outside printable ASCII replaced) and the exact
 * name as `filename*=UTF-8''…` (RFC 8187 percent-encoding). Nothing a sender
 * names can end the header or add another.
 */
export function contentDisposition(filename: string, contentType: string): string {
  const kind = isInlineType(contentType) ? "inline" : "attachment";
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (ch) => "%" + ch.charCodeAt(0).toString(16).toUpperCase(),
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A size as people read it: "512 B", "14 KB", "2.3 MB". */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
