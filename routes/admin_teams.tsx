/** Admin page for teams: list with member counts, create, rename, delete (only when empty). */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, FormAlert, TextField } from "../components/Form.tsx";
import { adminDeleteTeam } from "../lib/admin/teams.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { listAgents, publicAgent } from "../lib/store/agents.ts";
import { createTeam, listTeams, renameTeam, teamInputSchema } from "../lib/store/teams.ts";
import { failedForm, formAction, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";
import { t } from "../lib/i18n/mod.ts";

/** The `/admin/teams` page and its form posts. */
export function adminTeamPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;

  async function page(
    c: Context<AppEnv>,
    /** `rowId`: the team whose row shows `error`. */
    state: FormState & { rowId?: string } = {},
  ) {
    const [teams, agents] = await Promise.all([listTeams(kv), listAgents(kv)]);
    const members = (id: string) => agents.filter((a) => a.teamId === id && a.active);
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.nav.teams")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/teams"
        notice={noticeFrom(c)}
      >
        <Section title={t("admin.nav.teams")} id="teams">
          {teams.length === 0 && <p class="text-sm text-gray-600">{t("admin.teams.none")}</p>}
          <ul class="divide-y divide-gray-100">
            {teams.map((team) => (
              <li key={team.id} class="py-3" data-team-id={team.id}>
                <p class="font-medium">{team.name}</p>
                <p class="text-sm text-gray-600 mb-2">
                  {members(team.id).length === 0
                    ? t("admin.teams.noMembers")
                    : members(team.id).map((a) => a.name).join(", ")}
                </p>
                {state.rowId === team.id && <FormAlert message={state.error} />}
                <div class="flex flex-wrap items-end gap-3">
                  <form
                    method="post"
                    action={`/admin/teams/${team.id}`}
                    class="flex items-end gap-2"
                  >
                    <TextField
                      label={t("admin.teams.newName", { name: team.name })}
                      name="name"
                      idPrefix={`team-${team.id}`}
                      value={state.rowId === team.id ? state.values?.name : team.name}
                      error={state.rowId === team.id ? state.fields?.name : undefined}
                    />
                    <div class="mb-3">
                      <Button variant="secondary">{t("admin.teams.rename")}</Button>
                    </div>
                  </form>
                  <form method="post" action={`/admin/teams/${team.id}/delete`} class="mb-3">
                    <Button variant="danger">
                      {t("admin.delete")}
                      <span class="sr-only">{` ${team.name}`}</span>
                    </Button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        </Section>
        <Section title={t("admin.teams.add")} id="add-a-team">
          <form method="post" action="/admin/teams" novalidate>
            <FormAlert message={state.rowId ? undefined : state.error} />
            <TextField
              label={t("admin.teams.name")}
              name="name"
              value={state.rowId ? "" : state.values?.name}
              error={state.rowId ? undefined : state.fields?.name}
              required
            />
            <Button>{t("admin.teams.addButton")}</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/teams", (c) => page(c));

  app.post("/admin/teams", (c) =>
    formPost(
      c,
      async (form) => {
        await createTeam(engine, parseWith(teamInputSchema, form), currentAgent(c));
        return "/admin/teams?notice=created";
      },
      (f, form) => page(c, failedForm(f, form)),
    ));

  app.post("/admin/teams/:id", (c) => {
    const id = c.req.param("id");
    return formPost(
      c,
      async (form) => {
        await renameTeam(engine, id, parseWith(teamInputSchema, form), currentAgent(c));
        return "/admin/teams?notice=saved";
      },
      (f, form) => page(c, { ...failedForm(f, form), rowId: id }),
    );
  });

  app.post("/admin/teams/:id/delete", (c) => {
    const id = c.req.param("id");
    return formAction(
      c,
      async () => {
        await adminDeleteTeam(deps, currentAgent(c), id);
        return "/admin/teams?notice=deleted";
      },
      (f) => page(c, { error: f.message, rowId: id, status: f.status }),
    );
  });

  return app;
}
