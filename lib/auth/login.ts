/** Signing staff in and out: one rule used by the sign-in page and the JSON API. */
import { unauthorized } from "../errors.ts";
import { type Agent, getAgentByEmail } from "../store/agents.ts";
import { dummyPasswordHash, verifyPassword } from "../password.ts";
import { createSession } from "./sessions.ts";
import { assertNotThrottled, clearFailures, recordFailure } from "./throttle.ts";

export const WRONG_CREDENTIALS = "The email or password is wrong.";

/**
 * Checks the credentials and opens a session. A wrong email and a wrong
 * password get the same 401 after the same work; repeated failures get a 429.
 */
export async function signIn(
  kv: Deno.Kv,
  input: { email: string; password: string; address: string },
  options: { iterations: number; sessionTtlMs: number },
): Promise<{ agent: Agent; token: string }> {
  const email = input.email.trim().toLowerCase();
  await assertNotThrottled(kv, email, input.address);
  const agent = await getAgentByEmail(kv, email);
  const hash = agent?.passwordHash ?? await dummyPasswordHash(options.iterations);
  const ok = await verifyPassword(input.password, hash);
  if (!agent || !ok || !agent.active) {
    await recordFailure(kv, email, input.address);
    throw unauthorized(WRONG_CREDENTIALS);
  }
  await clearFailures(kv, email);
  return { agent, token: await createSession(kv, agent.id, options.sessionTtlMs) };
}
