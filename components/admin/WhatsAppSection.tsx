/**
 * The WhatsApp part of the Channels page: state, the form (secrets are
 * write-only: never rendered, a blank field keeps the stored value), and
 * "Test connection" with its result.
 */
import type { PublicWhatsAppConfig } from "../../lib/store/whatsapp_config.ts";
import type { Team } from "../../lib/store/teams.ts";
import { Section } from "./AdminLayout.tsx";
import { Button, Checkbox, type FieldErrors, FormAlert, SelectField, TextField } from "../Form.tsx";
import { teamOptions } from "./SiteFields.tsx";

type SecretName = "accessToken" | "appSecret" | "verifyToken";

/**
 * A write-only secret: a password field that is never filled (blank keeps the
 * stored value) and a checkbox that removes the stored value.
 */
function SecretField(
  { name, label, set, fromEnvironment, error }: {
    name: SecretName;
    label: string;
    set: boolean;
    fromEnvironment: boolean;
    error?: string;
  },
) {
  return (
    <div>
      <TextField
        label={label}
        name={name}
        type="password"
        idPrefix="wa"
        autocomplete="new-password"
        error={error}
        hint={`${set ? "Set" : "Not set"}${
          fromEnvironment ? " (from the environment, which wins)" : ""
        }. Leave empty to keep it; it is never shown again.`}
      />
      <Checkbox
        label={`Remove the stored ${label.toLowerCase()}`}
        name={`clear_${name}`}
        idPrefix="wa"
      />
    </div>
  );
}

/** The WhatsApp section of the Channels page. */
export function WhatsAppSection(
  { wa, teams, origin, state, test }: {
    wa: PublicWhatsAppConfig;
    teams: Team[];
    origin: string;
    state?: { values?: Record<string, string>; fields?: FieldErrors; error?: string };
    test?: { ok: boolean; message: string };
  },
) {
  const w = state?.values ?? {
    phoneNumberId: wa.phoneNumberId ?? "",
    businessAccountId: wa.businessAccountId ?? "",
    graphUrl: wa.graphUrl,
    graphVersion: wa.graphVersion,
    teamId: wa.teamId ?? "",
  };
  const wf = state?.fields ?? {};
  const secret = (name: SecretName, label: string, set: boolean) => (
    <SecretField
      name={name}
      label={label}
      set={set}
      fromEnvironment={wa.fromEnvironment.includes(name)}
      error={wf[name]}
    />
  );
  return (
    <Section title="WhatsApp">
      {/* One message at a time: after a test, its result alone says whether it works. */}
      {!test && (
        <p class="text-sm mb-3" data-testid="whatsapp-state">
          {wa.configured
            ? 'All settings are in place. "Test connection" checks them with Meta.'
            : "Not fully configured yet: set the phone number id, access token, app secret and verify token."}
        </p>
      )}
      <p class="text-sm text-gray-600 mb-3">
        Webhook URL for Meta: <code class="font-mono">{origin}/webhooks/whatsapp</code>
      </p>
      <form method="post" action="/admin/channels/whatsapp" novalidate autocomplete="off">
        <FormAlert message={state?.error} />
        <div class="grid md:grid-cols-2 gap-x-4">
          <TextField
            label="Phone number id"
            name="phoneNumberId"
            idPrefix="wa"
            value={w.phoneNumberId}
            error={wf.phoneNumberId}
          />
          <TextField
            label="WhatsApp Business Account id"
            name="businessAccountId"
            idPrefix="wa"
            value={w.businessAccountId}
            error={wf.businessAccountId}
            hint={`For the message templates${
              wa.fromEnvironment.includes("businessAccountId")
                ? " (from the environment, which wins)"
                : ""
            }.`}
          />
          <SelectField
            label="Route to team"
            name="teamId"
            idPrefix="wa"
            value={w.teamId}
            error={wf.teamId}
            options={teamOptions(teams)}
          />
          {secret("accessToken", "Access token", wa.accessTokenSet)}
          {secret("appSecret", "App secret", wa.appSecretSet)}
          {secret("verifyToken", "Verify token", wa.verifyTokenSet)}
          <div>
            <TextField
              label="Graph API URL"
              name="graphUrl"
              idPrefix="wa"
              value={w.graphUrl}
              error={wf.graphUrl}
            />
            <TextField
              label="Graph API version"
              name="graphVersion"
              idPrefix="wa"
              value={w.graphVersion}
              error={wf.graphVersion}
            />
          </div>
        </div>
        <Button>Save WhatsApp settings</Button>
      </form>
      <form method="post" action="/admin/channels/whatsapp/test" class="mt-4">
        {test && (
          <p
            role={test.ok ? "status" : "alert"}
            data-testid="whatsapp-test-result"
            class={test.ok
              ? "mb-3 text-sm text-green-900 bg-green-50 border border-green-200 rounded p-2"
              : "mb-3 text-sm text-red-800 bg-red-50 border border-red-200 rounded p-2"}
          >
            {test.ok ? test.message : `Not connected: ${test.message}`}
          </p>
        )}
        <Button variant="secondary">Test connection</Button>
      </form>
    </Section>
  );
}
