import type { ComponentChildren } from "preact";
import type { Assets } from "../lib/app_deps.ts";

/** The HTML document around every staff page. */
export function Layout(
  { title, assets, children, scripts = true }: {
    title: string;
    assets: Assets;
    children: ComponentChildren;
    scripts?: boolean;
  },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href={assets.css} />
        {scripts && <script type="module" src={assets.islandsJs}></script>}
      </head>
      <body class="min-h-screen bg-gray-50 text-gray-900 antialiased">{children}</body>
    </html>
  );
}
