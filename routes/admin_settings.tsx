/** Admin page for the routing settings; changes apply at once (the engine reads them live). */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, Checkbox, FormAlert, TextArea, TextField } from "../components/Form.tsx";
import { adminUpdateSettings, settingsFormSchema } from "../lib/admin/settings.ts";
import { MAX_CHATS } from "../lib/domain/limits.ts";
import { INACTIVITY_LANGUAGES, warningText } from "../lib/domain/inactivity.ts";

const LANGUAGE_NAMES = { en: "English", es: "Spanish", de: "German" } as const;
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { getSettings } from "../lib/store/engine/mod.ts";
import { failedForm, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";

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
      ...Object.fromEntries(
        INACTIVITY_LANGUAGES.map((l) => [
          `inactivityWarningText.${l}`,
          warningText(s, l),
        ]),
      ),
    };
    const f = state.fields ?? {};
    return renderPage(
      c,
      <AdminLayout
        title="Routing"
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/settings"
        notice={noticeFrom(c)}
      >
        <Section title="Routing settings">
          <p class="text-sm text-gray-600 mb-4">
            Changes apply to the next routing decision, without a restart.
          </p>
          <form method="post" action="/admin/settings" novalidate>
            <FormAlert message={state.error} />
            <div class="grid md:grid-cols-2 gap-x-4">
              <TextField
                label="Max chats per agent"
                name="maxChatsPerAgent"
                type="number"
                value={v.maxChatsPerAgent}
                error={f.maxChatsPerAgent}
                hint={`${MAX_CHATS.min} to ${MAX_CHATS.max}. An agent's own max chats overrides it.`}
              />
              <TextField
                label="Max transferred chats per agent"
                name="maxTransfersPerAgent"
                type="number"
                value={v.maxTransfersPerAgent}
                error={f.maxTransfersPerAgent}
                hint="Chats an agent may hold that reached it by a colleague's transfer; 0 = no limit."
              />
              <TextField
                label="Offline grace period (seconds)"
                name="heartbeatGraceSeconds"
                type="number"
                value={v.heartbeatGraceSeconds}
                error={f.heartbeatGraceSeconds}
                hint="Without a heartbeat from the workspace this long, an agent becomes Offline. 10 to 3600."
              />
              <TextField
                label="Unanswered-chat timeout (seconds)"
                name="unansweredTimeoutSeconds"
                type="number"
                value={v.unansweredTimeoutSeconds}
                error={f.unansweredTimeoutSeconds}
                hint="A chat whose agent has not replied in this time goes back to the queue. 0 = off."
              />
            </div>
            <Checkbox
              label="Dynamic assignment"
              name="dynamicAssignment"
              checked={v.dynamicAssignment === "on"}
              error={f.dynamicAssignment}
              hint="On: Pending chats go to Online agents automatically. Off: agents pick them up."
            />
            <Checkbox
              label="Requeue on offline"
              name="requeueOnOffline"
              checked={v.requeueOnOffline === "on"}
              error={f.requeueOnOffline}
              hint="When an agent goes Offline, its chats return to the front of the queue."
            />
            <fieldset class="border-t border-gray-200 pt-3 mt-2">
              <legend class="font-semibold mb-2">Wrap-up</legend>
              <TextArea
                label="Wrap-up tags"
                name="wrapUpTags"
                value={v.wrapUpTags}
                error={f.wrapUpTags}
                rows={4}
                hint="One per line. The close form offers them as checkboxes; reports count them."
              />
              <Checkbox
                label="Allow free tags"
                name="allowFreeTags"
                checked={v.allowFreeTags === "on"}
                error={f.allowFreeTags}
                hint="On: agents may also type tags of their own. Off: only the tags above."
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
            <Button>Save settings</Button>
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
