/** Staff accounts in KV (keys in ./keys.ts). */
import { z } from "zod";
import { badRequest, conflict, notFound } from "../errors.ts";
import { maxChats } from "../domain/boundary.ts";
import { type Role, ROLES } from "../domain/engine_types.ts";
import { newId } from "../ids.ts";
import { hashPassword } from "../password.ts";
import { keys } from "./keys.ts";
import { type Actor, addAudit, commitAudited } from "./audit.ts";
import type { Engine } from "./engine/engine.ts";
import type { Locale } from "../i18n/locales.ts";

// The roles are the domain's; re-exported for the modules that know staff accounts from here.
export { type Role, ROLES };

export interface Agent {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  /** Per-agent override of the global max chats; null uses the routing setting. */
  maxChats: number | null;
  passwordHash: string;
  active: boolean;
  createdAt: string;
  /** The language the agent's workspace and admin pages speak; unset: the browser's. */
  locale?: Locale | null;
}

/** What an agent record looks like outside the server: never the password hash. */
export type PublicAgent = Omit<Agent, "passwordHash">;

export function publicAgent(agent: Agent): PublicAgent {
  const { passwordHash: _hidden, ...rest } = agent;
  return rest;
}

export const newAgentSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(100),
  email: z.string().trim().toLowerCase().max(254).email("Not an email address"),
  password: z.string().min(10, "Password must be at least 10 characters").max(200),
  role: z.enum(ROLES),
  teamId: z.string().min(1).max(100).nullable().optional(),
  maxChats: maxChats.nullable().optional(),
});
export type NewAgent = z.infer<typeof newAgentSchema>;

export async function createAgent(
  kv: Deno.Kv,
  input: NewAgent,
  iterations: number,
  /** When given, the creation is recorded in the audit log in the same commit. */
  actor?: Actor,
): Promise<Agent> {
  const agent: Agent = {
    id: newId(),
    name: input.name,
    email: input.email.toLowerCase(),
    role: input.role,
    teamId: input.teamId ?? null,
    maxChats: input.maxChats ?? null,
    passwordHash: await hashPassword(input.password, iterations),
    active: true,
    createdAt: new Date().toISOString(),
  };
  const op = kv.atomic()
    .check({ key: keys.agentByEmail(agent.email), versionstamp: null })
    .set(keys.agent(agent.id), agent)
    .set(keys.agentByEmail(agent.email), agent.id);
  if (actor) {
    addAudit(op, {
      actorId: actor.id,
      actorName: actor.name,
      action: "agent.created",
      targetType: "agent",
      targetId: agent.id,
      targetLabel: agent.email,
      details: { role: agent.role },
    });
  }
  const result = await op.commit();
  if (!result.ok) {
    throw conflict("email_taken", `An account with the email ${agent.email} already exists.`);
  }
  return agent;
}

export async function getAgent(kv: Deno.Kv, id: string): Promise<Agent | null> {
  return (await kv.get<Agent>(keys.agent(id))).value;
}

export async function getAgentByEmail(kv: Deno.Kv, email: string): Promise<Agent | null> {
  const id = (await kv.get<string>(keys.agentByEmail(email.trim().toLowerCase()))).value;
  return id ? await getAgent(kv, id) : null;
}

export async function listAgents(kv: Deno.Kv): Promise<Agent[]> {
  const agents: Agent[] = [];
  for await (const entry of kv.list<Agent>({ prefix: keys.agentsPrefix() })) {
    agents.push(entry.value);
  }
  return agents;
}

export async function hasAnyAgent(kv: Deno.Kv): Promise<boolean> {
  for await (const _ of kv.list({ prefix: keys.agentsPrefix() }, { limit: 1 })) return true;
  return false;
}

/** The fields an admin may change on an account; absent fields stay as they are. */
export const agentPatchSchema = z.object({
  name: newAgentSchema.shape.name.optional(),
  email: newAgentSchema.shape.email.optional(),
  role: z.enum(ROLES).optional(),
  teamId: z.string().min(1).max(100).nullable().optional(),
  maxChats: maxChats.nullable().optional(),
});
export type AgentPatch = z.infer<typeof agentPatchSchema>;

/** The changed field names of a patch, for the audit log (never their values' secrets). */
function changedFields(agent: Agent, patch: AgentPatch): string[] {
  return (Object.keys(patch) as (keyof AgentPatch)[]).filter((k) =>
    patch[k] !== undefined && patch[k] !== agent[k]
  );
}

