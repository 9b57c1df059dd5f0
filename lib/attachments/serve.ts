/**
 * Serving a stored attachment over HTTP: the right `Content-Type` (the one
 * decided from the bytes at upload), `Content-Disposition` that shows images
 * and downloads documents under their own name (lib/domain/attachments.ts),
 * `nosniff` and a sandboxing CSP so nothing in a file can run as Parley, and
 * single byte ranges (`Range: bytes=a-b`, 206; 416 when unsatisfiable) so
 * large PDFs open and resume.
 */
import { contentDisposition } from "../domain/attachments.ts";
import { readAttachment, type StoredAttachment } from "../store/attachments.ts";

/** The `start..end` byte range a `Range` header asks of `size` bytes; null: the whole file; "bad": 416. */
export function parseRange(
  header: string | null | undefined,
  size: number,
): { start: number; end: number } | null | "bad" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return header.trim().startsWith("bytes=") && header.includes(",") ? null : "bad";
  const [, from, to] = m;
  if (from === "" && to === "") return "bad";
  if (from === "") {
    const n = Number(to); // the last n bytes
    if (n === 0) return "bad";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return "bad";
  return { start, end };
}

/** The answer for a GET (or HEAD) of `record`, honouring a single `Range`. */
export function attachmentResponse(
  kv: Deno.Kv,
  record: StoredAttachment,
  rangeHeader: string | null | undefined,
  method = "GET",
): Response {
  const headers = new Headers({
    "content-type": record.contentType.startsWith("text/")
      ? `${record.contentType}; charset=utf-8`
      : record.contentType,
    "content-disposition": contentDisposition(record.filename, record.contentType),
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    // Private (behind a session or a token); the bytes of an id never change. No-transform keeps
    // the compressor off byte ranges.
    "cache-control": "private, max-age=86400, no-transform",
    "accept-ranges": "bytes",
    "etag": `"${record.id}"`,
    "cross-origin-resource-policy": "same-site",
  });
  const range = parseRange(rangeHeader, record.size);
  if (range === "bad") {
    headers.set("content-range", `bytes */${record.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: record.size - 1 };
  headers.set("content-length", String(end - start + 1));
  if (range) headers.set("content-range", `bytes ${start}-${end}/${record.size}`);
  const body = method === "HEAD" ? null : readAttachment(kv, record, start, end);
  return new Response(body, { status: range ? 206 : 200, headers });
}
