/**
 * Sign-in throttling: failed attempts are counted per email and per client
 * address in KV (so every instance sees them) over a sliding window; past the
 * limit the caller gets a 429 until the window passes.
 */
import { tooMany } from "../errors.ts";
import { keys } from "../store/keys.ts";

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

interface Failures {
  count: number;
  firstAt: number;
}

/** Throws a 429 when this email or address has failed too often recently. */
export async function assertNotThrottled(
  kv: Deno.Kv,
  email: string,
  address: string,
): Promise<void> {
  const [byEmail, byAddress] = await kv.getMany<[Failures, Failures]>([
    keys.loginFailures("email", email),
    keys.loginFailures("ip", address),
  ]);
  const over = (byEmail.value?.count ?? 0) >= MAX_FAILURES_PER_EMAIL ||
    (byAddress.value?.count ?? 0) >= MAX_FAILURES_PER_ADDRESS;
  if (over) {
    const firstAt = Math.min(
      byEmail.value?.firstAt ?? Infinity,
      byAddress.value?.firstAt ?? Infinity,
    );
    const retry = Math.max(1, Math.ceil((firstAt + THROTTLE_WINDOW_MS - Date.now()) / 1000));
    throw tooMany("Too many failed sign-in attempts. Try again later.", retry);
  }
}

async function bump(kv: Deno.Kv, key: Deno.KvKey): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await kv.get<Failures>(key);
    const next: Failures = current.value
      ? { count: current.value.count + 1, firstAt: current.value.firstAt }
      : { count: 1, firstAt: Date.now() };
    const remaining = Math.max(1000, next.firstAt + THROTTLE_WINDOW_MS - Date.now());
    const result = await kv.atomic().check(current).set(key, next, { expireIn: remaining })
      .commit();
    if (result.ok) return;
  }
}

export async function recordFailure(kv: Deno.Kv, email: string, address: string): Promise<void> {
  await Promise.all([
    bump(kv, keys.loginFailures("email", email)),
    bump(kv, keys.loginFailures("ip", address)),
  ]);
}

export async function clearFailures(kv: Deno.Kv, email: string): Promise<void> {
  await kv.delete(keys.loginFailures("email", email));
}