/**
 * Changes an account's profile. A new email moves the email index in the same
 * atomic operation (409 `email_taken` when another account has it); a team id
 * must name an existing team (400 `unknown_team`). Audited when `actor` is given.
 */
export async function updateAgent(
  engine: Engine,
  id: string,
  patch: AgentPatch,
  actor?: Actor,
): Promise<Agent> {
  const { kv } = engine;
  return await commitAudited(engine, async () => {
    const entry = await kv.get<Agent>(keys.agent(id));
    if (!entry.value) throw notFound("Agent");
    const agent = entry.value;
    const next: Agent = {
      ...agent,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    };
    next.email = next.email.toLowerCase();
    const op = kv.atomic().check(entry);
    if (next.email !== agent.email) {
      const taken = await kv.get<string>(keys.agentByEmail(next.email));
      if (taken.value && taken.value !== id) {
        throw conflict("email_taken", `An account with the email ${next.email} already exists.`);
      }
      op.check(taken).delete(keys.agentByEmail(agent.email)).set(
        keys.agentByEmail(next.email),
        id,
      );
    }
    if (next.teamId && next.teamId !== agent.teamId) {
      const team = await kv.get(keys.team(next.teamId));
      if (!team.value) {
        throw badRequest("unknown_team", "That team does not exist.", {
          fields: { teamId: "Choose an existing team" },
        });
      }
      op.check(team);
    }
    op.set(keys.agent(id), next);
    const fields = changedFields(agent, patch);
    return {
      op,
      value: next,
      audit: actor && fields.length
        ? {
          actorId: actor.id,
          actorName: actor.name,
          action: "agent.updated",
          targetType: "agent",
          targetId: id,
          targetLabel: next.email,
          details: { fields },
        }
        : null,
      changes: [{ type: "agent.updated", agentId: id }],
    };
  });
}

/** Sets a new password (hashed here). Audited as a reset when `actor` is given. */
export async function setAgentPassword(
  engine: Engine,
  id: string,
  password: string,
  iterations: number,
  actor?: Actor,
): Promise<Agent> {
  const { kv } = engine;
  const passwordHash = await hashPassword(password, iterations);
  return await commitAudited(engine, async () => {
    const entry = await kv.get<Agent>(keys.agent(id));
    if (!entry.value) throw notFound("Agent");
    const next = { ...entry.value, passwordHash };
    return {
      op: kv.atomic().check(entry).set(keys.agent(id), next),
      value: next,
      audit: actor
        ? {
          actorId: actor.id,
          actorName: actor.name,
          action: "agent.password_reset",
          targetType: "agent",
          targetId: id,
          targetLabel: next.email,
        }
        : null,
    };
  });
}

/**
 * Activates or deactivates an account. A deactivated account cannot sign in;
 * ending its sessions and requeueing its chats is the caller's job
 * (lib/admin/agents.ts does both).
 */
export async function setAgentActive(
  engine: Engine,
  id: string,
  active: boolean,
  actor?: Actor,
): Promise<Agent> {
  const { kv } = engine;
  return await commitAudited(engine, async () => {
    const entry = await kv.get<Agent>(keys.agent(id));
    if (!entry.value) throw notFound("Agent");
    const next = { ...entry.value, active };
    return {
      op: kv.atomic().check(entry).set(keys.agent(id), next),
      value: next,
      audit: actor && entry.value.active !== active
        ? {
          actorId: actor.id,
          actorName: actor.name,
          action: active ? "agent.reactivated" : "agent.deactivated",
          targetType: "agent",
          targetId: id,
          targetLabel: next.email,
        }
        : null,
      changes: [{ type: "agent.updated", agentId: id, data: { active } }],
    };
  });
}

/**
 * Sets the language an agent's pages speak (their own preference: not audited).
 * Retries a lost race with another change to the record; 404 for an unknown agent.
 */
export async function setAgentLocale(kv: Deno.Kv, id: string, locale: Locale): Promise<Agent> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const entry = await kv.get<Agent>(keys.agent(id));
    if (!entry.value) throw notFound("Agent");
    const next: Agent = { ...entry.value, locale };
    const result = await kv.atomic().check(entry).set(keys.agent(id), next).commit();
    if (result.ok) return next;
  }
  throw conflict("busy", "The account changed meanwhile; try again.");
}
