/**
 * First-run setup. With no account and no ADMIN_* variables, a one-time setup
 * code is kept in KV and printed in the server log; `/setup` creates the first
 * admin only with that code, so a stranger who reaches the server first cannot
 * claim it. Once any account exists, setup is closed for good.
 */
import { constantTimeEqual } from "../password.ts";
import { conflict, forbidden } from "../errors.ts";
import { randomToken } from "../ids.ts";
import { type Agent, createAgent, hasAnyAgent, type NewAgent } from "../store/agents.ts";
import { keys } from "../store/keys.ts";

/** Returns the setup code (creating it if needed), or null when setup is closed. */
export async function ensureSetupCode(kv: Deno.Kv): Promise<string | null> {
  if (await hasAnyAgent(kv)) return null;
  const existing = await kv.get<string>(keys.setupCode());
  if (existing.value) return existing.value;
  const code = randomToken(9);
  const result = await kv.atomic().check(existing).set(keys.setupCode(), code).commit();
  return result.ok ? code : (await kv.get<string>(keys.setupCode())).value;
}

export async function isSetupOpen(kv: Deno.Kv): Promise<boolean> {
  return !(await hasAnyAgent(kv));
}

/** Creates the first admin when the code matches; the code is spent in the same step. */
export async function completeSetup(
  kv: Deno.Kv,
  code: string,
  admin: Omit<NewAgent, "role">,
  iterations: number,
): Promise<Agent> {
  if (!(await isSetupOpen(kv))) throw conflict("setup_closed", "Setup is already complete.");
  const stored = await kv.get<string>(keys.setupCode());
  const enc = new TextEncoder();
  if (!stored.value || !constantTimeEqual(enc.encode(stored.value), enc.encode(code.trim()))) {
    throw forbidden("The setup code is wrong. It is printed in the server log.");
  }
  const spent = await kv.atomic().check(stored).delete(keys.setupCode()).commit();
  if (!spent.ok) throw conflict("setup_closed", "Setup is already complete.");
  return await createAgent(kv, { ...admin, role: "admin" }, iterations);
}

/** Creates the admin from ADMIN_EMAIL/ADMIN_PASSWORD when no account exists yet. */
export async function bootstrapAdminFromEnv(
  kv: Deno.Kv,
  email: string,
  password: string,
  iterations: number,
): Promise<Agent | null> {
  if (await hasAnyAgent(kv)) return null;
  const agent = await createAgent(
    kv,
    { name: "Admin", email, password, role: "admin" },
    iterations,
  );
  await kv.delete(keys.setupCode());
  return agent;
}
