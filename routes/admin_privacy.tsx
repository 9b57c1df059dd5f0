/**
 * Admin page for privacy requests (issue 16, item 6): find a contact, download
 * their data as JSON, erase them after a confirmation page where the admin
 * types ERASE (works without JavaScript). Retention itself is a setting on the
 * Routing page. Rules in lib/admin/privacy.ts.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, FormAlert, TextField } from "../components/Form.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { failedForm, formPost, type FormState } from "../lib/http/forms.ts";
import { notFound } from "../lib/errors.ts";
import {
  adminEraseContact,
  contactLabel,
  ERASE_WORD,
  eraseRequestSchema,
  findContacts,
} from "../lib/admin/privacy.ts";
import { getContact } from "../lib/store/engine/mod.ts";
import { keys } from "../lib/store/keys.ts";
import type { Contact } from "../lib/domain/engine_types.ts";
import { t, tParts } from "../lib/i18n/mod.ts";

/** A contact as the page names it ("Visitor 1a2b" in the page's words when nothing else). */
const labelOf = (c: Contact) => contactLabel(c, (id) => t("contact.visitor", { id }));

const exportHref = (id: string) => `/api/v1/admin/contacts/${encodeURIComponent(id)}/export`;

export function adminPrivacyPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const layout = (
    c: Context<AppEnv>,
    title: string,
    body: preact.ComponentChildren,
    status = 200,
  ) =>
    renderPage(
      c,
      <AdminLayout
        title={title}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/privacy"
        notice={c.req.query("notice") === "erased" ? t("admin.privacy.erased") : null}
      >
        {body}
      </AdminLayout>,
      status as 200,
    );

  app.get("/admin/privacy", async (c) => {
    const q = (c.req.query("q") ?? "").trim().slice(0, 200);
    const found = q ? await findContacts(deps.kv, q) : [];
    return layout(
      c,
      t("admin.nav.privacy"),
      <>
        <Section title={t("admin.privacy.find")} id="find-a-contact">
          <p class="text-sm text-gray-600 mb-3">{t("admin.privacy.intro")}</p>
          <form method="get" action="/admin/privacy" class="flex flex-wrap items-end gap-3">
            <TextField
              label={t("admin.privacy.query")}
              name="q"
              value={q}
            />
            <Button variant="secondary">{t("admin.privacy.search")}</Button>
          </form>
        </Section>
        {q && (
          <Section title={t("admin.privacy.found")} id="contacts-found">
            {found.length === 0
              ? <p>{t("admin.privacy.noMatch", { q })}</p>
              : (
                <ul class="divide-y divide-gray-200">
                  {found.map((ct) => <ContactRow key={ct.id} contact={ct} />)}
                </ul>
              )}
          </Section>
        )}
      </>,
    );
  });

  async function confirmPage(c: Context<AppEnv>, state: FormState = {}) {
    const contact = await getContact(deps.kv, c.req.param("id") ?? "");
    if (!contact || contact.mergedInto) throw notFound("Contact");
    let conversations = 0;
    for await (const _ of deps.kv.list({ prefix: keys.contactConversationsPrefix(contact.id) })) {
      conversations++;
    }
    return layout(
      c,
      t("admin.privacy.eraseTitle"),
      <Section
        title={t("admin.privacy.eraseAsk", { name: labelOf(contact) })}
        id="erase-contact"
      >
        <p class="mb-2">
          {t("admin.privacy.eraseWhat", { count: conversations })}{" "}
          <strong>{t("admin.privacy.cannotUndo")}</strong>
        </p>
        <p class="mb-3">
          {tParts("admin.privacy.downloadFirst", {
            link: (
              <a href={exportHref(contact.id)} download class="underline text-brand-700">
                {t("admin.privacy.download")}
              </a>
            ),
          })}
        </p>
        <form method="post" action={`/admin/privacy/${encodeURIComponent(contact.id)}/erase`}>
          <FormAlert message={state.error} />
          <TextField
            label={t("admin.privacy.typeToConfirm", { word: ERASE_WORD })}
            name="confirm"
            value={state.values?.confirm ?? ""}
            // The API's refusal is English; the page says it in its own words.
            error={state.fields?.confirm && t("admin.privacy.mustType", { word: ERASE_WORD })}
          />
          <div class="flex gap-3 items-center">
            <Button variant="danger">{t("admin.privacy.eraseButton")}</Button>
            <a href="/admin/privacy" class="underline text-brand-700">{t("common.cancel")}</a>
          </div>
        </form>
      </Section>,
      state.status ?? 200,
    );
  }

  app.get("/admin/privacy/:id/erase", (c) => confirmPage(c));

  app.post("/admin/privacy/:id/erase", (c) =>
    formPost(
      c,
      async (form) => {
        parseWith(eraseRequestSchema, { confirm: form.confirm ?? "" });
        await adminEraseContact(deps, currentAgent(c), c.req.param("id"));
        return "/admin/privacy?notice=erased";
      },
      (f, form) => confirmPage(c, failedForm(f, form)),
    ));

  return app;
}

function ContactRow({ contact }: { contact: Contact }) {
  const details = [
    contact.email,
    contact.phone,
    contact.whatsappId && t("admin.privacy.whatsapp", { number: contact.whatsappId }),
  ]
    .filter(Boolean).join(" · ");
  return (
    <li class="py-2 flex flex-wrap items-center gap-3">
      <span class="font-medium">{labelOf(contact)}</span>
      <span class="text-sm text-gray-600">
        {details || t("admin.privacy.id", { id: contact.id })}
      </span>
      <span class="ml-auto flex gap-3 text-sm">
        <a href={exportHref(contact.id)} download class="underline text-brand-700">
          {t("admin.privacy.export")}
        </a>
        <a
          href={`/admin/privacy/${encodeURIComponent(contact.id)}/erase`}
          class="underline text-red-700"
        >
          {t("admin.privacy.erase")}
        </a>
      </span>
    </li>
  );
}
