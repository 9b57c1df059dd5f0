/** Admin page for teams: list with member counts, create, rename, delete (only when empty). */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, type FieldErrors, FormAlert, TextField } from "../components/admin/Form.tsx";
import { adminDeleteTeam } from "../lib/admin/teams.ts";
import type { AppDeps, AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/http/validate.ts";
import { listAgents, publicAgent } from "../lib/store/agents.ts";
import { createTeam, listTeams, renameTeam, teamInputSchema } from "../lib/store/teams.ts";
import { formFailure, noticeFrom, readForm } from "./admin_common.tsx";

/** The `/admin/teams` page and its form posts. */
export function adminTeamPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const kv = deps.kv;

  async function page(
    c: Context<AppEnv>,
    state: {
      values?: Record<string, string>;
      fields?: FieldErrors;
      error?: string;
      /** The team whose row shows `error`. */
      rowId?: string;
      status?: 200 | 400 | 403 | 404 | 409 | 429;
    } = {},
  ) {
    const [teams, agents] = await Promise.all([listTeams(kv), listAgents(kv)]);
    const members = (id: string) => agents.filter((a) => a.teamId === id && a.active);
    return renderPage(
      c,
      <AdminLayout
        title="Teams"
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/teams"
        notice={noticeFrom(c)}
      >
        <Section title="Teams">
          {teams.length === 0 && <p class="text-sm text-gray-600">No teams yet.</p>}
          <ul class="divide-y divide-gray-100">
            {teams.map((team) => (
              <li key={team.id} class="py-3" data-team-id={team.id}>
                <p class="font-medium">{team.name}</p>
                <p class="text-sm text-gray-600 mb-2">
                  {members(team.id).length === 0
                    ? "No members"
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
                      label={`New name for ${team.name}`}
                      name="name"
                      idPrefix={`team-${team.id}`}
                      value={state.rowId === team.id ? state.values?.name : team.name}
                      error={state.rowId === team.id ? state.fields?.name : undefined}
                    />
                    <div class="mb-3">
                      <Button variant="secondary">Rename</Button>
                    </div>
                  </form>
                  <form method="post" action={`/admin/teams/${team.id}/delete`} class="mb-3">
                    <Button variant="danger">
                      Delete<span class="sr-only">{` ${team.name}`}</span>
                    </Button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        </Section>
        <Section title="Add a team">
          <form method="post" action="/admin/teams" novalidate>
            <FormAlert message={state.rowId ? undefined : state.error} />
            <TextField
              label="Team name"
              name="name"
              value={state.rowId ? "" : state.values?.name}
              error={state.rowId ? undefined : state.fields?.name}
              required
            />
            <Button>Add team</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/teams", (c) => page(c));

  app.post("/admin/teams", async (c) => {
    const form = await readForm(c);
    try {
      await createTeam(kv, parseWith(teamInputSchema, form), currentAgent(c));
      return c.redirect("/admin/teams?notice=created", 303);
    } catch (err) {
      const f = formFailure(err);
      return await page(c, { values: form, fields: f.fields, error: f.message, status: f.status });
    }
  });

  app.post("/admin/teams/:id", async (c) => {
    const form = await readForm(c);
    const id = c.req.param("id");
    try {
      await renameTeam(kv, id, parseWith(teamInputSchema, form), currentAgent(c));
      return c.redirect("/admin/teams?notice=saved", 303);
    } catch (err) {
      const f = formFailure(err);
      return await page(c, {
        values: form,
        fields: f.fields,
        error: f.message,
        rowId: id,
        status: f.status,
      });
    }
  });

  app.post("/admin/teams/:id/delete", async (c) => {
    const id = c.req.param("id");
    try {
      await adminDeleteTeam(deps, currentAgent(c), id);
      return c.redirect("/admin/teams?notice=deleted", 303);
    } catch (err) {
      const f = formFailure(err);
      return await page(c, { error: f.message, rowId: id, status: f.status });
    }
  });

  return app;
}
