/** Admin pages for accounts: list with live status, create (password or invite), edit, deactivate, reset password. */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import {
  Button,
  Checkbox,
  type FieldErrors,
  FormAlert,
  SelectField,
  TextField,
} from "../components/Form.tsx";
import { Island } from "../components/Island.tsx";
import AdminAgentTable from "../islands/AdminAgentTable.tsx";
import {
  adminCreateAgent,
  adminDeactivateAgent,
  adminReactivateAgent,
  adminResetPassword,
  adminUpdateAgent,
  createAgentRequestSchema,
  listAgentRows,
  resetPasswordRequestSchema,
  updateAgentRequestSchema,
} from "../lib/admin/agents.ts";
import { agentLiveOne, globalMaxChats } from "../lib/admin/engine_bridge.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { getAgent, type PublicAgent, publicAgent } from "../lib/store/agents.ts";
import { hasPendingInvite } from "../lib/store/invites.ts";
import CopyField from "../islands/CopyField.tsx";
import { listTeams, type Team } from "../lib/store/teams.ts";
import { failedForm, formAction, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";
import { t } from "../lib/i18n/mod.ts";

const ROLE_OPTIONS = [
  { value: "agent", label: "role.agent" },
  { value: "supervisor", label: "role.supervisor" },
  { value: "admin", label: "role.admin" },
] as const;

function teamOptions(teams: Team[]) {
  return [
    { value: "", label: t("admin.agents.noTeam") },
    ...teams.map((team) => ({ value: team.id, label: team.name })),
  ];
}

/** The profile fields of an account, on the create and the edit form. */
function ProfileFields(
  { values: v, fields: f, teams }: {
    values: Record<string, string | undefined>;
    fields: FieldErrors;
    teams: Team[];
  },
) {
  return (
    <>
      <TextField label={t("contact.name")} name="name" value={v.name} error={f.name} required />
      <TextField
        label={t("auth.email")}
        name="email"
        type="email"
        value={v.email}
        error={f.email}
        required
      />
      <SelectField
        label={t("admin.agents.role")}
        name="role"
        value={v.role}
        options={ROLE_OPTIONS.map((o) => ({ value: o.value, label: t(o.label) }))}
        error={f.role}
      />
      <SelectField
        label={t("admin.agents.team")}
        name="teamId"
        value={v.teamId}
        options={teamOptions(teams)}
        error={f.teamId}
      />
      <TextField
        label={t("admin.agents.maxChats")}
        name="maxChats"
        type="number"
        value={v.maxChats}
        error={f.maxChats}
        hint={t("admin.agents.maxChatsHint")}
      />
    </>
  );
}

function InviteLink({ url }: { url: string }) {
  return (
    <div class="mb-4 text-sm bg-green-50 border border-green-200 rounded p-3">
      <p role="status" class="mb-1 font-medium">
        {t("admin.agents.inviteLink")}
      </p>
      <Island
        name="CopyField"
        component={CopyField}
        props={{ id: "invite-link", label: t("admin.agents.inviteLabel"), value: url }}
      />
    </div>
  );
}

/** The `/admin/agents` pages and their form posts. */
export function adminAgentPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const kv = deps.kv;
  const origin = (c: Context) => new URL(c.req.url).origin;

  async function listPage(
    c: Context<AppEnv>,
    state: FormState & { inviteUrl?: string } = {},
  ) {
    const [rows, teams, globalMax] = await Promise.all([
      listAgentRows(kv),
      listTeams(kv),
      globalMaxChats(kv),
    ]);
    const v = state.values ?? {};
    const f = state.fields ?? {};
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.nav.agents")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/agents"
        notice={noticeFrom(c)}
      >
        {state.inviteUrl && <InviteLink url={state.inviteUrl} />}
        <Section title={t("admin.agents.all")} id="all-accounts">
          <Island
            name="AdminAgentTable"
            component={AdminAgentTable}
            props={{ rows, globalMax }}
          />
        </Section>
        <Section title={t("admin.agents.add")} id="add-an-agent">
          <form method="post" action="/admin/agents" novalidate>
            <FormAlert message={state.error} />
            <div class="grid md:grid-cols-2 gap-x-4">
              <ProfileFields values={{ ...v, role: v.role ?? "agent" }} fields={f} teams={teams} />
              <TextField
                label={t("admin.agents.initialPassword")}
                name="password"
                type="password"
                error={f.password}
                autocomplete="new-password"
                hint={t("admin.agents.initialPasswordHint")}
              />
            </div>
            <Checkbox
              label={t("admin.agents.inviteInstead")}
              name="invite"
              checked={v.invite === "on"}
            />
            <Button>{t("admin.agents.addButton")}</Button>
          </form>
        </Section>
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  async function editPage(
    c: Context<AppEnv>,
    agent: PublicAgent,
    state: FormState & {
      passwordFields?: FieldErrors;
      passwordError?: string;
      inviteUrl?: string;
    } = {},
  ) {
    const teams = await listTeams(kv);
    const [invited, live] = await Promise.all([
      hasPendingInvite(kv, agent.id),
      agentLiveOne(kv, agent.id),
    ]);
    const v = state.values ?? {
      name: agent.name,
      email: agent.email,
      role: agent.role,
      teamId: agent.teamId ?? "",
      maxChats: agent.maxChats === null ? "" : String(agent.maxChats),
    };
    const f = state.fields ?? {};
    const me = currentAgent(c);
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.agents.editTitle", { name: agent.name })}
        assets={deps.assets}
        agent={publicAgent(me)}
        current="/admin/agents"
        notice={noticeFrom(c)}
      >
        <p class="mb-4 text-sm">
          <a href="/admin/agents" class="underline text-brand-700">{t("admin.agents.allLink")}</a>
          {" · "}
          {agent.active
            ? (invited ? t("admin.agents.invitedNoPassword") : t("admin.agents.active"))
            : t("admin.agents.deactivated")}
          {live && agent.active && (
            <span data-testid="agent-live">
              {` · ${t(`status.${live.status}`)} · ${
                t("admin.agents.load", { active: live.activeChats, max: live.maxChats })
              }`}
            </span>
          )}
        </p>
        {state.inviteUrl && <InviteLink url={state.inviteUrl} />}
        <Section title={t("admin.agents.profile")} id="profile">
          <form method="post" action={`/admin/agents/${agent.id}`} novalidate>
            <FormAlert message={state.error} />
            <div class="grid md:grid-cols-2 gap-x-4">
              <ProfileFields values={v} fields={f} teams={teams} />
            </div>
            <Button>{t("admin.saveChanges")}</Button>
          </form>
        </Section>
        <Section title={t("admin.agents.resetPassword")} id="reset-password">
          <form method="post" action={`/admin/agents/${agent.id}/password`} novalidate>
            <FormAlert message={state.passwordError} />
            <TextField
              label={t("admin.agents.newPassword")}
              name="password"
              type="password"
              idPrefix="reset"
              autocomplete="new-password"
              error={state.passwordFields?.password}
              hint={t("admin.agents.newPasswordHint")}
            />
            <Checkbox
              label={t("admin.agents.newInviteInstead")}
              name="invite"
              idPrefix="reset"
            />
            <Button variant="secondary">{t("admin.agents.resetPassword")}</Button>
          </form>
        </Section>
        {agent.id !== me.id && (
          <Section
            title={agent.active ? t("admin.agents.deactivate") : t("admin.agents.reactivate")}
            id={agent.active ? "deactivate" : "reactivate"}
          >
            {agent.active
              ? (
                <form method="post" action={`/admin/agents/${agent.id}/deactivate`}>
                  <p class="text-sm mb-3">
                    {t("admin.agents.deactivateHint")}
                  </p>
                  <Button variant="danger">{t("admin.agents.deactivateButton")}</Button>
                </form>
              )
              : (
                <form method="post" action={`/admin/agents/${agent.id}/reactivate`}>
                  <Button variant="secondary">{t("admin.agents.reactivateButton")}</Button>
                </form>
              )}
          </Section>
        )}
      </AdminLayout>,
      state.status ?? 200,
    );
  }

  app.get("/admin/agents", (c) => listPage(c));

  app.post("/admin/agents", (c) =>
    formPost(
      c,
      async (form) => {
        const input = parseWith(createAgentRequestSchema, form);
        const { invitePath } = await adminCreateAgent(deps, currentAgent(c), input);
        if (invitePath) return await listPage(c, { inviteUrl: origin(c) + invitePath });
        return "/admin/agents?notice=created";
      },
      (failure, form) => {
        const { password: _secret, ...values } = form;
        return listPage(c, failedForm(failure, values));
      },
    ));

  const loadAgent = async (c: Context<AppEnv>) => {
    const agent = await getAgent(kv, c.req.param("id") ?? "");
    return agent ? publicAgent(agent) : null;
  };

  app.get("/admin/agents/:id", async (c) => {
    const agent = await loadAgent(c);
    if (!agent) return c.text(t("error.not_found"), 404);
    return await editPage(c, agent);
  });

  app.post("/admin/agents/:id", async (c) => {
    const agent = await loadAgent(c);
    if (!agent) return c.text(t("error.not_found"), 404);
    return await formPost(
      c,
      async (form) => {
        const patch = parseWith(updateAgentRequestSchema, form);
        await adminUpdateAgent(deps, currentAgent(c), agent.id, patch);
        return `/admin/agents/${agent.id}?notice=saved`;
      },
      (failure, form) => editPage(c, agent, failedForm(failure, form)),
    );
  });

  app.post("/admin/agents/:id/password", async (c) => {
    const agent = await loadAgent(c);
    if (!agent) return c.text(t("error.not_found"), 404);
    return await formPost(
      c,
      async (form) => {
        const input = parseWith(resetPasswordRequestSchema, form);
        const { invitePath } = await adminResetPassword(deps, currentAgent(c), agent.id, input);
        if (invitePath) return await editPage(c, agent, { inviteUrl: origin(c) + invitePath });
        return `/admin/agents/${agent.id}?notice=password`;
      },
      (failure) =>
        editPage(c, agent, {
          passwordFields: failure.fields,
          passwordError: failure.message,
          status: failure.status,
        }),
    );
  });

  app.post("/admin/agents/:id/deactivate", async (c) => {
    const agent = await loadAgent(c);
    if (!agent) return c.text(t("error.not_found"), 404);
    return await formAction(
      c,
      async () => {
        await adminDeactivateAgent(deps, currentAgent(c), agent.id);
        return `/admin/agents/${agent.id}?notice=deactivated`;
      },
      (failure) => editPage(c, agent, { error: failure.message, status: failure.status }),
    );
  });

  app.post("/admin/agents/:id/reactivate", async (c) => {
    const agent = await loadAgent(c);
    if (!agent) return c.text(t("error.not_found"), 404);
    await adminReactivateAgent(deps, currentAgent(c), agent.id);
    return c.redirect(`/admin/agents/${agent.id}?notice=reactivated`, 303);
  });

  return app;
}
