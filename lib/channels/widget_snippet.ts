/**
 * The embed snippet of the web widget, in one place for the README, `/demo`,
 * the admin console and the tests.
 *
 * {@link WIDGET_STUB} is the tiny inline stub: it defines `Parley` and
 * `SyntphonyConversationalAIChat` and queues calls made before widget.js has
 * loaded (widget.js replays them in order), so the product documentation's
 * `SyntphonyConversationalAIChat.addContext({...})` works before or after load.
 */
export const WIDGET_STUB =
  `(function(w){var p=w.Parley=w.Parley||{q:[]};["open","close","toggle","setUser","addContext","on"].forEach(function(m){p[m]=p[m]||function(){p.q.push([m,arguments])}});w.SyntphonyConversationalAIChat=w.SyntphonyConversationalAIChat||p})(window);`;

/** The full copy-paste snippet (stub + script tag) for a site on a Parley at `parleyOrigin`. */
export function widgetEmbedSnippet(parleyOrigin: string, siteKey: string): string {
  const key = siteKey.replace(/[^A-Za-z0-9_-]/g, "");
  return `<script>\n  ${WIDGET_STUB}\n</script>\n<script src="${parleyOrigin}/widget.js" data-site-key="${key}" async></script>`;
}
