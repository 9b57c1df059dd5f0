/** Staff accounts in KV (keys in ./keys.ts). */
import { z } from "zod";
import { conflict } from "../http/errors.ts";
import { newId } from "../ids.ts";
import { hashPassword } from "../auth/password.ts";
import { keys } from "./keys.ts";

export const ROLES = ["agent", "supervisor", "admin"] as const;
export type Role = (typeof ROLES)[number];

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
  maxChats: z.number().int().min(1).max(100).nullable().optional(),
});
export type NewAgent = z.infer<typeof newAgentSchema>;

export async function createAgent(
  kv: Deno.Kv,
  input: NewAgent,
  iterations: number,
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
  const result = await kv.atomic()
    .check({ key: keys.agentByEmail(agent.email), versionstamp: null })
    .set(keys.agent(agent.id), agent)
    .set(keys.agentByEmail(agent.email), agent.id)
    .commit();
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
