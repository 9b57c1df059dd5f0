/**
 * The catalogs agree: every language has every English key (deno check says so
 * too), the same `{placeholders}`, each plural has the categories its language's
 * `Intl.PluralRules` uses, and nothing is left in English by accident.
 */
import assert from "node:assert/strict";
import {
  CATALOGS,
  formatDate,
  formatNumber,
  formatRelative,
  LOCALES,
  type MessageKey,
  negotiateLocale,
  setLocaleSource,
  tParts,
  translate,
} from "./mod.ts";
import { en } from "./messages/en.ts";

const placeholders = (message: unknown): string[] =>
  [...new Set(JSON.stringify(message).match(/\{\w+\}/g) ?? [])].sort();

/** Keys whose text is the same in these languages on purpose (names, loanwords). */
const SAME_AS_ENGLISH: Partial<Record<MessageKey, string[]>> = {
  "app.name": ["es", "pt"],
  "role.supervisor": ["es", "pt"],
  "status.label": ["pt"],
  "status.online": ["pt"],
  "admin.agents.chats": ["es", "pt"],
  "admin.nav.webhooks": ["es", "pt"],
  "admin.qr.scopePersonal": ["es"],
  "admin.sites.editTitle": ["pt"],
  "admin.webhooks.title": ["es", "pt"],
  "admin.webhooks.url": ["es", "pt"],
  "admin.webhooks.status": ["pt"],
  // Only placeholders, names and punctuation.
  "admin.audit.change": ["es", "pt"],
  "admin.audit.value": ["es", "pt"],
  "admin.audit.field.url": ["es", "pt"],
  "admin.audit.target.webhook": ["es", "pt"],
  "admin.privacy.id": ["es", "pt"],
  "admin.privacy.whatsapp": ["es", "pt"],
  "admin.whatsapp.variables": ["es"],
  "admin.whatsapp.status": ["pt"],
  // Unit symbols (min, h, d) are the same in all three.
  "time.minutes": ["es", "pt"],
  "time.hours": ["es", "pt"],
  "time.hoursMinutes": ["es", "pt"],
  "time.days": ["es", "pt"],
  "status.offline": ["pt"],
  "supervise.pageTitle": ["es", "pt"],
  "supervise.seconds": ["es", "pt"],
  "supervise.transferOption": ["es", "pt"],
  "supervise.col.status": ["pt"],
  "reports.volume.unit": ["es", "pt"],
  "reports.total": ["es", "pt"],
  "reports.chart.figcaption": ["es", "pt"],
  "reports.col.nps": ["es", "pt"],
  "reports.col.onlineMin": ["pt"],
  "reports.col.offlineMin": ["pt"],
};

Deno.test("[i18n] every catalog has exactly the English keys, placeholders and plural forms", () => {
  const keys = Object.keys(en).sort();
  const untranslated: string[] = [];
  for (const locale of LOCALES) {
    const catalog = CATALOGS[locale];
    assert.deepEqual(Object.keys(catalog).sort(), keys, `${locale}: keys differ from English`);
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const key of keys as MessageKey[]) {
      const message = catalog[key];
      assert.deepEqual(
        placeholders(message),
        placeholders(en[key]),
        `${locale} ${key}: placeholders`,
      );
      assert.equal(typeof message, typeof en[key], `${locale} ${key}: string vs plural`);
      if (typeof message === "object") {
        for (const category of categories) {
          assert.ok(
            message[category as keyof typeof message],
            `${locale} ${key}: plural "${category}"`,
          );
        }
      } else {
        assert.ok(message.trim().length > 0, `${locale} ${key}: empty`);
      }
      const same = JSON.stringify(message) === JSON.stringify(en[key]);
      if (locale !== "en" && same && !SAME_AS_ENGLISH[key]?.includes(locale)) {
        untranslated.push(`${locale} ${key}`);
      }
    }
  }
  // Translate these, or list them in SAME_AS_ENGLISH when the words really are the same.
  assert.deepEqual(untranslated, [], "texts still in English");
});

Deno.test("[i18n] plurals and numbers follow the language", () => {
  assert.match(translate("en", "status.offlineAsk", { count: 1 }), /your active chat back/);
  assert.match(translate("en", "status.offlineAsk", { count: 3 }), /your 3 active chats/);
  assert.match(translate("es", "status.offlineAsk", { count: 1 }), /tu chat activo/);
  assert.match(translate("es", "status.offlineAsk", { count: 12000 }), /tus 12\.000 chats/);
  assert.match(translate("pt", "status.offlineAsk", { count: 2 }), /seus 2 chats/);
});

Deno.test("[i18n] Accept-Language picks the best supported language, English otherwise", () => {
  assert.equal(negotiateLocale("pt-BR,pt;q=0.9,en;q=0.8"), "pt");
  assert.equal(negotiateLocale("de-DE,es;q=0.7,en;q=0.5"), "es");
  assert.equal(negotiateLocale("en;q=0.4, es;q=0.8"), "es");
  assert.equal(negotiateLocale("fr, de"), "en");
  assert.equal(negotiateLocale("es;q=0"), "en");
  assert.equal(negotiateLocale(""), "en");
  assert.equal(negotiateLocale(null), "en");
  assert.equal(negotiateLocale("ptx, *"), "en");
});

Deno.test("[i18n] dates, numbers and relative times are written the language's way (Intl)", () => {
  const when = Date.UTC(2026, 11, 1, 14, 5);
  const opts: Intl.DateTimeFormatOptions = { dateStyle: "long", timeZone: "UTC" };
  assert.equal(formatDate(when, opts, "en"), "December 1, 2026");
  assert.equal(formatDate(when, opts, "es"), "1 de diciembre de 2026");
  assert.equal(formatDate(when, opts, "pt"), "1 de dezembro de 2026");
  assert.equal(formatDate("not a date", opts, "es"), "");
  assert.equal(formatNumber(1234567.5, "en"), "1,234,567.5");
  assert.equal(formatNumber(1234567.5, "es"), "1.234.567,5");
  assert.equal(formatNumber(1234567.5, "pt"), "1.234.567,5");
  assert.equal(formatRelative(-3 * 60_000, "en"), "3 minutes ago");
  assert.equal(formatRelative(-3 * 60_000, "es"), "hace 3 minutos");
  assert.equal(formatRelative(-2 * 86_400_000, "pt"), "anteontem");
});

Deno.test("[i18n] tParts keeps markup in place, in the language's word order", () => {
  const marker = { tag: "strong" };
  try {
    setLocaleSource(() => "es");
    const parts = tParts("admin.apiKeys.createdBy", { when: marker, name: "Rosa" });
    assert.deepEqual(parts, ["Creada el ", marker, " por ", "Rosa"]);
    setLocaleSource(() => "pt");
    assert.deepEqual(tParts("admin.apiKeys.lastUsed", { when: marker }), [
      "último uso em ",
      marker,
    ]);
  } finally {
    setLocaleSource(() => "en");
  }
});
