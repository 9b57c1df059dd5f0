import { useEffect, useRef, useState } from "preact/hooks";
import type { WorkspaceStore } from "../../lib/ui/state.ts";
import { ApiError, loadWhatsAppTemplates, sendTemplate } from "../../lib/ui/actions.ts";
import { newClientId } from "../../lib/ui/format.ts";
import type { UiConversation } from "../../lib/ui/model.ts";
import {
  checkTemplateValues,
  prefillTemplateValues,
  renderTemplate,
  valueKey,
  type WhatsAppTemplate,
} from "../../lib/domain/whatsapp_templates.ts";
import { t } from "../../lib/i18n/mod.ts";

/**
 * "Send a template": the one way to reach a WhatsApp customer outside the
 * 24-hour window. Pick an approved template (a native select), fill its
 * variables (prefilled from the contact, the agent and the chat's context
 * where the names match; the same rules as the server, lib/domain/
 * whatsapp_templates.ts), read the preview, send. Errors go to an alert (a
 * live region) and name the fields; Escape or "Cancel" closes and gives
 * focus back to the opener.
 */
export function TemplateSender(
  { ws, conv, onClose }: { ws: WorkspaceStore; conv: UiConversation; onClose: () => void },
) {
  const [templates, setTemplates] = useState<WhatsAppTemplate[] | null>(null);
  const [chosen, setChosen] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [fields, setFields] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState("");
  const [sending, setSending] = useState(false);
  // One clientId per filled-in template: a resend after a lost answer is stored once.
  const [clientId, setClientId] = useState(newClientId);
  const select = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    loadWhatsAppTemplates().then((items) => {
      setTemplates(items);
      if (items.length === 1) choose(items[0], `${items[0].name}|${items[0].language}`);
    }).catch((err) => {
      setTemplates([]);
      setProblem((err as Error).message);
    });
  }, []);
  useEffect(() => {
    if (templates) select.current?.focus();
  }, [templates]);

  const template = templates?.find((t) => `${t.name}|${t.language}` === chosen) ?? null;

  function choose(t: WhatsAppTemplate | null, id: string) {
    setChosen(id);
    setFields({});
    setProblem("");
    setClientId(newClientId());
    setValues(
      t
        ? prefillTemplateValues(t, {
          contact: { name: conv.contactName, email: conv.contactEmail, phone: conv.contactPhone },
          agent: { name: ws.me.value.name },
          context: Object.fromEntries(conv.context),
        })
        : {},
    );
  }

  async function submit() {
    if (!template || sending) return;
    const missing = checkTemplateValues(template, values);
    if (Object.keys(missing).length) {
      setFields(missing);
      setProblem(
        t("template.fillIn", { names: Object.keys(missing).map((id) => labelOf(id)).join(", ") }),
      );
      document.getElementById(fieldId(Object.keys(missing)[0]))?.focus();
      return;
    }
    setSending(true);
    try {
      await sendTemplate(
        ws,
        { name: template.name, language: template.language, values },
        clientId,
      );
      onClose();
    } catch (err) {
      const fieldErrors = err instanceof ApiError ? err.fields : {};
      setFields(fieldErrors);
      setProblem((err as Error).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <div
      role="group"
      aria-labelledby="template-heading"
      class="border border-gray-300 rounded p-2 mb-2 bg-gray-50"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <h3 id="template-heading" class="text-sm font-semibold mb-1">{t("composer.sendTemplate")}</h3>
      <p id="template-problem" role="alert" class="text-sm text-red-800">{problem}</p>
      {templates === null && <p class="text-sm text-gray-600">{t("template.loading")}</p>}
      {templates?.length === 0 && !problem && (
        <p class="text-sm text-gray-700">
          No approved templates yet. An admin can read them from Meta in Admin → Channels → WhatsApp
          message templates.
        </p>
      )}
      {templates && templates.length > 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          class="flex flex-col gap-2"
        >
          <label class="text-sm flex flex-col gap-1">
            Template
            <select
              ref={select}
              value={chosen}
              onChange={(e) => {
                const id = (e.target as HTMLSelectElement).value;
                choose(templates.find((t) => `${t.name}|${t.language}` === id) ?? null, id);
              }}
              class="border border-gray-300 rounded px-2 py-1 focus:outline-none focus:ring-2 focus:ring-brand-500"
            >
              <option value="">{t("template.choose")}</option>
              {templates.map((t) => (
                <option key={`${t.name}|${t.language}`} value={`${t.name}|${t.language}`}>
                  {t.name} ({t.language})
                </option>
              ))}
            </select>
          </label>
          {template?.variables.map((v) => {
            const id = valueKey(v);
            return (
              <div key={id} class="flex flex-col gap-1 text-sm">
                <label for={fieldId(id)}>{labelOf(id)}</label>
                <input
                  id={fieldId(id)}
                  value={values[id] ?? ""}
                  placeholder={v.example ? `e.g. ${v.example}` : undefined}
                  aria-invalid={fields[id] ? "true" : undefined}
                  aria-describedby={fields[id] ? `${fieldId(id)}-error` : undefined}
                  onInput={(e) => {
                    const value = (e.target as HTMLInputElement).value;
                    setValues((cur) => ({ ...cur, [id]: value }));
                    if (fields[id]) {
                      const { [id]: _fixed, ...rest } = fields;
                      setFields(rest);
                      if (Object.keys(rest).length === 0) setProblem("");
                    }
                  }}
                  class="border border-gray-300 rounded px-2 py-1 focus:outline-none focus:ring-2 focus:ring-brand-500"
                />
                {fields[id] && (
                  <span id={`${fieldId(id)}-error`} class="text-red-800">{fields[id]}</span>
                )}
              </div>
            );
          })}
          {template && (
            <div>
              <p class="text-xs text-gray-600" id="template-preview-label">
                Preview (what the customer reads)
              </p>
              <p
                aria-labelledby="template-preview-label"
                data-testid="template-preview"
                class="whitespace-pre-wrap text-sm bg-white border border-gray-200 rounded p-2"
              >
                {renderTemplate(template, values)}
              </p>
            </div>
          )}
          <div class="flex gap-2 justify-end">
            <button
              type="button"
              onClick={onClose}
              class="text-sm border border-gray-300 rounded px-2 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
            >
              {t("common.cancel")}
            </button>
            <button
              type="submit"
              disabled={!template || sending}
              class="bg-brand-600 text-white rounded px-4 py-1 font-medium hover:bg-brand-700 disabled:opacity-50 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-500"
            >
              {sending ? t("template.sending") : t("template.send")}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** A variable's field id: `template-body-1`, `template-body-customer_name`. */
function fieldId(valueId: string): string {
  return `template-${valueId.replace(":", "-")}`;
}

/** "Body {{1}}", "Header {{order}}": where the value goes, as the template writes it. */
function labelOf(valueId: string): string {
  const [component, key] = valueId.split(":");
  return `${component === "header" ? t("template.header") : t("template.body")} {{${key}}}`;
}
