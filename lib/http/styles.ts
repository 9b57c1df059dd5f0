/**
 * Twind, kept behind this one module. At build (or first start) it reads the
 * class names used by components, islands and routes and produces one static
 * stylesheet; nothing runs Twind per request or in the browser.
 *
 * Convention: write Tailwind classes as plain string literals (`class="p-4 ..."`,
 * or strings picked by a condition) so the scanner finds them. Colours are the
 * theme's custom properties (./theme.ts): light or dark by the system setting.
 */
import { defineConfig, stringify, twind, virtual } from "@twind/core";
import presetTailwind from "@twind/preset-tailwind";
import { themeColors, themeCss } from "./theme.ts";

const STRING_LITERAL = /"([^"\\\n]*)"|'([^'\\\n]*)'|`([^`\\]*)`/g;
const CLASS_TOKEN = /^[a-z0-9!\-:\[\]\/.#%_(),]+$/i;

/** Every whitespace-separated token of every string literal in `source` that could be a class. */
export function classTokens(source: string): Set<string> {
  const tokens = new Set<string>();
  for (const match of source.matchAll(STRING_LITERAL)) {
    const text = match[1] ?? match[2] ?? match[3] ?? "";
    for (const token of text.split(/\s+/)) {
      if (token.length > 0 && token.length < 80 && CLASS_TOKEN.test(token)) tokens.add(token);
    }
  }
  return tokens;
}

/** Generates the stylesheet (preflight + the utilities used) for the given class tokens. */
export function generateCss(tokens: Iterable<string>, extraCss = ""): string {
  const tw = twind(
    defineConfig({
      presets: [presetTailwind()],
      theme: { extend: { colors: themeColors() } },
    }),
    virtual(),
  );
  const sorted = [...tokens].sort();
  const warn = console.warn;
  console.warn = () => {}; // unknown tokens (ordinary words in strings) are expected here
  try {
    for (const token of sorted) {
      try {
        tw(token);
      } catch { /* not a class */ }
    }
  } finally {
    console.warn = warn;
  }
  return stringify(tw.target) + "\n" + themeCss() + extraCss;
}
