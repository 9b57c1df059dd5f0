/**
 * The embed snippet of the web widget, in one place for the README, `/demo`,
 * the admin console (page and API) and the tests: a test checks that the
 * README shows exactly {@link widgetEmbedSnippet}`("https://PARLEY_HOST", "SITE_KEY")`.
 *
 * {@link WIDGET_STUB} is the tiny inline stub: it defines `Parley` and
 * `SyntphonyConversationalAIChat` and queues calls made before widget.js has
 * loaded (widget.js replays them in order), so the product documentation's
 * `SyntphonyConversationalAIChat.addContext({...})` works before or after load.
 */
const STUB_LINES = [
  "(function (w) {",
  "  var p = w.Parley = w.Parley || { q: [] };",
  '  ["open", "close", "toggle", "setUser", "addContext", "on"].forEach(function (m) {',
  "    p[m] = p[m] || function () {",
  "      p.q.push([m, arguments]);",
  "    };",
  "  });",
  "  w.SyntphonyConversationalAIChat = w.SyntphonyConversationalAIChat || p;",
  "})(window);",
];

/** The stub on one line (for `/demo` and tests); the snippet shows it as written above. */
export const WIDGET_STUB = STUB_LINES.map((line) => line.trim()).join("");

/**
 * The full copy-paste snippet for a site on a Parley at `parleyOrigin`: the
 * stub, a commented example of the product documentation's `addContext` call
 * (commented, so a pasted snippet never throws on an undefined value), and the
 * script tag. Laid out as `deno fmt` lays out the README's copy of it.
 */
export function widgetEmbedSnippet(parleyOrigin: string, siteKey: string): string {
  const key = siteKey.replace(/[^A-Za-z0-9_-]/g, "");
  return [
    "<script>",
    ...STUB_LINES,
    "// Optional: what your page knows about the visitor, shown to agents as Context.",
    '// SyntphonyConversationalAIChat.addContext({ "CUSTOM_KEY1": "value" });',
    "</script>",
    `<script src="${parleyOrigin}/widget.js" data-site-key="${key}" async></script>`,
  ].join("\n");
}
