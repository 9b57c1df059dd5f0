/**
 * Admin pages for channels: web widget sites (with the copy-paste embed
 * snippet) and the WhatsApp connection (secrets write-only, "Test connection")
 * with its message templates ("Refresh templates").
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { SiteFields, siteValues } from "../components/admin/SiteFields.tsx";
import { WhatsAppSection } from "../components/admin/WhatsAppSection.tsx";
import { WhatsAppTemplatesSection } from "../components/admin/WhatsAppTemplatesSection.tsx";
import { listWhatsAppTemplates } from "../lib/channels/whatsapp_templates.ts";
import { Button, FormAlert } from "../components/Form.tsx";
import {
  adminCreateSite,
  adminDeleteSite,
  adminRefreshWhatsAppTemplates,
  adminSaveWhatsApp,
  adminTestWhatsApp,
  adminUpdateSite,
  embedSnippet,
  siteFormSchema,
  whatsAppFormSchema,
} from "../lib/admin/channels.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { DEFAULT_SITE_ID, getSite, listSites, type Site } from "../lib/store/sites.ts";
import { listTeams } from "../lib/store/teams.ts";
import { publicWhatsAppConfig } from "../lib/store/whatsapp_config.ts";
import {
  failedForm,
  formAction,
  formPost,
  type FormState,
  noticeFrom,
  type PageStatus,
  readForm,
} from "../lib/http/forms.ts";
import { Island } from "../components/Island.tsx";
import CopyField from "../islands/CopyField.tsx";
import { t } from "../lib/i18n/mod.ts";

/** The `/admin/channels` pages and their form posts. */
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
      refresh?: { ok: boolean; message: string };
      status?: PageStatus;
    } = {},
  ) {
    const [sites, teams, wa, templates] = await Promise.all([
      listSites(kv),
      listTeams(kv),
      publicWhatsAppConfig(deps),
      listWhatsAppTemplates(kv),
    ]);
    const teamName = (id: string | null) => teams.find((t) => t.id === id)?.name ?? null;
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.nav.channels")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/channels"
        notice={noticeFrom(c)}
      >
        <Section title={t("admin.sites.title")} id="web-widget-sites">
          <ul class="divide-y divide-gray-100">
            {sites.map((site) => (
              <li key={site.id} class="py-3" data-site-id={site.id}>
                <p class="font-medium">
                  {site.name}{" "}
                  <a
                    href={`/admin/channels/sites/${site.id}`}
                    class="text-sm underline text-brand-700"
                  >
                    {t("contact.edit")}
                    <span class="sr-only">{` ${site.name}`}</span>
                  </a>
                </p>
                <p class="text-sm text-gray-600">
                  {site.allowAnyOrigin
                    ? t("admin.sites.anyOrigin")
                    : site.allowedOrigins.length
                    ? site.allowedOrigins.join(", ")
                    : t("admin.sites.ownPagesOnly")}
                  {" · "}
                  {teamName(site.teamId) ?? t("admin.sites.everyonesQueue")} · {site.colour}
                </p>
                <div class="mt-2">
                  <Island
                    name="CopyField"
                    component={CopyField}
                    props={{
                      id: `snippet-${site.id}`,
                      label: t("admin.sites.snippet", { name: site.name }),
                      value: embedSnippet(origin(c), site),
                      rows: 8,
                    }}
                  />
                </div>
              </li>
            ))}
          </ul>
        </Section>
        <Section title={t("admin.sites.add")} id="add-a-site">
          <form method="post" action="/admin/channels/sites" novalidate>
            <FormAlert message={state.site?.error} />
            <SiteFields
              values={state.site?.values ?? {}}
              fields={state.site?.fields ?? {}}
              teams={teams}
              idPrefix="site"
            />
            <Button>{t("admin.sites.addButton")}</Button>
          </form>
        </Section>
        <WhatsAppSection
          wa={wa}
          teams={teams}
          origin={origin(c)}
          state={state.whatsapp}
          test={state.test}
        />
        <WhatsAppTemplatesSection view={templates} refresh={state.refresh} />
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  async function sitePage(
    c: Context<AppEnv>,
    site: Site,
    state: FormState = {},
  ) {
    const teams = await listTeams(kv);
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.sites.editTitle", { name: site.name })}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/channels"
        notice={noticeFrom(c)}
      >
        <p class="mb-4 text-sm">
          <a href="/admin/channels" class="underline text-brand-700">{t("admin.sites.all")}</a>
          {` · ${t("admin.sites.key")} `}
          <code class="font-mono">{site.siteKey}</code>
        </p>
        <Section title={t("admin.sites.edit")} id="edit-site">
          <form method="post" action={`/admin/channels/sites/${site.id}`} novalidate>
            <FormAlert message={state.error} />
            <SiteFields
              values={state.values ?? siteValues(site)}
              fields={state.fields ?? {}}
              teams={teams}
              idPrefix="site"
            />
            <Button>{t("admin.sites.save")}</Button>
          </form>
        </Section>
        {site.id !== DEFAULT_SITE_ID && (
          <Section title={t("admin.sites.delete")} id="delete-site">
            <p class="text-sm mb-3">{t("admin.sites.deleteHint")}</p>
            <a
              href={`/admin/channels/sites/${site.id}/delete`}
              class="inline-block rounded px-4 py-2 font-medium bg-red-700 text-white hover:bg-red-800 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-red-600"
            >
              {t("admin.sites.deleteEllipsis")}
            </a>
          </Section>
        )}
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  /** "Delete site" asks first: what stops working, then a button that really deletes. */
  function confirmDeletePage(c: Context<AppEnv>, site: Site, state: FormState = {}) {
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.sites.deleteTitle", { name: site.name })}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/channels"
      >
        <Section title={t("admin.sites.deleteAsk", { name: site.name })} id="delete-the-site">
          <form method="post" action={`/admin/channels/sites/${site.id}/delete`}>
            <FormAlert message={state.error} />
            <input type="hidden" name="confirm" value="yes" />
            <p class="text-sm mb-2">
              {t("admin.sites.deleteWhat", {
                where: site.allowAnyOrigin
                  ? t("admin.sites.anyWebsite")
                  : site.allowedOrigins.length
                  ? site.allowedOrigins.join(", ")
                  : t("admin.sites.ownPages"),
              })}
            </p>
            <p class="text-sm mb-4">
              {t("admin.sites.deleteStays")}
            </p>
            <div class="flex gap-3 items-center">
              <Button variant="danger">{t("admin.sites.delete")}</Button>
              <a href={`/admin/channels/sites/${site.id}`} class="underline text-brand-700">
                {t("common.cancel")}
              </a>
            </div>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/channels", (c) => page(c));

  app.get("/admin/channels/sites/:id/delete", async (c) => {
    const site = await getSite(kv, c.req.param("id"));
    if (!site || site.id === DEFAULT_SITE_ID) return c.text(t("error.not_found"), 404);
    return await confirmDeletePage(c, site);
  });

  app.post("/admin/channels/sites", (c) =>
    formPost(
      c,
      async (form) => {
        await adminCreateSite(deps, currentAgent(c), parseWith(siteFormSchema, form));
        return "/admin/channels?notice=created";
      },
      (f, form) => {
        const { status, ...site } = failedForm(f, form);
        return page(c, { site, status });
      },
    ));

  app.get("/admin/channels/sites/:id", async (c) => {
    const site = await getSite(kv, c.req.param("id"));
    if (!site) return c.text(t("error.not_found"), 404);
    return await sitePage(c, site);
  });

  app.post("/admin/channels/sites/:id", async (c) => {
    const site = await getSite(kv, c.req.param("id"));
    if (!site) return c.text(t("error.not_found"), 404);
    return await formPost(
      c,
      async (form) => {
        await adminUpdateSite(deps, currentAgent(c), site.id, parseWith(siteFormSchema, form));
        return `/admin/channels/sites/${site.id}?notice=saved`;
      },
      (f, form) => sitePage(c, site, failedForm(f, form)),
    );
  });

  app.post("/admin/channels/sites/:id/delete", async (c) => {
    const site = await getSite(kv, c.req.param("id"));
    if (!site) return c.text(t("error.not_found"), 404);
    const form = await readForm(c);
    // Only the confirmation page's form deletes; anything else is asked first.
    if (form.confirm !== "yes") return await confirmDeletePage(c, site);
    return await formAction(
      c,
      async () => {
        await adminDeleteSite(deps, currentAgent(c), site.id);
        return "/admin/channels?notice=deleted";
      },
      (f) => confirmDeletePage(c, site, { error: f.message, status: f.status }),
    );
  });

  app.post("/admin/channels/whatsapp", (c) =>
    formPost(
      c,
      async (form) => {
        await adminSaveWhatsApp(deps, currentAgent(c), parseWith(whatsAppFormSchema, form));
        return "/admin/channels?notice=saved";
      },
      (f, form) => {
        // Secrets never go back into the page.
        const values = Object.fromEntries(
          Object.entries(form).filter(([k]) =>
            ["phoneNumberId", "businessAccountId", "graphUrl", "graphVersion", "teamId"].includes(k)
          ),
        );
        const { status, ...whatsapp } = failedForm(f, values);
        return page(c, { whatsapp, status });
      },
    ));

  app.post("/admin/channels/whatsapp/test", async (c) => {
    const result = await adminTestWhatsApp(deps, currentAgent(c));
    return await page(c, { test: result });
  });

  app.post("/admin/channels/whatsapp/templates/refresh", async (c) => {
    const { ok, message } = await adminRefreshWhatsAppTemplates(deps, currentAgent(c));
    return await page(c, { refresh: { ok, message } });
  });

  return app;
}
