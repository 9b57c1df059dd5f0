/**
 * The widget's weight budget, in one place for the benchmark that prints it
 * (bench/widget_size.ts) and the test that fails CI past it
 * (tests/widget_budget_test.ts): `widget.js`, the script every page of a
 * customer's site loads before the chat can show, stays within 8 KB gzipped;
 * whatever the first paint does not need goes to `/widget-more.js`.
 */

/** Most bytes `widget.js` may weigh gzipped (8 KB). */
export const WIDGET_JS_BUDGET = 8 * 1024;

/** Most bytes (gzipped) a returning visitor downloads before the first message can show. */
export const FIRST_MESSAGE_BUDGET = 15 * 1024;

/** `data` gzipped (CompressionStream, default level, as servers and CDNs send it), in bytes. */
export async function gzipSize(data: Uint8Array | string): Promise<number> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}
