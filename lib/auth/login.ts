/** Signing staff in and out: one rule used by the sign-in page and the JSON API. */
import { unauthorized } from "../errors.ts";
import { type Agent, getAgentByEmail } from "../store/agents.ts";
import { dummyPasswordHash, verifyPassword } from "../password.ts";
import { createSession } from "./sessions.ts";
import { KeyedGate, releaseAttempt, reserveAttempt } from "./throttle.ts";

export const WRONG_CREDENTIALS = "The email or password is wrong.";

/** Password checks running at once, per email and per address (the rest wait their turn). */
const hashingPerKey = new KeyedGate(2);
/** Password checks running at once in this instance: about one per core. */
const hashingHere = new KeyedGate(Math.max(2, navigator.hardwareConcurrency ?? 2));

/**
 * Checks the credentials and opens a session. The attempt is counted before
 * the password is checked (lib/auth/throttle.ts: 429 past a limit); a wrong
 * email and a wrong password get the same 401 after the same work.
 */
export async function signIn(
  kv: Deno.Kv,
  input: { email: string; password: string; address: string },
  options: { iterations: number; sessionTtlMs: number },
): Promise<{ agent: Agent; token: string }> {
  const email = input.email.trim().toLowerCase();
  const reservation = await reserveAttempt(kv, email, input.address);
  const signedIn = await hashingPerKey.run(
    [`email:${email}`, `ip:${input.address}`],
    () =>
      hashingHere.run(["*"], async () => {
        const agent = await getAgentByEmail(kv, email);
        const hash = agent?.passwordHash ?? await dummyPasswordHash(options.iterations);
        const matches = await verifyPassword(input.password, hash);
        return matches && agent?.active ? agent : null;
      }),
  );
  if (!signedIn) throw unauthorized(WRONG_CREDENTIALS);
  await releaseAttempt(kv, reservation);
  return { agent: signedIn, token: await createSession(kv, signedIn.id, options.sessionTtlMs) };
}
