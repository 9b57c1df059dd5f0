/**
 * One-time invite links (keys in ./keys.ts). An admin creates an account
 * without a password; the invitee opens `/invite/TOKEN` and chooses one. KV
 * keeps only the token's SHA-256, with `expireIn`; a new invite for the same
 * agent replaces the old one, and using it deletes it in the same atomic
 * operation that sets the password, so a link works once.
 */
import { randomToken, sha256Hex } from "../ids.ts";
import { hashPassword } from "../password.ts";
import { badRequest } from "../errors.ts";
import type { Agent } from "./agents.ts";
import { addAudit } from "./audit.ts";
import { keys } from "./keys.ts";

export const INVITE_TTL_MS = 7 * 24 * 3600_000;

export interface Invite {
  agentId: string;
  createdAt: string;
  expiresAt: string;
}

/** Creates (or replaces) the invite of an agent and returns the raw token for the link. */
export async function createInvite(
  kv: Deno.Kv,
  agentId: string,
  ttlMs = INVITE_TTL_MS,
): Promise<string> {
  const token = randomToken();
  const hash = await sha256Hex(token);
  const previous = await kv.get<string>(keys.inviteByAgent(agentId));
  const now = Date.now();
  const invite: Invite = {
    agentId,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
  };
  const op = kv.atomic()
    .check(previous)
    .set(keys.invite(hash), invite, { expireIn: ttlMs })
    .set(keys.inviteByAgent(agentId), hash, { expireIn: ttlMs });
  if (previous.value) op.delete(keys.invite(previous.value));
  const result = await op.commit();
  if (!result.ok) return await createInvite(kv, agentId, ttlMs);
  return token;
}

/** The live invite and its account for a token, or null (unknown, used, expired, inactive). */
export async function getInvite(
  kv: Deno.Kv,
  token: string,
): Promise<{ invite: Invite; agent: Agent } | null> {
  if (!token || token.length > 200) return null;
  const invite = (await kv.get<Invite>(keys.invite(await sha256Hex(token)))).value;
  if (!invite || Date.parse(invite.expiresAt) <= Date.now()) return null;
  const agent = (await kv.get<Agent>(keys.agent(invite.agentId))).value;
  return agent && agent.active ? { invite, agent } : null;
}

/**
 * Sets the invitee's password and spends the invite, atomically, with an audit
 * entry (`agent.invite_accepted`). 400 `invite_invalid` otherwise.
 */
export async function acceptInvite(
  kv: Deno.Kv,
  token: string,
  password: string,
  iterations: number,
): Promise<Agent> {
  const invalid = () =>
    badRequest(
      "invite_invalid",
      "This invite link is no longer valid; ask an admin for a new one.",
    );
  if (!token || token.length > 200) throw invalid();
  const hash = await sha256Hex(token);
  const passwordHash = await hashPassword(password, iterations);
  const inviteEntry = await kv.get<Invite>(keys.invite(hash));
  const invite = inviteEntry.value;
  if (!invite || Date.parse(invite.expiresAt) <= Date.now()) throw invalid();
  const agentEntry = await kv.get<Agent>(keys.agent(invite.agentId));
  if (!agentEntry.value?.active) throw invalid();
  const agent = { ...agentEntry.value, passwordHash };
  const op = kv.atomic()
    .check(inviteEntry)
    .check(agentEntry)
    .set(keys.agent(agent.id), agent)
    .delete(keys.invite(hash))
    .delete(keys.inviteByAgent(agent.id));
  addAudit(op, {
    actorId: agent.id,
    actorName: agent.name,
    action: "agent.invite_accepted",
    targetType: "agent",
    targetId: agent.id,
    targetLabel: agent.email,
  });
  const result = await op.commit();
  if (!result.ok) throw invalid();
  return agent;
}

/** Revokes an agent's pending invite, if any (e.g. when an admin sets a password instead). */
export async function revokeInvite(kv: Deno.Kv, agentId: string): Promise<void> {
  const hash = (await kv.get<string>(keys.inviteByAgent(agentId))).value;
  if (!hash) return;
  await kv.atomic().delete(keys.invite(hash)).delete(keys.inviteByAgent(agentId)).commit();
}

/** True when the agent has an invite that has not been used yet. */
export async function hasPendingInvite(kv: Deno.Kv, agentId: string): Promise<boolean> {
  return (await kv.get(keys.inviteByAgent(agentId))).value !== null;
}
