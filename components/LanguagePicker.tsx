/**
 * The signed-in member's language, in the workspace and admin headers: a plain
 * form (POST /workspace/language, "Set" without scripts); with scripts, choosing
 * saves it (PUT /api/v1/me/locale) and reloads the page in the new language.
 */
import { useState } from "preact/hooks";
import { type Locale, LOCALE_NAMES, LOCALES, t } from "../lib/i18n/mod.ts";

export default function LanguagePicker({ locale }: { locale: Locale }) {
  const [saving, setSaving] = useState(false);
  const [failed, setFailed] = useState(false);
  const choose = async (next: Locale) => {
    setSaving(true);
    setFailed(false);
    const res = await fetch("/api/v1/me/locale", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ locale: next }),
    }).catch(() => null);
    if (res?.ok) return location.reload();
    setSaving(false);
    setFailed(true);
  };
  return (
    <form method="post" action="/workspace/language" class="flex items-center gap-1">
      <label for="language-picker" class="text-sm font-medium">{t("header.language")}</label>
      <select
        id="language-picker"
        name="locale"
        value={locale}
        disabled={saving}
        onChange={(e) => choose((e.target as HTMLSelectElement).value as Locale)}
        class="text-sm border border-gray-300 rounded px-1 py-1 bg-white focus:outline-none focus:ring-2 focus:ring-brand-500"
      >
        {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
      </select>
      <noscript>
        <button type="submit" class="text-sm border border-gray-300 rounded px-2 py-1">
          {t("header.setLanguage")}
        </button>
      </noscript>
      {failed && <span role="alert" class="text-sm text-red-700">{t("header.languageFailed")}
      </span>}
    </form>
  );
}
