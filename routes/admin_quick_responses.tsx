/** Admin pages for quick responses: list, create, edit with live preview, delete, import and export. */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import {
  Button,
  type FieldErrors,
  FormAlert,
  SelectField,
  TextArea,
  TextField,
} from "../components/Form.tsx";
import { Island } from "../components/Island.tsx";
import QuickResponseEditor from "../islands/QuickResponseEditor.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { AppError, badRequest } from "../lib/errors.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { type Agent, listAgents, publicAgent } from "../lib/store/agents.ts";
import {
  createQuickResponse,
  deleteQuickResponse,
  getQuickResponse,
  importQuickResponses,
  listAllQuickResponses,
  type QuickResponse,
  quickResponseImportSchema,
  quickResponseInputSchema,
  updateQuickResponse,
} from "../lib/store/quick_responses.ts";
import { listTeams, type Team } from "../lib/store/teams.ts";
import {
  failedForm,
  formFailure,
  formPost,
  type FormState,
  noticeFrom,
} from "../lib/http/forms.ts";
import { t } from "../lib/i18n/mod.ts";

function scopeLabel(qr: QuickResponse, teams: Team[], agents: Agent[]): string {
  if (qr.scope === "team") {
    return t("admin.qr.scopeTeam", {
      name: teams.find((team) => team.id === qr.teamId)?.name ?? "?",
    });
  }
  if (qr.scope === "personal") {
    return t("admin.qr.scopePersonal", {
      name: agents.find((a) => a.id === qr.ownerId)?.name ?? "?",
    });
  }
  return t("list.everyone");
}

function QuickResponseFields(
  { values, fields, teams, agents }: {
    values: Record<string, string>;
    fields: FieldErrors;
    teams: Team[];
    agents: Agent[];
  },
) {
  return (
    <>
      <div class="grid md:grid-cols-2 gap-x-4">
        <TextField
          label={t("admin.qr.title")}
          name="title"
          value={values.title}
          error={fields.title}
          required
        />
        <TextField
          label={t("admin.qr.shortcut")}
          name="shortcut"
          value={values.shortcut}
          error={fields.shortcut}
          hint={t("admin.qr.shortcutHint")}
          required
        />
      </div>
      <Island
        name="QuickResponseEditor"
        component={QuickResponseEditor}
        props={{ body: values.body ?? "", error: fields.body }}
      />
      <div class="grid md:grid-cols-3 gap-x-4">
        <SelectField
          label={t("admin.qr.who")}
          name="scope"
          value={values.scope ?? "everyone"}
          error={fields.scope}
          options={[
            { value: "everyone", label: t("list.everyone") },
            { value: "team", label: t("admin.qr.oneTeam") },
            { value: "personal", label: t("admin.qr.onePerson") },
          ]}
        />
        <SelectField
          label={t("admin.agents.team")}
          name="teamId"
          value={values.teamId}
          error={fields.teamId}
          hint={t("admin.qr.teamHint")}
          options={[
            { value: "", label: "—" },
            ...teams.map((team) => ({ value: team.id, label: team.name })),
          ]}
        />
        <SelectField
          label={t("admin.qr.owner")}
          name="ownerId"
          value={values.ownerId}
          error={fields.ownerId}
          hint={t("admin.qr.ownerHint")}
          options={[
            { value: "", label: "—" },
            ...agents.filter((a) => a.active || a.id === values.ownerId).map((a) => ({
              value: a.id,
              label: a.name,
            })),
          ]}
        />
      </div>
    </>
  );
}

