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
import { DAY_NAMES, hoursFormValues, hoursFromForm } from "../lib/admin/business_hours.ts";
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
        label="Use business hours"
        name="enabled"
        checked={v.enabled === "on"}
        error={f.enabled}
        hint="On: out of these hours, or while nobody who could take the chat is Online, the widget says so and takes a message with an email address. Off: always open."
      />
      <TextField
        label="Time zone"
        name="timeZone"
        value={v.timeZone}
        error={f.timeZone}
        hint="An IANA name, such as Europe/Berlin or America/New_York. Daylight saving time is followed."
      />
      <fieldset class="border-t border-gray-200 pt-3 mt-2">
        <legend class="font-semibold mb-2">Opening times</legend>
        <p class="text-xs text-gray-600 mb-2">
          Per day, like 09:00-17:00; several separated by commas (09:00-12:30, 13:30-17:00);
          22:00-02:00 runs past midnight; empty means closed all day.
        </p>
        <div class="grid md:grid-cols-2 gap-x-4">
          {WEEKDAYS.map((d) => (
            <TextField key={d} label={DAY_NAMES[d]} name={d} value={v[d]} error={f[d]} />
          ))}
        </div>
      </fieldset>
      <TextArea
        label="Holidays"
        name="holidays"
        value={v.holidays}
        error={f.holidays}
        rows={4}
        hint="One date per line, written YYYY-MM-DD (2026-12-25). Closed all that day, in the time zone above."
      />
      <TextArea
        label="WhatsApp away message"
        name="awayMessage"
        value={v.awayMessage}
        error={f.awayMessage}
        rows={3}
        hint="Sent once per conversation to a WhatsApp customer who writes out of hours. Empty: a standard text saying when you open again."
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
    const own = await Promise.all(teams.map((t) => getTeamHours(kv, t.id)));
    return renderPage(
      c,
      <AdminLayout
        title="Business hours"
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/hours"
        notice={noticeFrom(c)}
      >
        <Section title="Workspace default">
          <p class="text-sm text-gray-600 mb-4">
            Every chat without a team, and every team without hours of its own, follows these.
          </p>
          <form method="post" action="/admin/hours" novalidate>
            <FormAlert message={state.error} />
            <HoursFields v={state.values ?? hoursFormValues(hours)} f={state.fields ?? {}} />
            <Button>Save business hours</Button>
          </form>
        </Section>
        <Section title="Teams">
          {teams.length === 0 && <p class="text-sm text-gray-600">No teams yet.</p>}
          <ul class="divide-y divide-gray-100">
            {teams.map((t, i) => (
              <li key={t.id} class="py-2 flex flex-wrap gap-2 items-center">
                <a href={`/admin/hours/${t.id}`} class="underline text-brand-700">
                  {t.name}
                </a>
                <span class="text-sm text-gray-600">
                  {own[i] ? "Own hours" : "Follows the workspace default"}
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
        title={`Business hours: ${team.name}`}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/hours"
        notice={noticeFrom(c)}
      >
        <p class="mb-4">
          <a href="/admin/hours" class="underline text-brand-700">All business hours</a>
        </p>
        <Section title={`Hours of ${team.name}`}>
          <form method="post" action={`/admin/hours/${team.id}`} novalidate>
            <FormAlert message={state.error} />
            <Checkbox
              label="Follow the workspace default"
              name="followDefault"
              checked={values.followDefault === "on"}
              hint="On: this team has no hours of its own (the fields below are not saved)."
            />
            <HoursFields v={values} f={state.fields ?? {}} />
            <Button>Save team hours</Button>
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
