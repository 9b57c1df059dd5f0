/**
 * The languages Parley's staff pages speak, and how one is chosen from a
 * browser's `Accept-Language` header. No I/O: shared by the server and the islands.
 */

/** The supported languages, by their BCP 47 primary tag. English is the fallback. */
export const LOCALES = ["en", "es", "pt"] as const;
export type Locale = typeof LOCALES[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language's name in itself (what a language picker shows). */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  es: "Español",
  pt: "Português",
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The supported language a tag like "pt-BR" or "es" means, or null ("de", "", junk). */
export function localeOf(tag: string | null | undefined): Locale | null {
  const primary = (tag ?? "").trim().slice(0, 2).toLowerCase();
  return isLocale(primary) && /^[a-z]{2}(?:$|[-_])/i.test((tag ?? "").trim()) ? primary : null;
}

/**
 * The best supported language for an `Accept-Language` header ("pt-BR,pt;q=0.9,en;q=0.8"):
 * highest quality first, ties in the order given; English when none is supported.
 */
export function negotiateLocale(header: string | null | undefined): Locale {
  const ranked = (header ?? "").slice(0, 500).split(",").map((part, index) => {
    const [tag, ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const quality = q ? Number(q.slice(2)) : 1;
    return { locale: localeOf(tag), quality: Number.isFinite(quality) ? quality : 0, index };
  }).filter((r) => r.locale && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked[0]?.locale ?? DEFAULT_LOCALE;
}
