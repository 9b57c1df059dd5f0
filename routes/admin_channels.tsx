/**
 * Admin pages for channels: web widget sites (with the copy-paste embed
 * snippet) and the WhatsApp connection (secrets write-only, "Test connection").
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import {
  Button,
  Checkbox,
  type FieldErrors,
  FormAlert,
  SelectField,
  TextArea,
  TextField,
} from "../components/admin/Form.tsx";
import {
  adminCreateSite,
  adminDeleteSite,
  adminSaveWhatsApp,
  adminTestWhatsApp,
  adminUpdateSite,
  embedSnippet,
  siteFormSchema,
  whatsAppFormSchema,
} from "../lib/admin/channels.ts";
import type { AppDeps, AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/http/validate.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { DEFAULT_SITE_ID, getSite, listSites, type Site } from "../lib/store/sites.ts";
import { listTeams, type Team } from "../lib/store/teams.ts";
import { publicWhatsAppConfig } from "../lib/store/whatsapp_config.ts";
import { formFailure, noticeFrom, readForm } from "./admin_common.tsx";

type Status = 200 | 400 | 403 | 404 | 409 | 429;
type FormState = { values?: Record<string, string>; fields?: FieldErrors; error?: string };

function teamOptions(teams: Team[]) {
  return [
    { value: "", label: "Everyone's queue" },
    ...teams.map((t) => ({ value: t.id, label: t.name })),
  ];
}

function siteValues(site: Site): Record<string, string> {
  return {
    name: site.name,
    allowedOrigins: site.allowedOrigins.join("\n"),
    allowAnyOrigin: site.allowAnyOrigin ? "on" : "",
    teamId: site.teamId ?? "",
    colour: site.colour,
    greeting: site.greeting,
  };
}

function SiteFields(
  { values, fields, teams, idPrefix }: {
    values: Record<string, string>;
    fields: FieldErrors;
    teams: Team[];
    idPrefix: string;
  },
) {
  return (
    <>
      <div class="grid md:grid-cols-2 gap-x-4">
        <TextField
          label="Site name"
          name="name"
          idPrefix={idPrefix}
          value={values.name}
          error={fields.name}
        />
        <SelectField
          label="Route to team"
          name="teamId"
          idPrefix={idPrefix}
          value={values.teamId}
          error={fields.teamId}
          options={teamOptions(teams)}
        />
        <TextField
          label="Colour"
          name="colour"
          type="color"
          idPrefix={idPrefix}
          value={values.colour || "#1f6feb"}
          error={fields.colour}
        />
        <TextField
          label="Greeting"
          name="greeting"
          idPrefix={idPrefix}
          value={values.greeting}
          error={fields.greeting}
        />
      </div>
      <TextArea
        label="Allowed origins"
        name="allowedOrigins"
        idPrefix={idPrefix}
        rows={3}
        value={values.allowedOrigins}
        error={fields.allowedOrigins ??
          Object.entries(fields).find(([k]) => k.startsWith("allowedOrigins."))?.[1]}
        hint="One per line, like https://shop.example. Parley's own origin is always allowed."
      />
      <Checkbox
        label="Allow any origin"
        name="allowAnyOrigin"
        idPrefix={idPrefix}
        checked={values.allowAnyOrigin === "on"}
        hint="Only for testing: any website could then embed this chat."
      />
    </>
  );
}

export function adminChannelPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const kv = deps.kv;
  const origin = (c: Context) => new URL(c.req.url).origin;

  async function page(
    c: Context<AppEnv>,
    state: {
      site?: FormState;
      whatsapp?: FormState;
      test?: { ok: boolean; message: string };
      status?: Status;
    } = {},
  ) {
    const [sites, teams, wa] = await Promise.all([
      listSites(kv),
      listTeams(kv),
      publicWhatsAppConfig(deps),
    ]);
    const teamName = (id: string | null) => teams.find((t) => t.id === id)?.name ?? null;
    const w = state.whatsapp?.values ?? {
      phoneNumberId: wa.phoneNumberId ?? "",
      graphUrl: wa.graphUrl,
      graphVersion: wa.graphVersion,
      teamId: wa.teamId ?? "",
    };
    const wf = state.whatsapp?.fields ?? {};
    const secretHint = (set: boolean, field: string) =>
      `${set ? "Set" : "Not set"}${
        wa.fromEnvironment.includes(field) ? " (from the environment, which wins)" : ""
      }. Leave empty to keep it; it is never shown again.`;
    return renderPage(
      c,
      <AdminLayout
        title="Channels"
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/channels"
        notice={noticeFrom(c)}
      >
        <Section title="Web widget sites">
          <ul class="divide-y divide-gray-100">
            {sites.map((site) => (
              <li key={site.id} class="py-3" data-site-id={site.id}>
                <p class="font-medium">
                  {site.name}{" "}
                  <a
                    href={`/admin/channels/sites/${site.id}`}
                    class="text-sm underline text-brand-700"
                  >
                    Edit<span class="sr-only">{` ${site.name}`}</span>
                  </a>
                </p>
                <p class="text-sm text-gray-600">
                  {site.allowAnyOrigin
                    ? "Any origin"
                    : site.allowedOrigins.length
                    ? site.allowedOrigins.join(", ")
                    : "Only Parley's own pages"}
                  {" · "}
                  {teamName(site.teamId) ?? "Everyone's queue"} · {site.colour}
                </p>
                <label for={`snippet-${site.id}`} class="block text-sm font-medium mt-2 mb-1">
                  Embed snippet for {site.name}
                </label>
                <textarea
                  id={`snippet-${site.id}`}
                  readOnly
                  rows={2}
                  class="w-full font-mono text-xs border border-gray-300 rounded px-2 py-1 bg-gray-50"
                >
                  {embedSnippet(origin(c), site)}
                </textarea>
              </li>
            ))}
          </ul>
        </Section>
        <Section title="Add a site">
          <form method="post" action="/admin/channels/sites" novalidate>
            <FormAlert message={state.site?.error} />
            <SiteFields
              values={state.site?.values ?? {}}
              fields={state.site?.fields ?? {}}
              teams={teams}
              idPrefix="site"
            />
            <Button>Add site</Button>
          </form>
        </Section>
        <Section title="WhatsApp">
          <p class="text-sm mb-3" data-testid="whatsapp-state">
            {wa.configured
              ? "Connected settings are complete: webhooks are accepted and replies can be sent."
              : "Not fully configured yet: set the phone number id, access token, app secret and verify token."}
          </p>
          <p class="text-sm text-gray-600 mb-3">
            Webhook URL for Meta: <code class="font-mono">{origin(c)}/webhooks/whatsapp</code>
          </p>
          <form method="post" action="/admin/channels/whatsapp" novalidate autocomplete="off">
            <FormAlert message={state.whatsapp?.error} />
            <div class="grid md:grid-cols-2 gap-x-4">
              <TextField
                label="Phone number id"
                name="phoneNumberId"
                idPrefix="wa"
                value={w.phoneNumberId}
                error={wf.phoneNumberId}
              />
              <SelectField
                label="Route to team"
                name="teamId"
                idPrefix="wa"
                value={w.teamId}
                error={wf.teamId}
                options={teamOptions(teams)}
              />
              <div>
                <TextField
                  label="Access token"
                  name="accessToken"
                  type="password"
                  idPrefix="wa"
                  autocomplete="new-password"
                  error={wf.accessToken}
                  hint={secretHint(wa.accessTokenSet, "accessToken")}
                />
                <Checkbox
                  label="Remove the stored access token"
                  name="clear_accessToken"
                  idPrefix="wa"
                />
              </div>
              <div>
                <TextField
                  label="App secret"
                  name="appSecret"
                  type="password"
                  idPrefix="wa"
                  autocomplete="new-password"
                  error={wf.appSecret}
                  hint={secretHint(wa.appSecretSet, "appSecret")}
                />
                <Checkbox
                  label="Remove the stored app secret"
                  name="clear_appSecret"
                  idPrefix="wa"
                />
              </div>
              <div>
                <TextField
                  label="Verify token"
                  name="verifyToken"
                  type="password"
                  idPrefix="wa"
                  autocomplete="new-password"
                  error={wf.verifyToken}
                  hint={secretHint(wa.verifyTokenSet, "verifyToken")}
                />
                <Checkbox
                  label="Remove the stored verify token"
                  name="clear_verifyToken"
                  idPrefix="wa"
                />
              </div>
              <div>
                <TextField
                  label="Graph API URL"
                  name="graphUrl"
                  idPrefix="wa"
                  value={w.graphUrl}
                  error={wf.graphUrl}
                />
                <TextField
                  label="Graph API version"
                  name="graphVersion"
                  idPrefix="wa"
                  value={w.graphVersion}
                  error={wf.graphVersion}
                />
              </div>
            </div>
            <Button>Save WhatsApp settings</Button>
          </form>
          <form method="post" action="/admin/channels/whatsapp/test" class="mt-4">
            {state.test && (
              <p
                role={state.test.ok ? "status" : "alert"}
                data-testid="whatsapp-test-result"
                class={state.test.ok
                  ? "mb-3 text-sm text-green-900 bg-green-50 border border-green-200 rounded p-2"
                  : "mb-3 text-sm text-red-800 bg-red-50 border border-red-200 rounded p-2"}
              >
                {state.test.message}
              </p>
            )}
            <Button variant="secondary">Test connection</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  async function sitePage(
    c: Context<AppEnv>,
    site: Site,
    state: FormState & { status?: Status } = {},
  ) {
    const teams = await listTeams(kv);
    return renderPage(
      c,
      <AdminLayout
        title={`Site: ${site.name}`}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/channels"
        notice={noticeFrom(c)}
      >
        <p class="mb-4 text-sm">
          <a href="/admin/channels" class="underline text-brand-700">All channels</a>
          {" · Site key "}
          <code class="font-mono">{site.siteKey}</code>
        </p>
        <Section title="Edit site">
          <form method="post" action={`/admin/channels/sites/${site.id}`} novalidate>
            <FormAlert message={state.error} />
            <SiteFields
              values={state.values ?? siteValues(site)}
              fields={state.fields ?? {}}
              teams={teams}
              idPrefix="site"
            />
            <Button>Save site</Button>
          </form>
        </Section>
        {site.id !== DEFAULT_SITE_ID && (
          <Section title="Delete site">
            <form method="post" action={`/admin/channels/sites/${site.id}/delete`}>
              <p class="text-sm mb-3">Visitors on this site can no longer chat.</p>
              <Button variant="danger">Delete site</Button>
            </form>
          </Section>
        )}
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/channels", (c) => page(c));

  app.post("/admin/channels/sites", async (c) => {
    const form = await readForm(c);
    try {
      await adminCreateSite(deps, currentAgent(c), parseWith(siteFormSchema, form));
      return c.redirect("/admin/channels?notice=created", 303);
    } catch (err) {
      const f = formFailure(err);
      return await page(c, {
        site: { values: form, fields: f.fields, error: f.message },
        status: f.status,
      });
    }
  });

  app.get("/admin/channels/sites/:id", async (c) => {
    const site = await getSite(kv, c.req.param("id"));
    if (!site) return c.text("Site not found", 404);
    return await sitePage(c, site);
  });

  app.post("/admin/channels/sites/:id", async (c) => {
    const site = await getSite(kv, c.req.param("id"));
    if (!site) return c.text("Site not found", 404);
    const form = await readForm(c);
    try {
      await adminUpdateSite(deps, currentAgent(c), site.id, parseWith(siteFormSchema, form));
      return c.redirect(`/admin/channels/sites/${site.id}?notice=saved`, 303);
    } catch (err) {
      const f = formFailure(err);
      return await sitePage(c, site, {
        values: form,
        fields: f.fields,
        error: f.message,
        status: f.status,
      });
    }
  });

  app.post("/admin/channels/sites/:id/delete", async (c) => {
    const site = await getSite(kv, c.req.param("id"));
    if (!site) return c.text("Site not found", 404);
    try {
      await adminDeleteSite(deps, currentAgent(c), site.id);
      return c.redirect("/admin/channels?notice=deleted", 303);
    } catch (err) {
      const f = formFailure(err);
      return await sitePage(c, site, { error: f.message, status: f.status });
    }
  });

  app.post("/admin/channels/whatsapp", async (c) => {
    const form = await readForm(c);
    try {
      await adminSaveWhatsApp(deps, currentAgent(c), parseWith(whatsAppFormSchema, form));
      return c.redirect("/admin/channels?notice=saved", 303);
    } catch (err) {
      const f = formFailure(err);
      const values = Object.fromEntries(
        Object.entries(form).filter(([k]) =>
          ["phoneNumberId", "graphUrl", "graphVersion", "teamId"].includes(k)
        ),
      );
      return await page(c, {
        whatsapp: { values, fields: f.fields, error: f.message },
        status: f.status,
      });
    }
  });

  app.post("/admin/channels/whatsapp/test", async (c) => {
    const result = await adminTestWhatsApp(deps, currentAgent(c));
    return await page(c, { test: result });
  });

  return app;
}
