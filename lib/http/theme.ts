/**
 * Light and dark themes for the staff pages, following the system setting
 * (`prefers-color-scheme`). Every Tailwind colour the pages use (`bg-white`,
 * `text-gray-600`, `bg-brand-600`…) is a CSS custom property; the light theme
 * is Tailwind's palette, the dark one mirrors each scale (50 ↔ 900, 100 ↔ 800,
 * …, white ↔ near-black), so every pairing that has AA contrast in light has
 * it in dark too: dark text on light fills becomes light text on dark fills.
 * Pages write classes as before; nothing per page knows about themes.
 */
import * as tailwind from "@twind/preset-tailwind/colors";

const SHADES = ["50", "100", "200", "300", "400", "500", "600", "700", "800", "900"] as const;
type Scale = Record<(typeof SHADES)[number], string>;

/** The palettes the pages may use (others would not follow the dark theme). */
const PALETTES: Record<string, Scale> = {
  gray: tailwind.gray as Scale,
  red: tailwind.red as Scale,
  green: tailwind.green as Scale,
  amber: tailwind.amber as Scale,
  blue: tailwind.blue as Scale,
  yellow: tailwind.yellow as Scale,
  orange: tailwind.orange as Scale,
  // Parley's own blue (buttons, links, the selected tab).
  brand: {
    50: "#eef5ff",
    100: "#d9e8ff",
    200: "#bfdbfe",
    300: "#93c5fd",
    400: "#60a5fa",
    500: "#2563eb",
    600: "#1d4ed8",
    700: "#1e40af",
    800: "#1e3a8a",
    900: "#172554",
  },
};

/** Dark: white is the darkest surface, black the lightest text. */
const SPECIAL = { white: ["#ffffff", "#0b1220"], black: ["#000000", "#f9fafb"] } as const;

/** The Twind colour theme: each colour is its custom property. */
export function themeColors(): Record<string, string | Record<string, string>> {
  const colors: Record<string, string | Record<string, string>> = {};
  for (const [name, scale] of Object.entries(PALETTES)) {
    colors[name] = Object.fromEntries(
      Object.keys(scale).map((shade) => [shade, `var(--c-${name}-${shade})`]),
    );
  }
  for (const name of Object.keys(SPECIAL)) colors[name] = `var(--c-${name})`;
  return colors;
}

/** The custom properties of both themes, and what follows from the theme (form controls, rings). */
export function themeCss(): string {
  const light: string[] = [];
  const dark: string[] = [];
  for (const [name, scale] of Object.entries(PALETTES)) {
    SHADES.forEach((shade, i) => {
      light.push(`--c-${name}-${shade}:${scale[shade]}`);
      dark.push(`--c-${name}-${shade}:${scale[SHADES[SHADES.length - 1 - i]]}`);
    });
  }
  for (const [name, [day, night]] of Object.entries(SPECIAL)) {
    light.push(`--c-${name}:${day}`);
    dark.push(`--c-${name}:${night}`);
  }
  // Focus rings' offset takes the surface colour, so it never flashes white in the dark.
  return `:root{color-scheme:light dark;${light.join(";")}}\n` +
    `@media (prefers-color-scheme: dark){:root{${dark.join(";")}}}\n` +
    `*,::before,::after{--tw-ring-offset-color:var(--c-white)}\n`;
}
