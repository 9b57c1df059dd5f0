/**
 * Admin page for integrations' API keys: the keys (name, scopes, who made them, last use,
 * revoked or live), a form to create one, and the new key shown once with a Copy button.
 * The rules (hashing, scopes, audit) live in lib/store/api_keys.ts.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, Checkbox, FormAlert, TextField } from "../components/Form.tsx";
import { Island } from "../components/Island.tsx";
import CopyField from "../islands/CopyField.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { publicAgent } from "../lib/store/agents.ts";
import {
  API_SCOPES,
  type ApiKey,
  apiKeyInputSchema,
  type ApiScope,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "../lib/store/api_keys.ts";
import { t, tParts } from "../lib/i18n/mod.ts";
import { apiScopeInWords } from "../lib/admin/api_scope_words.ts";
import { When } from "../components/admin/When.tsx";
import { failedForm, formAction, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";

/** The form field of a scope's checkbox. */
const scopeField = (scope: ApiScope) => `scope-${scope.replace(":", "-")}`;

/** The scopes ticked in a posted form. */
function scopesFrom(form: Record<string, string>): string[] {
  return API_SCOPES.filter((s) => form[scopeField(s)] === "on");
}

const scopeLabel = (scope: ApiScope) => apiScopeInWords(scope);

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  return (
    <li class="py-3" data-api-key-id={apiKey.id}>
      <div class="flex flex-wrap items-start gap-3">
        <div class="flex-1 min-w-0">
          <p class="font-medium">
            {apiKey.name} {apiKey.revokedAt
              ? (
                <span class="text-xs rounded bg-gray-200 text-gray-800 px-2 py-0.5">
                  {t("admin.apiKeys.revoked")}
                </span>
              )
              : (
                <span class="text-xs rounded bg-green-100 text-green-900 px-2 py-0.5">
                  {t("admin.apiKeys.active")}
                </span>
              )}
          </p>
          <p class="text-sm text-gray-700">
            <code>{apiKey.hint}…</code> · {apiKey.scopes.map(scopeLabel).join(", ")}
          </p>
          <p class="text-xs text-gray-600">
            {tParts("admin.apiKeys.createdBy", {
              when: <When iso={apiKey.createdAt} />,
              name: apiKey.createdBy.name,
            })} · {apiKey.lastUsedAt
              ? tParts("admin.apiKeys.lastUsed", { when: <When iso={apiKey.lastUsedAt} /> })
              : t("admin.apiKeys.neverUsed")}
            {apiKey.revokedAt && (
              <>
                {" · "}
                {tParts("admin.apiKeys.revokedAt", { when: <When iso={apiKey.revokedAt} /> })}
              </>
            )}
          </p>
        </div>
        {!apiKey.revokedAt && (
          <form method="post" action={`/admin/api-keys/${apiKey.id}/revoke`}>
            <Button variant="danger">
              {t("admin.apiKeys.revoke")}
              <span class="sr-only">{` ${apiKey.name}`}</span>
            </Button>
          </form>
        )}
      </div>
    </li>
  );
}

/** The `/admin/api-keys` page and its form posts. */
export function adminApiKeyPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;

  async function page(
    c: Context<AppEnv>,
    state: FormState & { created?: { apiKey: ApiKey; token: string } } = {},
  ) {
    const apiKeys = await listApiKeys(kv);
    const ticked = state.values ? scopesFrom(state.values) : [];
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.nav.apiKeys")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/api-keys"
        notice={noticeFrom(c)}
      >
        {state.created && (
          <Section title={t("admin.apiKeys.newTitle")} id="new-key">
            <p class="text-sm mb-3" role="status">
              {tParts("admin.apiKeys.copyNow", {
                name: <strong>{state.created.apiKey.name}</strong>,
                header: <code>Authorization: Bearer …</code>,
              })}
            </p>
            <Island
              name="CopyField"
              component={CopyField}
              props={{
                id: "new-api-key",
                label: t("admin.apiKeys.copyLabel", { name: state.created.apiKey.name }),
                value: state.created.token,
              }}
            />
          </Section>
        )}
        <Section title={t("admin.nav.apiKeys")} id="api-keys">
          <p class="text-sm text-gray-700 mb-2">
            {tParts("admin.apiKeys.intro", { header: <code>Authorization: Bearer …</code> })}{" "}
            {t("admin.apiKeys.reference")}{" "}
            <a class="underline text-brand-700" href="/api/v1/docs">/api/v1/docs</a>.
          </p>
          {apiKeys.length === 0 && <p class="text-sm text-gray-600">{t("admin.apiKeys.none")}</p>}
          <ul class="divide-y divide-gray-100">
            {apiKeys.map((k) => <KeyRow key={k.id} apiKey={k} />)}
          </ul>
        </Section>
        <Section title={t("admin.apiKeys.create")} id="create-an-api-key">
          <form method="post" action="/admin/api-keys" novalidate>
            <FormAlert message={state.error} />
            <TextField
              label={t("admin.apiKeys.name")}
              name="name"
              value={state.values?.name}
              error={state.fields?.name}
              hint={t("admin.apiKeys.nameHint")}
              required
            />
            <fieldset
              class="mb-3"
              aria-describedby={state.fields?.scopes ? "scopes-error" : undefined}
            >
              <legend class="block text-sm font-medium mb-1">{t("admin.apiKeys.scopes")}</legend>
              {API_SCOPES.map((s) => (
                <Checkbox
                  key={s}
                  label={scopeLabel(s)}
                  name={scopeField(s)}
                  checked={ticked.includes(s)}
                />
              ))}
              {state.fields?.scopes && (
                <p id="scopes-error" class="text-sm text-red-700">{state.fields.scopes}</p>
              )}
            </fieldset>
            <Button>{t("admin.apiKeys.createButton")}</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/api-keys", (c) => page(c));

  // Answered with the page itself (no redirect): the token exists only in this answer.
  app.post("/admin/api-keys", (c) =>
    formPost(
      c,
      async (form) => {
        const input = parseWith(apiKeyInputSchema, { name: form.name, scopes: scopesFrom(form) });
        const created = await createApiKey(engine, input, currentAgent(c));
        c.header("cache-control", "no-store");
        return await page(c, { created });
      },
      (f, form) => page(c, failedForm(f, form)),
    ));

  app.post("/admin/api-keys/:id/revoke", (c) =>
    formAction(
      c,
      async () => {
        await revokeApiKey(engine, c.req.param("id"), currentAgent(c));
        return "/admin/api-keys?notice=revoked";
      },
      (f) => page(c, { error: f.message, status: f.status }),
    ));

  return app;
}
