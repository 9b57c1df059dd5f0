/**
 * Staff sessions: a random token in an HttpOnly cookie; KV keeps only its
 * SHA-256, with `expireIn`, so a leaked store does not leak live sessions.
 */
import { randomToken, sha256Hex } from "../ids.ts";
import { keys } from "../store/keys.ts";
import { type Agent, getAgent } from "../store/agents.ts";

export const SESSION_COOKIE = "parley_session";

export interface Session {
  agentId: string;
  createdAt: string;
  expiresAt: string;
}

export async function createSession(kv: Deno.Kv, agentId: string, ttlMs: number): Promise<string> {
  const token = randomToken();
  const hash = await sha256Hex(token);
  const now = Date.now();
  const session: Session = {
    agentId,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
  };
  await kv.atomic()
    .set(keys.session(hash), session, { expireIn: ttlMs })
    .set(keys.sessionByAgent(agentId, hash), true, { expireIn: ttlMs })
    .commit();
  return token;
}

/** The live session for a cookie token, or null (unknown, expired or malformed). */
export async function getSession(kv: Deno.Kv, token: string | undefined): Promise<Session | null> {
  if (!token || token.length > 200) return null;
  const session = (await kv.get<Session>(keys.session(await sha256Hex(token)))).value;
  if (!session || Date.parse(session.expiresAt) <= Date.now()) return null;
  return session;
}

export async function deleteSession(kv: Deno.Kv, token: string | undefined): Promise<void> {
  if (!token || token.length > 200) return;
  const hash = await sha256Hex(token);
  const session = (await kv.get<Session>(keys.session(hash))).value;
  const op = kv.atomic().delete(keys.session(hash));
  if (session) op.delete(keys.sessionByAgent(session.agentId, hash));
  await op.commit();
}

/** Ends every session of an agent (deactivation, password reset). */
export async function deleteAgentSessions(kv: Deno.Kv, agentId: string): Promise<void> {
  for await (const entry of kv.list({ prefix: keys.sessionsByAgentPrefix(agentId) })) {
    const hash = entry.key[entry.key.length - 1] as string;
    await kv.atomic().delete(keys.session(hash)).delete(entry.key).commit();
  }
}

/**
 * The staff member a session cookie token signs in: the session must be live
 * and the account active. Used by every request, stream and socket.
 */
export async function getSignedInAgent(
  kv: Deno.Kv,
  token: string | undefined,
): Promise<Agent | null> {
  const session = await getSession(kv, token);
  const agent = session ? await getAgent(kv, session.agentId) : null;
  return agent?.active ? agent : null;
}
