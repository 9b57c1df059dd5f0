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
  SCOPE_LABELS,
} from "../lib/store/api_keys.ts";
import { failedForm, formAction, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";

/** The form field of a scope's checkbox. */
const scopeField = (scope: ApiScope) => `scope-${scope.replace(":", "-")}`;

/** The scopes ticked in a posted form. */
function scopesFrom(form: Record<string, string>): string[] {
  return API_SCOPES.filter((s) => form[scopeField(s)] === "on");
}

/** A time as the audit log shows it: UTC, to the minute. */
function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{iso.slice(0, 16).replace("T", " ")} UTC</time>;
}

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  return (
    <li class="py-3" data-api-key-id={apiKey.id}>
      <div class="flex flex-wrap items-start gap-3">
        <div class="flex-1 min-w-0">
          <p class="font-medium">
            {apiKey.name} {apiKey.revokedAt
              ? <span class="text-xs rounded bg-gray-200 text-gray-800 px-2 py-0.5">Revoked</span>
              : <span class="text-xs rounded bg-green-100 text-green-900 px-2 py-0.5">Active</span>}
          </p>
          <p class="text-sm text-gray-700">
            <code>{apiKey.hint}…</code> · {apiKey.scopes.map((s) => SCOPE_LABELS[s]).join(", ")}
          </p>
          <p class="text-xs text-gray-600">
            Created <When iso={apiKey.createdAt} /> by {apiKey.createdBy.name} · {apiKey.lastUsedAt
              ? (
                <>
                  last used <When iso={apiKey.lastUsedAt} />
                </>
              )
              : "never used"}
            {apiKey.revokedAt && (
              <>
                {" "}· revoked <When iso={apiKey.revokedAt} />
              </>
            )}
          </p>
        </div>
        {!apiKey.revokedAt && (
          <form method="post" action={`/admin/api-keys/${apiKey.id}/revoke`}>
            <Button variant="danger">
              Revoke<span class="sr-only">{` ${apiKey.name}`}</span>
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
        title="API keys"
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/api-keys"
        notice={noticeFrom(c)}
      >
        {state.created && (
          <Section title="Your new API key" id="new-key">
            <p class="text-sm mb-3" role="status">
              Copy the key for <strong>{state.created.apiKey.name}</strong>{" "}
              now: it is shown only this once. Integrations send it as{" "}
              <code>Authorization: Bearer …</code>.
            </p>
            <Island
              name="CopyField"
              component={CopyField}
              props={{
                id: "new-api-key",
                label: `API key for ${state.created.apiKey.name}`,
                value: state.created.token,
              }}
            />
          </Section>
        )}
        <Section title="API keys">
          <p class="text-sm text-gray-700 mb-2">
            Integrations (a CRM, a bot) call the REST API with a key instead of signing in:{" "}
            <code>Authorization: Bearer …</code>. Each key can do only what its scopes allow.
            Reference: <a class="underline text-brand-700" href="/api/v1/docs">/api/v1/docs</a>.
          </p>
          {apiKeys.length === 0 && <p class="text-sm text-gray-600">No API keys yet.</p>}
          <ul class="divide-y divide-gray-100">
            {apiKeys.map((k) => <KeyRow key={k.id} apiKey={k} />)}
          </ul>
        </Section>
        <Section title="Create an API key">
          <form method="post" action="/admin/api-keys" novalidate>
            <FormAlert message={state.error} />
            <TextField
              label="Name"
              name="name"
              value={state.values?.name}
              error={state.fields?.name}
              hint="Who uses it, e.g. “CRM sync” or “Website bot”."
              required
            />
            <fieldset
              class="mb-3"
              aria-describedby={state.fields?.scopes ? "scopes-error" : undefined}
            >
              <legend class="block text-sm font-medium mb-1">Scopes</legend>
              {API_SCOPES.map((s) => (
                <Checkbox
                  key={s}
                  label={SCOPE_LABELS[s]}
                  name={scopeField(s)}
                  checked={ticked.includes(s)}
                />
              ))}
              {state.fields?.scopes && (
                <p id="scopes-error" class="text-sm text-red-700">{state.fields.scopes}</p>
              )}
            </fieldset>
            <Button>Create key</Button>
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
