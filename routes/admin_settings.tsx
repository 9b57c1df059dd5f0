/** Admin page for the routing settings; changes apply at once (the engine reads them live). */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import {
  Button,
  Checkbox,
  FormAlert,
  SelectField,
  TextArea,
  TextField,
} from "../components/Form.tsx";
import { SURVEY_LIMITS } from "../lib/domain/survey.ts";
import { adminUpdateSettings, settingsFormSchema } from "../lib/admin/settings.ts";
import { MAX_CHATS } from "../lib/domain/limits.ts";
import { INACTIVITY_LANGUAGES, warningText } from "../lib/domain/inactivity.ts";

const LANGUAGE_NAMES = { en: "English", es: "Spanish", pt: "Portuguese", de: "German" } as const;
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { getSettings } from "../lib/store/engine/mod.ts";
import { failedForm, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";
import { t } from "../lib/i18n/mod.ts";

/** The `/admin/settings` page (routing settings). */
export function adminSettingsPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function page(c: Context<AppEnv>, state: FormState = {}) {
    const s = await getSettings(deps.kv);
    const v = state.values ?? {
      maxChatsPerAgent: String(s.maxChatsPerAgent),
      dynamicAssignment: s.dynamicAssignment ? "on" : "",
      heartbeatGraceSeconds: String(s.heartbeatGraceSeconds),
      requeueOnOffline: s.requeueOnOffline ? "on" : "",
      unansweredTimeoutSeconds: String(s.unansweredTimeoutSeconds),
      maxTransfersPerAgent: String(s.maxTransfersPerAgent),
      wrapUpTags: s.wrapUpTags.join("\n"),
      allowFreeTags: s.allowFreeTags ? "on" : "",
      inactivityWarnSeconds: String(s.inactivityWarnSeconds),
      inactivityCloseSeconds: String(s.inactivityCloseSeconds),
      retentionDays: String(s.retentionDays),
      ...Object.fromEntries(
        INACTIVITY_LANGUAGES.map((l) => [
          `inactivityWarningText.${l}`,
          warningText(s, l),
        ]),
      ),
      surveyMode: s.surveyMode,
      surveyComment: s.surveyComment ? "on" : "",
      surveyWindowDays: String(s.surveyWindowDays),
    };
    const f = state.fields ?? {};
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.nav.routing")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/settings"
        notice={noticeFrom(c)}
      >
        <Section title={t("admin.routing.settings")} id="routing-settings">
          <p class="text-sm text-gray-600 mb-4">
            {t("admin.routing.intro")}
          </p>
          <form method="post" action="/admin/settings" novalidate>
            <FormAlert message={state.error} />
            <div class="grid md:grid-cols-2 gap-x-4">
              <TextField
                label={t("admin.routing.maxChats")}
                name="maxChatsPerAgent"
                type="number"
                value={v.maxChatsPerAgent}
                error={f.maxChatsPerAgent}
                hint={t("admin.routing.maxChatsHint", { min: MAX_CHATS.min, max: MAX_CHATS.max })}
              />
              <TextField
                label={t("admin.routing.maxTransfers")}
                name="maxTransfersPerAgent"
                type="number"
                value={v.maxTransfersPerAgent}
                error={f.maxTransfersPerAgent}
                hint={t("admin.routing.maxTransfersHint")}
              />
              <TextField
                label={t("admin.routing.grace")}
                name="heartbeatGraceSeconds"
                type="number"
                value={v.heartbeatGraceSeconds}
                error={f.heartbeatGraceSeconds}
                hint={t("admin.routing.graceHint")}
              />
              <TextField
                label={t("admin.routing.unanswered")}
                name="unansweredTimeoutSeconds"
                type="number"
                value={v.unansweredTimeoutSeconds}
                error={f.unansweredTimeoutSeconds}
                hint={t("admin.routing.unansweredHint")}
              />
            </div>
            <Checkbox
              label={t("admin.routing.dynamic")}
              name="dynamicAssignment"
              checked={v.dynamicAssignment === "on"}
              error={f.dynamicAssignment}
              hint={t("admin.routing.dynamicHint")}
            />
            <Checkbox
              label={t("admin.routing.requeue")}
              name="requeueOnOffline"
              checked={v.requeueOnOffline === "on"}
              error={f.requeueOnOffline}
              hint={t("admin.routing.requeueHint")}
            />
            <fieldset class="border-t border-gray-200 pt-3 mt-2">
              <legend class="font-semibold mb-2">{t("close.wrapUp")}</legend>
              <TextArea
                label={t("admin.routing.tags")}
                name="wrapUpTags"
                value={v.wrapUpTags}
                error={f.wrapUpTags}
                rows={4}
                hint={t("admin.routing.tagsHint")}
              />
              <Checkbox
                label={t("admin.routing.freeTags")}
                name="allowFreeTags"
                checked={v.allowFreeTags === "on"}
                error={f.allowFreeTags}
                hint={t("admin.routing.freeTagsHint")}
              />
            </fieldset>
            <fieldset class="border-t border-gray-200 pt-3 mt-2">
              <legend class="font-semibold mb-2">Inactivity</legend>
              <p class="text-sm text-gray-600 mb-2">
                When the customer does not answer an agent's reply, Parley warns them and then
                closes the chat with the reason "inactivity". Any customer message stops it.
              </p>
              <div class="grid md:grid-cols-2 gap-x-4">
                <TextField
                  label="Warn the customer after (seconds)"
                  name="inactivityWarnSeconds"
                  type="number"
                  value={v.inactivityWarnSeconds}
                  error={f.inactivityWarnSeconds}
                  hint="Without a customer reply this long after an agent's reply. 0 = off; 10 to 86400."
                />
                <TextField
                  label="Close after the warning (seconds)"
                  name="inactivityCloseSeconds"
                  type="number"
                  value={v.inactivityCloseSeconds}
                  error={f.inactivityCloseSeconds}
                  hint="Still no reply this long after the warning: the chat closes. 10 to 86400."
                />
              </div>
              {INACTIVITY_LANGUAGES.map((l) => (
                <TextArea
                  key={l}
                  label={`Warning text (${LANGUAGE_NAMES[l]})`}
                  name={`inactivityWarningText.${l}`}
                  value={v[`inactivityWarningText.${l}`]}
                  error={f[`inactivityWarningText.${l}`]}
                  rows={2}
                  hint={l === "en"
                    ? "Sent in the customer's language (their browser's); English otherwise. Empty: the default text."
                    : undefined}
                />
              ))}
            </fieldset>
            <fieldset class="border-t border-gray-200 pt-3 mt-2">
              <legend class="font-semibold mb-2">Retention</legend>
              <TextField
                label="Anonymise closed conversations after (days)"
                name="retentionDays"
                type="number"
                value={v.retentionDays}
                error={f.retentionDays}
                hint="Messages, notes, files, page details and wrap-up notes are removed; reports keep their counts. 0 = keep forever. One person's data: Privacy."
              />
            </fieldset>
            <fieldset class="border-t border-gray-200 pt-3 mt-2">
              <legend class="font-semibold mb-2">Satisfaction survey</legend>
              <SelectField
                label="Survey after close"
                name="surveyMode"
                value={v.surveyMode}
                error={f.surveyMode}
                options={[
                  { value: "off", label: "Off" },
                  { value: "csat", label: "OK / KO" },
                  { value: "csat_nps", label: "OK / KO and a 0–10 recommend score (NPS)" },
                ]}
                hint="When an agent closes a chat, the customer is asked how it went: in the web chat, or with reply buttons on WhatsApp (within its 24-hour window)."
              />
              <Checkbox
                label="Ask for a comment"
                name="surveyComment"
                checked={v.surveyComment === "on"}
                error={f.surveyComment}
                hint="The web chat's survey offers a comment box (WhatsApp asks with buttons only)."
              />
              <TextField
                label="Answers accepted for (days)"
                name="surveyWindowDays"
                type="number"
                value={v.surveyWindowDays}
                error={f.surveyWindowDays}
                hint={`${SURVEY_LIMITS.minDays} to ${SURVEY_LIMITS.maxDays} days after the close. A customer who writes again starts a new chat, which closes the old survey.`}
              />
            </fieldset>
            <Button>{t("admin.routing.save")}</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/settings", (c) => page(c));

  app.post("/admin/settings", (c) =>
    formPost(
      c,
      async (form) => {
        await adminUpdateSettings(deps, currentAgent(c), parseWith(settingsFormSchema, form));
        return "/admin/settings?notice=saved";
      },
      (f, form) => page(c, failedForm(f, form)),
    ));

  return app;
}