/** The `/admin/quick-responses` pages, import included. */
export function adminQuickResponsePages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;

  async function listPage(
    c: Context<AppEnv>,
    state: FormState & { importText?: string; importError?: string; importNotice?: string } = {},
  ) {
    const [items, teams, agents] = await Promise.all([
      listAllQuickResponses(kv),
      listTeams(kv),
      listAgents(kv),
    ]);
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.nav.quickResponses")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/quick-responses"
        notice={state.importNotice ?? noticeFrom(c)}
      >
        <Section title={t("admin.qr.all")} id="all-quick-responses">
          {items.length === 0
            ? <p class="text-sm text-gray-600">{t("admin.qr.none")}</p>
            : (
              <table class="w-full text-sm">
                <thead>
                  <tr class="text-left border-b border-gray-200">
                    <th scope="col" class="py-2 pr-3">{t("admin.qr.title")}</th>
                    <th scope="col" class="py-2 pr-3">{t("admin.qr.shortcut")}</th>
                    <th scope="col" class="py-2 pr-3">{t("admin.qr.who")}</th>
                    <th scope="col" class="py-2 pr-3">{t("admin.qr.body")}</th>
                    <th scope="col" class="py-2 pr-3">
                      <span class="sr-only">{t("admin.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((qr) => (
                    <tr key={qr.id} class="border-b border-gray-100 align-top">
                      <td class="py-2 pr-3 font-medium">{qr.title}</td>
                      <td class="py-2 pr-3 font-mono">/{qr.shortcut}</td>
                      <td class="py-2 pr-3">{scopeLabel(qr, teams, agents)}</td>
                      <td class="py-2 pr-3 text-gray-700">
                        {qr.body.length > 80 ? qr.body.slice(0, 80) + "…" : qr.body}
                      </td>
                      <td class="py-2 pr-3">
                        <a
                          href={`/admin/quick-responses/${qr.id}`}
                          class="underline text-brand-700"
                        >
                          {t("contact.edit")}
                          <span class="sr-only">{` ${qr.title}`}</span>
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          <p class="mt-3 text-sm">
            <a href="/api/v1/admin/quick-responses/export" class="underline text-brand-700">
              {t("admin.qr.export")}
            </a>
          </p>
        </Section>
        <Section title={t("admin.qr.new")} id="new-quick-response">
          <form method="post" action="/admin/quick-responses" novalidate>
            <FormAlert message={state.error} />
            <QuickResponseFields
              values={state.values ?? {}}
              fields={state.fields ?? {}}
              teams={teams}
              agents={agents}
            />
            <Button>{t("admin.qr.create")}</Button>
          </form>
        </Section>
        <Section title={t("admin.qr.import")} id="import">
          <form
            method="post"
            action="/admin/quick-responses/import"
            enctype="multipart/form-data"
            novalidate
          >
            <FormAlert message={state.importError} />
            <div class="mb-3">
              <label for="import-file" class="block text-sm font-medium mb-1">
                {t("admin.qr.importFile")}
              </label>
              <input id="import-file" name="file" type="file" accept=".json,application/json" />
            </div>
            <TextArea
              label={t("admin.qr.paste")}
              name="json"
              idPrefix="import"
              rows={6}
              value={state.importText}
              hint={t("admin.qr.pasteHint", {
                format:
                  '{"quickResponses": [{"title", "shortcut", "body", "scope", "teamId", "ownerId"}]}',
              })}
            />
            <Button variant="secondary">{t("admin.qr.import")}</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  async function editPage(
    c: Context<AppEnv>,
    qr: QuickResponse,
    state: FormState = {},
  ) {
    const [teams, agents] = await Promise.all([listTeams(kv), listAgents(kv)]);
    const values = state.values ?? {
      title: qr.title,
      shortcut: qr.shortcut,
      body: qr.body,
      scope: qr.scope,
      teamId: qr.teamId ?? "",
      ownerId: qr.ownerId ?? "",
    };
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.qr.editTitle", { title: qr.title })}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/quick-responses"
        notice={noticeFrom(c)}
      >
        <p class="mb-4 text-sm">
          <a href="/admin/quick-responses" class="underline text-brand-700">
            {t("admin.qr.all")}
          </a>
        </p>
        <Section title={t("contact.edit")} id="edit">
          <form method="post" action={`/admin/quick-responses/${qr.id}`} novalidate>
            <FormAlert message={state.error} />
            <QuickResponseFields
              values={values}
              fields={state.fields ?? {}}
              teams={teams}
              agents={agents}
            />
            <Button>{t("admin.saveChanges")}</Button>
          </form>
        </Section>
        <Section title={t("admin.delete")} id="delete">
          <form method="post" action={`/admin/quick-responses/${qr.id}/delete`}>
            <Button variant="danger">{t("admin.qr.delete")}</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/quick-responses", (c) => listPage(c));

  app.post("/admin/quick-responses", (c) =>
    formPost(
      c,
      async (form) => {
        await createQuickResponse(
          engine,
          parseWith(quickResponseInputSchema, form),
          currentAgent(c),
        );
        return "/admin/quick-responses?notice=created";
      },
      (f, form) => listPage(c, failedForm(f, form)),
    ));

  app.post("/admin/quick-responses/import", async (c) => {
    const body: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
    const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
    const pasted = typeof body.json === "string" ? body.json : "";
    const text = pasted.trim() === "" && file ? await file.text() : pasted;
    try {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw badRequest("malformed_json", t("admin.qr.badJson"));
      }
      const { quickResponses } = parseWith(
        quickResponseImportSchema,
        Array.isArray(value) ? { quickResponses: value } : value,
      );
      const { created, updated } = await importQuickResponses(
        engine,
        quickResponses,
        currentAgent(c),
      );
      return await listPage(c, {
        importNotice: `Imported: ${created} created, ${updated} replaced.`,
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const f = formFailure(err);
      return await listPage(c, { importText: text, importError: err.message, status: f.status });
    }
  });

  const load = (c: Context<AppEnv>) => getQuickResponse(kv, c.req.param("id") ?? "");

  app.get("/admin/quick-responses/:id", async (c) => {
    const qr = await load(c);
    if (!qr) return c.text(t("error.not_found"), 404);
    return await editPage(c, qr);
  });

  app.post("/admin/quick-responses/:id", async (c) => {
    const qr = await load(c);
    if (!qr) return c.text(t("error.not_found"), 404);
    return await formPost(
      c,
      async (form) => {
        await updateQuickResponse(
          engine,
          qr.id,
          parseWith(quickResponseInputSchema, form),
          currentAgent(c),
        );
        return `/admin/quick-responses/${qr.id}?notice=saved`;
      },
      (f, form) => editPage(c, qr, failedForm(f, form)),
    );
  });

  app.post("/admin/quick-responses/:id/delete", async (c) => {
    const qr = await load(c);
    if (!qr) return c.text(t("error.not_found"), 404);
    await deleteQuickResponse(engine, qr.id, currentAgent(c));
    return c.redirect("/admin/quick-responses?notice=deleted", 303);
  });

  return app;
}
