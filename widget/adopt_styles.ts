/**
 * Styles of the lazily loaded parts (files, survey): added to the widget's
 * shadow root once each, as constructable stylesheets (which a host page's
 * CSP `style-src` does not block, as ./styles.ts explains).
 */
const adopted = new Set<string>();

export function adoptStylesOnce(root: ShadowRoot, css: string): void {
  if (adopted.has(css)) return;
  adopted.add(css);
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch { /* unstyled, still usable */ }
}
