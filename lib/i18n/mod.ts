/**
 * Translation for every staff page and island: `t("header.signOut")` gives the
 * text in the current language, `t("list.waiting", { count: 3 })` picks the
 * plural form with `Intl.PluralRules`. One catalog per language in
 * ./messages/; English (en.ts) is the source and its keys are the type
 * `MessageKey`, so a missing or misspelt key fails `deno check`.
 *
 * The current language comes from a source the runtime installs: on the server,
 * lib/http/locale.ts (the signed-in agent's choice, else the browser's
 * Accept-Language, per request); in the browser, `<html lang>`, which the server
 * rendered, so islands hydrate in the language the page was rendered in.
 *
 * Adding a string: add the key to messages/en.ts (en_admin.ts for the admin
 * console and setup page), then to the same file of es and pt (`deno check`
 * and lib/i18n/catalog_test.ts say what is missing), and call `t(key)`.
 */
import { en } from "./messages/en.ts";
import { es } from "./messages/es.ts";
import { pt } from "./messages/pt.ts";
import type { Messages, Plural } from "./messages/types.ts";
import { DEFAULT_LOCALE, type Locale, localeOf } from "./locales.ts";

export type { MessageKey, Messages, Plural } from "./messages/types.ts";
export * from "./locales.ts";
import type { MessageKey } from "./messages/types.ts";

export const CATALOGS: Record<Locale, Messages> = { en, es, pt };

/** The values a message's `{name}` placeholders are filled with; `count` also picks the plural. */
export type Vars = Record<string, string | number>;

function browserLocale(): Locale {
  const lang = typeof document === "undefined" ? "" : document.documentElement?.lang;
  return localeOf(lang) ?? DEFAULT_LOCALE;
}

let source: () => Locale = browserLocale;

/** Installs where the current language comes from (the server's per-request store). */
export function setLocaleSource(next: () => Locale): void {
  source = next;
}

/** The language the current page or request speaks. */
export function currentLocale(): Locale {
  return source();
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

function pluralForm(locale: Locale, message: Plural, count: number): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, rules = new Intl.PluralRules(locale));
  const category = rules.select(count) as keyof Plural;
  return message[category] ?? message.other;
}

/** The text of `key` in `locale`, placeholders filled (numbers formatted for the language). */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const message = CATALOGS[locale][key] ?? CATALOGS.en[key];
  const text = typeof message === "string"
    ? message
    : pluralForm(locale, message, Number(vars?.count ?? 0));
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatNumber(value, locale) : value;
  });
}

/**
 * The text of `key` in the current language as pieces, each placeholder replaced
 * by its value as is: for pages that put markup in a sentence
 * (`tParts("x", { name: <strong>Ana</strong> })`) without splitting it into
 * fragments a translator cannot reorder. Numbers are formatted as in `t()`.
 */
export function tParts<V>(
  key: MessageKey,
  vars: Record<string, V | string | number>,
): (string | V)[] {
  const locale = currentLocale();
  const message = CATALOGS[locale][key] ?? CATALOGS.en[key];
  const text = typeof message === "string"
    ? message
    : pluralForm(locale, message, Number(vars.count ?? 0));
  return text.split(/(\{\w+\})/).filter((piece) => piece !== "").map((piece) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1];
    if (name === undefined || !(name in vars)) return piece;
    const value = vars[name];
    return typeof value === "number" ? formatNumber(value, locale) : value;
  });
}

/** The text of `key` in the current language. */
export function t(key: MessageKey, vars?: Vars): string {
  return translate(currentLocale(), key, vars);
}

const formats = new Map<
  string,
  Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat
>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  kind: string,
  locale: Locale,
  options: object,
  make: () => T,
): T {
  const id = `${kind}|${locale}|${JSON.stringify(options)}`;
  let format = formats.get(id) as T | undefined;
  if (!format) formats.set(id, format = make());
  return format;
}

/** A number in the current language's digits and separators ("1,234" / "1.234"). */
export function formatNumber(
  n: number,
  locale: Locale = currentLocale(),
  options: Intl.NumberFormatOptions = {},
): string {
  return cached("n", locale, options, () => new Intl.NumberFormat(locale, options)).format(n);
}

/** A date and/or time in the current language (`Intl.DateTimeFormat`); "" for a bad date. */
export function formatDate(
  value: string | number | Date | null | undefined,
  options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" },
  locale: Locale = currentLocale(),
): string {
  if (value === null || value === undefined || value === "") return "";
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return cached("d", locale, options, () => new Intl.DateTimeFormat(locale, options)).format(date);
}

/** The parts of a formatted date, for layouts the standard styles do not give. */
export function dateParts(
  date: Date,
  options: Intl.DateTimeFormatOptions,
  locale: Locale = currentLocale(),
): Intl.DateTimeFormatPart[] {
  return cached("d", locale, options, () => new Intl.DateTimeFormat(locale, options))
    .formatToParts(date);
}

const languageNames = new Map<Locale, Intl.DisplayNames>();

/** A language's name in the current language, by `Intl.DisplayNames` ("de" → "German" / "alemán"). */
export function languageName(code: string, locale: Locale = currentLocale()): string {
  let names = languageNames.get(locale);
  if (!names) {
    languageNames.set(locale, names = new Intl.DisplayNames([locale], { type: "language" }));
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code; // not a language tag
  }
}

/** "3 minutes ago" / "hace 3 minutos" for `ms` from now (negative: past), in the largest fitting unit. */
export function formatRelative(ms: number, locale: Locale = currentLocale()): string {
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
    ["second", 1000],
  ];
  const [unit, size] = units.find(([, size]) => Math.abs(ms) >= size) ?? units[3];
  return cached(
    "r",
    locale,
    { numeric: "auto" },
    () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }),
  ).format(Math.round(ms / size), unit);
}
