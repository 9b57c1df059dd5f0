/**
 * The body field of the quick-response form with a live preview: as the admin
 * types, placeholder syntax is checked and the text is shown filled with sample
 * values (custom fields get a sample input each). Without JavaScript it is a
 * plain textarea with the preview of the saved body; the server validates
 * either way, with the same rules (lib/domain/quick_responses.ts).
 */
import { useState } from "preact/hooks";
import {
  BUILTIN_PLACEHOLDERS,
  customFields,
  previewTemplate,
  SAMPLE_VALUES,
  validateTemplate,
} from "../lib/domain/quick_responses.ts";
import { t } from "../lib/i18n/mod.ts";

export default function QuickResponseEditor(
  { body: initial, error }: { body: string; error?: string },
) {
  const [body, setBody] = useState(initial);
  const [samples, setSamples] = useState<Record<string, string>>({});
  const issues = validateTemplate(body);
  const fields = customFields(body);
  const segments = previewTemplate(body, { ...SAMPLE_VALUES, fields: samples });
  const describedBy = ["qr-body-help", error ? "qr-body-error" : ""].filter(Boolean).join(" ");
  return (
    <div class="mb-3">
      <label for="f-body" class="block text-sm font-medium mb-1">{t("admin.qr.body")}</label>
      <textarea
        id="f-body"
        name="body"
        rows={5}
        value={body}
        onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
        aria-invalid={error || issues.length ? "true" : undefined}
        aria-describedby={describedBy}
        class="w-full border border-gray-300 rounded px-3 py-2 font-mono text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      <p id="qr-body-help" class="text-xs text-gray-600 mt-1">
        {t("admin.qr.placeholders", {
          list: Object.keys(BUILTIN_PLACEHOLDERS).map((k) => `{{${k}}}`).join(", "),
          context: "{{context.KEY}}",
          field: "{{field:Label}}",
        })}
      </p>
      {error && <p id="qr-body-error" class="text-sm text-red-700 mt-1">{error}</p>}
      <div aria-live="polite">
        {issues.length > 0 && (
          <ul class="text-sm text-red-700 mt-1 list-disc pl-5" data-testid="qr-issues">
            {issues.map((m) => <li key={m}>{m}</li>)}
          </ul>
        )}
      </div>
      {fields.length > 0 && (
        <fieldset class="mt-3 border border-gray-200 rounded p-3">
          <legend class="text-sm font-medium px-1">{t("admin.qr.samples")}</legend>
          {fields.map((label, i) => (
            <div key={label} class="mb-2">
              <label for={`qr-sample-${i}`} class="block text-sm mb-1">{label}</label>
              <input
                id={`qr-sample-${i}`}
                value={samples[label] ?? ""}
                onInput={(e) =>
                  setSamples({ ...samples, [label]: (e.target as HTMLInputElement).value })}
                class="w-full border border-gray-300 rounded px-2 py-1 text-sm"
              />
            </div>
          ))}
        </fieldset>
      )}
      <div class="mt-3">
        <p class="text-sm font-medium mb-1" id="qr-preview-label">{t("admin.qr.preview")}</p>
        <div
          aria-labelledby="qr-preview-label"
          data-testid="qr-preview"
          class="whitespace-pre-wrap text-sm bg-gray-50 border border-gray-200 rounded p-3"
        >
          {segments.map((s, i) =>
            "text" in s ? <span key={i}>{s.text}</span> : s.value === null
              ? (
                <mark
                  key={i}
                  class="bg-amber-100 text-amber-900 rounded px-1"
                  title={t("admin.qr.noValue")}
                >
                  {s.placeholder}
                </mark>
              )
              : <span key={i} class="bg-green-50 rounded">{s.value}</span>
          )}
        </div>
        <p class="text-xs text-gray-600 mt-1">
          {t("admin.qr.highlighted")}
        </p>
      </div>
    </div>
  );
}
