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

const STATUS_LABEL = { online: "Online", busy: "Busy", offline: "Offline" } as const;

const ROLE_OPTIONS = [
  { value: "agent", label: "Agent" },
  { value: "supervisor", label: "Supervisor" },
  { value: "admin", label: "Admin" },
];

function teamOptions(teams: Team[]) {
  return [{ value: "", label: "No team" }, ...teams.map((t) => ({ value: t.id, label: t.name }))];
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
      <TextField label="Name" name="name" value={v.name} error={f.name} required />
      <TextField
        label="Email"
        name="email"
        type="email"
        value={v.email}
        error={f.email}
        required
      />
      <SelectField
        label="Role"
        name="role"
        value={v.role}
        options={ROLE_OPTIONS}
        error={f.role}
      />
      <SelectField
        label="Team"
        name="teamId"
        value={v.teamId}
        options={teamOptions(teams)}
        error={f.teamId}
      />
      <TextField
        label="Max chats"
        name="maxChats"
        type="number"
        value={v.maxChats}
        error={f.maxChats}
        hint="Leave empty to use the global setting."
      />
    </>
  );
}

function InviteLink({ url }: { url: string }) {
  return (
    <div class="mb-4 text-sm bg-green-50 border border-green-200 rounded p-3">
      <p role="status" class="mb-1 font-medium">
        One-time invite link (valid 7 days). Send it to the invitee:
      </p>
      <Island
        name="CopyField"
        component={CopyField}
        props={{ id: "invite-link", label: "Invite link", value: url }}
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
        title="Agents"
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/agents"
        notice={noticeFrom(c)}
      >
        {state.inviteUrl && <InviteLink url={state.inviteUrl} />}
        <Section title="All accounts">
          <Island
            name="AdminAgentTable"
            component={AdminAgentTable}
            props={{ rows, globalMax }}
          />
        </Section>
        <Section title="Add an agent">
          <form method="post" action="/admin/agents" novalidate>
            <FormAlert message={state.error} />
            <div class="grid md:grid-cols-2 gap-x-4">
              <ProfileFields values={{ ...v, role: v.role ?? "agent" }} fields={f} teams={teams} />
              <TextField
                label="Initial password"
                name="password"
                type="password"
                error={f.password}
                autocomplete="new-password"
                hint="At least 10 characters. Or leave empty and send an invite link."
              />
            </div>
            <Checkbox
              label="Send a one-time invite link instead of a password"
              name="invite"
              checked={v.invite === "on"}
            />
            <Button>Add agent</Button>
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
        title={`Agent: ${agent.name}`}
        assets={deps.assets}
        agent={publicAgent(me)}
        current="/admin/agents"
        notice={noticeFrom(c)}
      >
        <p class="mb-4 text-sm">
          <a href="/admin/agents" class="underline text-brand-700">All agents</a>
          {" · "}
          {agent.active ? (invited ? "Invited, no password chosen yet" : "Active") : "Deactivated"}
          {live && agent.active && (
            <span data-testid="agent-live">
              {` · ${STATUS_LABEL[live.status]} · ${live.activeChats} of ${live.maxChats} chats`}
            </span>
          )}
        </p>
        {state.inviteUrl && <InviteLink url={state.inviteUrl} />}
        <Section title="Profile">
          <form method="post" action={`/admin/agents/${agent.id}`} novalidate>
            <FormAlert message={state.error} />
            <div class="grid md:grid-cols-2 gap-x-4">
              <ProfileFields values={v} fields={f} teams={teams} />
            </div>
            <Button>Save changes</Button>
          </form>
        </Section>
        <Section title="Reset password">
          <form method="post" action={`/admin/agents/${agent.id}/password`} novalidate>
            <FormAlert message={state.passwordError} />
            <TextField
              label="New password"
              name="password"
              type="password"
              idPrefix="reset"
              autocomplete="new-password"
              error={state.passwordFields?.password}
              hint="At least 10 characters. The account's sessions end at once."
            />
            <Checkbox
              label="Send a new one-time invite link instead"
              name="invite"
              idPrefix="reset"
            />
            <Button variant="secondary">Reset password</Button>
          </form>
        </Section>
        {agent.id !== me.id && (
          <Section title={agent.active ? "Deactivate" : "Reactivate"}>
            {agent.active
              ? (
                <form method="post" action={`/admin/agents/${agent.id}/deactivate`}>
                  <p class="text-sm mb-3">
                    The account can no longer sign in, its open sessions end at once, and its active
                    chats go back to the queue.
                  </p>
                  <Button variant="danger">Deactivate account</Button>
                </form>
              )
              : (
                <form method="post" action={`/admin/agents/${agent.id}/reactivate`}>
                  <Button variant="secondary">Reactivate account</Button>
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
    if (!agent) return c.text("Agent not found", 404);
    return await editPage(c, agent);
  });

  app.post("/admin/agents/:id", async (c) => {
    const agent = await loadAgent(c);
    if (!agent) return c.text("Agent not found", 404);
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
    if (!agent) return c.text("Agent not found", 404);
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
    if (!agent) return c.text("Agent not found", 404);
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
    if (!agent) return c.text("Agent not found", 404);
    await adminReactivateAgent(deps, currentAgent(c), agent.id);
    return c.redirect(`/admin/agents/${agent.id}?notice=reactivated`, 303);
  });

  return app;
}
