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
import { CONNECTION_NOT_SET } from "../../lib/channels/whatsapp_graph.ts";
import { t } from "../../lib/i18n/mod.ts";

/** What "Test connection" found, as the page says it (the API's message stays English). */
export interface ConnectionResult {
  ok: boolean;
  message: string;
  displayPhoneNumber?: string | null;
  verifiedName?: string | null;
}

function resultInWords(test: ConnectionResult, phoneNumberId: string | null): string {
  if (test.ok) {
    const number = test.displayPhoneNumber ?? phoneNumberId ?? "";
    return test.verifiedName
      ? t("admin.whatsapp.connectedToNamed", { number, name: test.verifiedName })
      : t("admin.whatsapp.connectedTo", { number });
  }
  const reason = test.message === CONNECTION_NOT_SET
    ? t("admin.whatsapp.setIdAndToken")
    : test.message;
  return t("admin.whatsapp.notConnected", { reason });
}

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
        hint={t("admin.whatsapp.secretHint", {
          state: t(set ? "admin.whatsapp.set" : "admin.whatsapp.notSet"),
          env: fromEnvironment ? ` ${t("admin.whatsapp.fromEnvironment")}` : "",
        })}
      />
      <Checkbox
        label={t("admin.whatsapp.removeSecret", { name: label.toLowerCase() })}
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
    test?: ConnectionResult;
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
          {t(wa.configured ? "admin.whatsapp.configured" : "admin.whatsapp.notConfigured")}
        </p>
      )}
      <p class="text-sm text-gray-600 mb-3">
        {t("admin.whatsapp.webhookUrl")} <code class="font-mono">{origin}/webhooks/whatsapp</code>
      </p>
      <form method="post" action="/admin/channels/whatsapp" novalidate autocomplete="off">
        <FormAlert message={state?.error} />
        <div class="grid md:grid-cols-2 gap-x-4">
          <TextField
            label={t("admin.whatsapp.phoneNumberId")}
            name="phoneNumberId"
            idPrefix="wa"
            value={w.phoneNumberId}
            error={wf.phoneNumberId}
          />
          <TextField
            label={t("admin.whatsapp.businessAccountId")}
            name="businessAccountId"
            idPrefix="wa"
            value={w.businessAccountId}
            error={wf.businessAccountId}
            hint={t("admin.whatsapp.businessAccountHint", {
              env: wa.fromEnvironment.includes("businessAccountId")
                ? ` ${t("admin.whatsapp.fromEnvironment")}`
                : "",
            })}
          />
          <SelectField
            label={t("admin.whatsapp.team")}
            name="teamId"
            idPrefix="wa"
            value={w.teamId}
            error={wf.teamId}
            options={teamOptions(teams)}
          />
          {secret("accessToken", t("admin.whatsapp.accessToken"), wa.accessTokenSet)}
          {secret("appSecret", t("admin.whatsapp.appSecret"), wa.appSecretSet)}
          {secret("verifyToken", t("admin.whatsapp.verifyToken"), wa.verifyTokenSet)}
          <div>
            <TextField
              label={t("admin.whatsapp.graphUrl")}
              name="graphUrl"
              idPrefix="wa"
              value={w.graphUrl}
              error={wf.graphUrl}
            />
            <TextField
              label={t("admin.whatsapp.graphVersion")}
              name="graphVersion"
              idPrefix="wa"
              value={w.graphVersion}
              error={wf.graphVersion}
            />
          </div>
        </div>
        <Button>{t("admin.whatsapp.save")}</Button>
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
            {resultInWords(test, wa.phoneNumberId)}
          </p>
        )}
        <Button variant="secondary">{t("admin.whatsapp.test")}</Button>
      </form>
    </Section>
  );
}
