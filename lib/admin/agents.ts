/**
 * Account management for the admin console: the rules shared by the `/admin`
 * pages and the admin JSON API. Every change is audited with the acting admin.
 *
 * - Create with an initial password, or without one and with a one-time invite
 *   link (`/invite/TOKEN`, valid 7 days) the invitee uses to choose a password.
 * - Deactivate: the account cannot sign in, its sessions end at once, and its
 *   active chats return to the queue (through the engine).
 * - Reset password: sets a new one (or issues a new invite link) and ends the
 *   account's sessions.
 * - An admin cannot deactivate their own account or take away their own admin
 *   role, so the console can never lock out the person using it.
 */
import { z } from "zod";
import { deleteAgentSessions } from "../auth/sessions.ts";
import type { AppDeps } from "../app_deps.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { randomToken } from "../ids.ts";
import {
  type Agent,
  agentPatchSchema,
  createAgent,
  getAgent,
  listAgents,
  newAgentSchema,
  type PublicAgent,
  publicAgent,
  ROLES,
  setAgentActive,
  setAgentPassword,
  updateAgent,
} from "../store/agents.ts";
import type { Actor } from "../store/audit.ts";
import { createInvite, hasPendingInvite, revokeInvite } from "../store/invites.ts";
import { getTeam } from "../store/teams.ts";
import { agentLive, releaseAgent } from "./engine_bridge.ts";
import { checkbox, optionalId, optionalInt } from "./fields.ts";
import { MAX_CHATS } from "../domain/limits.ts";

const password = newAgentSchema.shape.password;

/** A password (blank means none) or the invite checkbox: the create and reset forms ask for one. */
const passwordOrInvite = {
  password: z.preprocess((v) => (v === "" ? undefined : v), password.optional()),
  invite: checkbox.optional(),
};

/** Fails on `password` with `message` when neither a password nor an invite was asked for. */
function requirePasswordOrInvite(message: string) {
  return (v: { password?: string; invite?: boolean }, ctx: z.RefinementCtx) => {
    if (!v.invite && !v.password) ctx.addIssue({ code: "custom", path: ["password"], message });
  };
}

/** Create an account: an initial password, or `invite: true` for a one-time link. */
export const createAgentRequestSchema = z.object({
  name: newAgentSchema.shape.name,
  email: newAgentSchema.shape.email,
  role: z.enum(ROLES, { error: "Choose a role" }),
  teamId: optionalId.optional(),
  maxChats: optionalInt(MAX_CHATS.min, MAX_CHATS.max).optional(),
  ...passwordOrInvite,
}).superRefine(
  requirePasswordOrInvite("Enter an initial password, or choose to send an invite link"),
);

/** Edit an account; fields left out stay as they are. */
export const updateAgentRequestSchema = z.object({
  name: agentPatchSchema.shape.name,
  email: agentPatchSchema.shape.email,
  role: z.enum(ROLES, { error: "Choose a role" }).optional(),
  teamId: optionalId.optional(),
  maxChats: optionalInt(MAX_CHATS.min, MAX_CHATS.max).optional(),
});

/** Reset a password: a new one, or `invite: true` for a new one-time link. */
export const resetPasswordRequestSchema = z.object(passwordOrInvite).superRefine(
  requirePasswordOrInvite("Enter a new password, or choose to send an invite link"),
);

/** An agent as the admin list shows it: profile, live status and load. */
export interface AgentRow extends PublicAgent {
  status: "online" | "busy" | "offline";
  activeChats: number;
  teamName: string | null;
  invitePending: boolean;
}

/** The path of the invite page for a raw invite token. */
export function invitePath(token: string): string {
  return `/invite/${token}`;
}

async function assertTeam(kv: Deno.Kv, teamId: string | null | undefined) {
  if (teamId && !(await getTeam(kv, teamId))) {
    throw badRequest("invalid", "teamId: That team does not exist", {
      fields: { teamId: "That team does not exist" },
    });
  }
}

/** Creates an account; with `invite`, returns the one-time link path too. */
export async function adminCreateAgent(
  deps: AppDeps,
  actor: Actor,
  input: z.infer<typeof createAgentRequestSchema>,
): Promise<{ agent: PublicAgent; invitePath: string | null }> {
  await assertTeam(deps.kv, input.teamId);
  const agent = await createAgent(
    deps.kv,
    {
      name: input.name,
      email: input.email,
      role: input.role,
      teamId: input.teamId ?? null,
      maxChats: input.maxChats ?? null,
      // An invitee has no usable password until they choose one.
      password: input.password ?? randomToken(),
    },
    deps.config.passwordIterations,
    actor,
  );
  const token = input.invite ? await createInvite(deps.kv, agent.id) : null;
  return { agent: publicAgent(agent), invitePath: token ? invitePath(token) : null };
}

/** Edits an account (audited); an admin cannot take away their own admin role. */
export async function adminUpdateAgent(
  deps: AppDeps,
  actor: Actor,
  id: string,
  patch: z.infer<typeof updateAgentRequestSchema>,
): Promise<PublicAgent> {
  if (id === actor.id && patch.role !== undefined && patch.role !== "admin") {
    throw conflict("self_change", "You cannot take away your own admin role.");
  }
  const agent = await updateAgent(deps.engine, id, patch, actor);
  return publicAgent(agent);
}

/** Deactivates an account: no sign-in, sessions ended, active chats back to the queue. */
export async function adminDeactivateAgent(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<{ agent: PublicAgent; requeued: number }> {
  if (id === actor.id) throw conflict("self_change", "You cannot deactivate your own account.");
  const agent = await setAgentActive(deps.engine, id, false, actor);
  await deleteAgentSessions(deps.kv, id);
  await revokeInvite(deps.kv, id);
  const requeued = await releaseAgent(deps, id);
  return { agent: publicAgent(agent), requeued };
}

/** Lets a deactivated account sign in again (audited); its chats stay where they went. */
export async function adminReactivateAgent(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<PublicAgent> {
  return publicAgent(await setAgentActive(deps.engine, id, true, actor));
}

/** Sets a new password or issues a new invite link; ends the account's sessions either way. */
export async function adminResetPassword(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: z.infer<typeof resetPasswordRequestSchema>,
): Promise<{ invitePath: string | null }> {
  const agent = await getAgent(deps.kv, id);
  if (!agent) throw notFound("Agent");
  await setAgentPassword(
    deps.engine,
    id,
    input.invite ? randomToken() : input.password!,
    deps.config.passwordIterations,
    actor,
  );
  await deleteAgentSessions(deps.kv, id);
  if (input.invite) return { invitePath: invitePath(await createInvite(deps.kv, id)) };
  await revokeInvite(deps.kv, id);
  return { invitePath: null };
}

/** Every account with live status and load, active ones first, then by name. */
export async function listAgentRows(kv: Deno.Kv): Promise<AgentRow[]> {
  const agents: Agent[] = await listAgents(kv);
  const live = await agentLive(kv);
  const teams = new Map<string, string | null>();
  const rows: AgentRow[] = [];
  for (const agent of agents) {
    if (agent.teamId && !teams.has(agent.teamId)) {
      teams.set(agent.teamId, (await getTeam(kv, agent.teamId))?.name ?? null);
    }
    rows.push({
      ...publicAgent(agent),
      status: agent.active ? live.get(agent.id)?.status ?? "offline" : "offline",
      activeChats: live.get(agent.id)?.activeChats ?? 0,
      teamName: agent.teamId ? teams.get(agent.teamId) ?? null : null,
      invitePending: await hasPendingInvite(kv, agent.id),
    });
  }
  return rows.sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
}
