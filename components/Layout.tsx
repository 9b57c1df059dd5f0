import type { ComponentChildren } from "preact";
import type { Assets } from "../lib/app_deps.ts";
import { currentLocale } from "../lib/i18n/mod.ts";

/**
 * The HTML document around every staff page, in the request's language
 * (`<html lang>`, which the islands read to speak the same one).
 */
export function Layout(
  { title, assets, children, scripts = true }: {
    title: string;
    assets: Assets;
    children: ComponentChildren;
    scripts?: boolean;
  },
) {
  return (
    <html lang={currentLocale()}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title}</title>
        <link rel="stylesheet" href={assets.css} />
        {scripts && <script type="module" src={assets.islandsJs}></script>}
      </head>
      <body class="min-h-screen bg-gray-50 text-gray-900 antialiased">{children}</body>
    </html>
  );
}
