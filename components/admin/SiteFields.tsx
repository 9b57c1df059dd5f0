/** The fields of the widget-site form (admin console, Channels). */
import type { Site } from "../../lib/store/sites.ts";
import type { Team } from "../../lib/store/teams.ts";
import { Checkbox, type FieldErrors, SelectField, TextArea, TextField } from "../Form.tsx";

/** Options of a "route to team" select; empty means everyone's queue. */
export function teamOptions(teams: Team[]) {
  return [
    { value: "", label: "Everyone's queue" },
    ...teams.map((t) => ({ value: t.id, label: t.name })),
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
        label="Pre-chat form"
        name="preChatForm"
        idPrefix={idPrefix}
        checked={values.preChatForm === "on"}
        hint="Visitors give their name and email before their first message (unless the page already gave them with setUser)."
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
