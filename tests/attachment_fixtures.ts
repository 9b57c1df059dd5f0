/** Small real files for attachment tests: a PNG a browser can draw, a PDF, and helpers to upload. */
import type { TestApp } from "./helpers.ts";

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** A 4×4 red PNG. */
export const PNG = b64(
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==",
);

/** A one-page PDF (enough for the magic bytes and a viewer). */
export const PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/** `bytes` repeated up to `size` bytes (a large file of a real type: its head stays valid). */
export function sized(head: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(head.subarray(0, Math.min(head.length, size)));
  for (let i = head.length; i < size; i++) out[i] = i % 251;
  return out;
}

export interface UploadAnswer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** Uploads `bytes` to `path` as staff (cookie + Origin) or as a visitor (bearer token). */
export async function upload(
  app: TestApp,
  path: string,
  bytes: Uint8Array,
  opts: { type: string; filename: string; cookie?: string; token?: string },
): Promise<UploadAnswer> {
  const headers: Record<string, string> = { "content-type": opts.type, origin: app.url };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${app.url}${path}?filename=${encodeURIComponent(opts.filename)}`, {
    method: "POST",
    headers,
    body: bytes as BodyInit,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: res.status, body };
}
