/** The fields of the widget-site form (admin console, Channels). */
import type { Site } from "../../lib/store/sites.ts";
import type { Team } from "../../lib/store/teams.ts";
import { Checkbox, type FieldErrors, SelectField, TextArea, TextField } from "../Form.tsx";
import { t } from "../../lib/i18n/mod.ts";

/** Options of a "route to team" select; empty means everyone's queue. */
export function teamOptions(teams: Team[]) {
  return [
    { value: "", label: t("admin.sites.everyonesQueue") },
    ...teams.map((team) => ({ value: team.id, label: team.name })),
  ];
}

/** A site as form values. */
export function siteValues(site: Site): Record<string, string> {
  return {
    name: site.name,
    allowedOrigins: site.allowedOrigins.join("\n"),
    allowAnyOrigin: site.allowAnyOrigin ? "on" : "",
    preChatForm: site.preChatForm ? "on" : "",
    teamId: site.teamId ?? "",
    colour: site.colour,
    greeting: site.greeting,
  };
}

/** The fields of the site form (create and edit). */
export function SiteFields(
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
          label={t("admin.sites.name")}
          name="name"
          idPrefix={idPrefix}
          value={values.name}
          error={fields.name}
        />
        <SelectField
          label={t("admin.sites.team")}
          name="teamId"
          idPrefix={idPrefix}
          value={values.teamId}
          error={fields.teamId}
          options={teamOptions(teams)}
        />
        <TextField
          label={t("admin.sites.colour")}
          name="colour"
          type="color"
          idPrefix={idPrefix}
          value={values.colour || "#1f6feb"}
          error={fields.colour}
        />
        <TextField
          label={t("admin.sites.greeting")}
          name="greeting"
          idPrefix={idPrefix}
          value={values.greeting}
          error={fields.greeting}
        />
      </div>
      <TextArea
        label={t("admin.sites.origins")}
        name="allowedOrigins"
        idPrefix={idPrefix}
        rows={3}
        value={values.allowedOrigins}
        error={fields.allowedOrigins ??
          Object.entries(fields).find(([k]) => k.startsWith("allowedOrigins."))?.[1]}
        hint={t("admin.sites.originsHint")}
      />
      <Checkbox
        label={t("admin.sites.preChat")}
        name="preChatForm"
        idPrefix={idPrefix}
        checked={values.preChatForm === "on"}
        hint={t("admin.sites.preChatHint")}
      />
      <Checkbox
        label={t("admin.sites.anyOriginLabel")}
        name="allowAnyOrigin"
        idPrefix={idPrefix}
        checked={values.allowAnyOrigin === "on"}
        hint={t("admin.sites.anyOriginHint")}
      />
    </>
  );
}
