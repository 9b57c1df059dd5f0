/**
 * Admin pages for business hours (`/admin/hours`): the workspace's default and
 * each team's own hours (or "follow the default"). Plain forms in field order,
 * so a keyboard fills them top to bottom; errors name the day or field to fix.
 * Rules: lib/domain/business_hours.ts; form fields: lib/admin/business_hours.ts.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, Checkbox, FormAlert, TextArea, TextField } from "../components/Form.tsx";
import { dayName, hoursFormValues, hoursFromForm } from "../lib/admin/business_hours.ts";
import { t } from "../lib/i18n/mod.ts";
import { WEEKDAYS } from "../lib/domain/business_hours.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { notFound } from "../lib/errors.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { publicAgent } from "../lib/store/agents.ts";
import {
  getDefaultHours,
  getTeamHours,
  setDefaultHours,
  setTeamHours,
} from "../lib/store/business_hours.ts";
import { getTeam, listTeams } from "../lib/store/teams.ts";
import { checkbox } from "../lib/admin/fields.ts";
import { failedForm, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";

/** The hours fields: switch, time zone, one field per weekday, holidays. */
function HoursFields({ v, f }: { v: Record<string, string>; f: Record<string, string> }) {
  return (
    <>
      <Checkbox
        label={t("admin.hours.use")}
        name="enabled"
        checked={v.enabled === "on"}
        error={f.enabled}
        hint={t("admin.hours.useHint")}
      />
      <TextField
        label={t("admin.hours.timeZone")}
        name="timeZone"
        value={v.timeZone}
        error={f.timeZone}
        hint={t("admin.hours.timeZoneHint")}
      />
      <fieldset class="border-t border-gray-200 pt-3 mt-2">
        <legend class="font-semibold mb-2">{t("admin.hours.openingTimes")}</legend>
        <p class="text-xs text-gray-600 mb-2">{t("admin.hours.openingTimesHint")}</p>
        <div class="grid md:grid-cols-2 gap-x-4">
          {WEEKDAYS.map((d) => (
            <TextField key={d} label={dayName(d)} name={d} value={v[d]} error={f[d]} />
          ))}
        </div>
      </fieldset>
      <TextArea
        label={t("admin.hours.holidays")}
        name="holidays"
        value={v.holidays}
        error={f.holidays}
        rows={4}
        hint={t("admin.hours.holidaysHint")}
      />
      <TextArea
        label={t("admin.hours.away")}
        name="awayMessage"
        value={v.awayMessage}
        error={f.awayMessage}
        rows={3}
        hint={t("admin.hours.awayHint")}
      />
    </>
  );
}

/** The `/admin/hours` pages and their form posts. */
export function adminHoursPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;

  async function defaultPage(c: Context<AppEnv>, state: FormState = {}) {
    const [hours, teams] = await Promise.all([getDefaultHours(kv), listTeams(kv)]);
    const own = await Promise.all(teams.map((team) => getTeamHours(kv, team.id)));
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.nav.hours")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/hours"
        notice={noticeFrom(c)}
      >
        <Section title={t("admin.hours.default")} id="workspace-default">
          <p class="text-sm text-gray-600 mb-4">{t("admin.hours.defaultHint")}</p>
          <form method="post" action="/admin/hours" novalidate>
            <FormAlert message={state.error} />
            <HoursFields v={state.values ?? hoursFormValues(hours)} f={state.fields ?? {}} />
            <Button>{t("admin.hours.save")}</Button>
          </form>
        </Section>
        <Section title={t("admin.hours.teams")} id="teams">
          {teams.length === 0 && <p class="text-sm text-gray-600">{t("admin.teams.none")}</p>}
          <ul class="divide-y divide-gray-100">
            {teams.map((team, i) => (
              <li key={team.id} class="py-2 flex flex-wrap gap-2 items-center">
                <a href={`/admin/hours/${team.id}`} class="underline text-brand-700">
                  {team.name}
                </a>
                <span class="text-sm text-gray-600">
                  {t(own[i] ? "admin.hours.own" : "admin.hours.follows")}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  async function teamPage(c: Context<AppEnv>, teamId: string, state: FormState = {}) {
    const team = await getTeam(kv, teamId);
    if (!team) throw notFound("Team");
    const own = await getTeamHours(kv, teamId);
    const values = state.values ??
      { ...hoursFormValues(own ?? await getDefaultHours(kv)), followDefault: own ? "" : "on" };
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.hours.teamTitle", { name: team.name })}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/hours"
        notice={noticeFrom(c)}
      >
        <p class="mb-4">
          <a href="/admin/hours" class="underline text-brand-700">{t("admin.hours.all")}</a>
        </p>
        <Section title={t("admin.hours.teamHours", { name: team.name })} id="team-hours">
          <form method="post" action={`/admin/hours/${team.id}`} novalidate>
            <FormAlert message={state.error} />
            <Checkbox
              label={t("admin.hours.followDefault")}
              name="followDefault"
              checked={values.followDefault === "on"}
              hint={t("admin.hours.followDefaultHint")}
            />
            <HoursFields v={values} f={state.fields ?? {}} />
            <Button>{t("admin.hours.saveTeam")}</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/hours", (c) => defaultPage(c));

  app.post("/admin/hours", (c) =>
    formPost(
      c,
      async (form) => {
        await setDefaultHours(engine, hoursFromForm(form), currentAgent(c));
        return "/admin/hours?notice=saved";
      },
      (f, form) => defaultPage(c, failedForm(f, form)),
    ));

  app.get("/admin/hours/:teamId", (c) => teamPage(c, c.req.param("teamId")));

  app.post("/admin/hours/:teamId", (c) => {
    const teamId = c.req.param("teamId");
    return formPost(
      c,
      async (form) => {
        const follow = checkbox.parse(form.followDefault);
        await setTeamHours(engine, teamId, follow ? null : hoursFromForm(form), currentAgent(c));
        return `/admin/hours/${teamId}?notice=saved`;
      },
      (f, form) => teamPage(c, teamId, failedForm(f, form)),
    );
  });

  return app;
}
