/**
 * widget.js, the script every page of a customer's site loads before the chat
 * can show, stays within its budget (lib/http/widget_budget.ts: 8 KB
 * gzipped). Reads the built bundle (built first when the sources changed, as
 * the server does), gzips it and compares: a size, not a timing. Also checks
 * that what the first paint does not need stayed in /widget-more.js (words
 * of files, other languages, the survey), so the split cannot silently
 * collapse into widget.js. `deno task bench:widget` prints the figures.
 */
import assert from "node:assert/strict";
import { loadAssets } from "../lib/http/assets.ts";
import { gzipSize, WIDGET_JS_BUDGET } from "../lib/http/widget_budget.ts";

const ROOT = new URL("../", import.meta.url);

Deno.test("[widget] widget.js is within its first-paint budget (8 KB gzipped)", async () => {
  const assets = await loadAssets();
  const script = await Deno.readFile(new URL("." + assets.widgetJs, ROOT));
  const text = new TextDecoder().decode(script);
  // The real widget (its two globals), not an empty or broken build.
  assert.ok(text.includes("SyntphonyConversationalAIChat") && text.includes("widget-more.js"));
  const size = await gzipSize(script);
  assert.ok(
    size <= WIDGET_JS_BUDGET,
    `widget.js is ${size} bytes gzipped, over its budget of ${WIDGET_JS_BUDGET}: move what the ` +
      "first paint does not need to /widget-more.js (widget/more.ts)",
  );
});

Deno.test("[widget] what the first paint does not need stays in widget-more.js", async () => {
  const assets = await loadAssets();
  const read = async (path: string | undefined) =>
    new TextDecoder().decode(await Deno.readFile(new URL("." + path, ROOT)));
  const first = await read(assets.widgetJs);
  const more = await read(assets.widgetMoreJs);
  // Files ("Attach a file" and its states), the survey, and the words of other languages.
  for (
    const words of [
      "Attach a file",
      "Files you are sending",
      "How was this conversation?",
      "Abrir chat",
    ]
  ) {
    assert.ok(more.includes(words), `widget-more.js says "${words}"`);
    assert.ok(!first.includes(words), `"${words}" is not in widget.js`);
  }
});
