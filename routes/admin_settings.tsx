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

import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { getSettings } from "../lib/store/engine/mod.ts";
import { failedForm, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";
import { languageName, t } from "../lib/i18n/mod.ts";

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
              <legend class="font-semibold mb-2">{t("admin.settings.inactivity")}</legend>
              <p class="text-sm text-gray-600 mb-2">{t("admin.settings.inactivityIntro")}</p>
              <div class="grid md:grid-cols-2 gap-x-4">
                <TextField
                  label={t("admin.settings.warnAfter")}
                  name="inactivityWarnSeconds"
                  type="number"
                  value={v.inactivityWarnSeconds}
                  error={f.inactivityWarnSeconds}
                  hint={t("admin.settings.warnAfterHint")}
                />
                <TextField
                  label={t("admin.settings.closeAfter")}
                  name="inactivityCloseSeconds"
                  type="number"
                  value={v.inactivityCloseSeconds}
                  error={f.inactivityCloseSeconds}
                  hint={t("admin.settings.closeAfterHint")}
                />
              </div>
              {INACTIVITY_LANGUAGES.map((l) => (
                <TextArea
                  key={l}
                  label={t("admin.settings.warningText", { language: languageName(l) })}
                  name={`inactivityWarningText.${l}`}
                  value={v[`inactivityWarningText.${l}`]}
                  error={f[`inactivityWarningText.${l}`]}
                  rows={2}
                  hint={l === "en" ? t("admin.settings.warningTextHint") : undefined}
                />
              ))}
            </fieldset>
            <fieldset class="border-t border-gray-200 pt-3 mt-2">
              <legend class="font-semibold mb-2">{t("admin.settings.retention")}</legend>
              <TextField
                label={t("admin.settings.retentionDays")}
                name="retentionDays"
                type="number"
                value={v.retentionDays}
                error={f.retentionDays}
                hint={t("admin.settings.retentionHint")}
              />
            </fieldset>
            <fieldset class="border-t border-gray-200 pt-3 mt-2">
              <legend class="font-semibold mb-2">{t("admin.settings.survey")}</legend>
              <SelectField
                label={t("admin.settings.surveyMode")}
                name="surveyMode"
                value={v.surveyMode}
                error={f.surveyMode}
                options={[
                  { value: "off", label: t("admin.settings.surveyOff") },
                  { value: "csat", label: t("admin.settings.surveyCsat") },
                  { value: "csat_nps", label: t("admin.settings.surveyCsatNps") },
                ]}
                hint={t("admin.settings.surveyModeHint")}
              />
              <Checkbox
                label={t("admin.settings.surveyComment")}
                name="surveyComment"
                checked={v.surveyComment === "on"}
                error={f.surveyComment}
                hint={t("admin.settings.surveyCommentHint")}
              />
              <TextField
                label={t("admin.settings.surveyWindow")}
                name="surveyWindowDays"
                type="number"
                value={v.surveyWindowDays}
                error={f.surveyWindowDays}
                hint={t("admin.settings.surveyWindowHint", {
                  min: SURVEY_LIMITS.minDays,
                  max: SURVEY_LIMITS.maxDays,
                })}
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
