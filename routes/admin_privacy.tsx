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
        notice={c.req.query("notice") === "erased" ? "Contact erased." : null}
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
      "Privacy",
      <>
        <Section title="Find a contact">
          <p class="text-sm text-gray-600 mb-3">
            For a person's request to see or erase their data. Closed conversations older than the
            retention period (Routing → Retention) are anonymised automatically.
          </p>
          <form method="get" action="/admin/privacy" class="flex flex-wrap items-end gap-3">
            <TextField
              label="Name, email, phone, WhatsApp number or contact id"
              name="q"
              value={q}
            />
            <Button variant="secondary">Search</Button>
          </form>
        </Section>
        {q && (
          <Section title="Contacts found">
            {found.length === 0
              ? <p>No contact matches “{q}”.</p>
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
      "Erase contact",
      <Section title={`Erase ${contactLabel(contact)}?`}>
        <p class="mb-2">
          This removes everything Parley holds about this person:{" "}
          {conversations === 1 ? "1 conversation" : `${conversations} conversations`}{" "}
          lose their messages, notes, files and page details, and the contact, its email, phone and
          channel ids are deleted. Reports keep their counts. <strong>It cannot be undone.</strong>
        </p>
        <p class="mb-3">
          <a href={exportHref(contact.id)} download class="underline text-brand-700">
            Download their data (JSON)
          </a>{" "}
          first if you need to send it to them.
        </p>
        <form method="post" action={`/admin/privacy/${encodeURIComponent(contact.id)}/erase`}>
          <FormAlert message={state.error} />
          <TextField
            label={`Type ${ERASE_WORD} to confirm`}
            name="confirm"
            value={state.values?.confirm ?? ""}
            error={state.fields?.confirm}
          />
          <div class="flex gap-3 items-center">
            <Button variant="danger">Erase this contact</Button>
            <a href="/admin/privacy" class="underline text-brand-700">Cancel</a>
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
    contact.whatsappId && `WhatsApp ${contact.whatsappId}`,
  ]
    .filter(Boolean).join(" · ");
  return (
    <li class="py-2 flex flex-wrap items-center gap-3">
      <span class="font-medium">{contactLabel(contact)}</span>
      <span class="text-sm text-gray-600">{details || `id ${contact.id}`}</span>
      <span class="ml-auto flex gap-3 text-sm">
        <a href={exportHref(contact.id)} download class="underline text-brand-700">
          Export data (JSON)
        </a>
        <a
          href={`/admin/privacy/${encodeURIComponent(contact.id)}/erase`}
          class="underline text-red-700"
        >
          Erase…
        </a>
      </span>
    </li>
  );
}
