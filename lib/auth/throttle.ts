/**
 * Sign-in throttling, counted in KV so every instance shares it. Each attempt
 * is RESERVED before its password is hashed, with an atomic check-and-set on
 * a fixed-window counter: simultaneous guesses cannot all pass a limit that
 * each of them read before the others counted. A reservation counts whatever
 * the outcome; only a successful sign-in gives its own slot back (so honest
 * sign-ins never use up a budget meant for guesses).
 *
 * Three limits, checked in this order (a refusal stops there, so a locked
 * address cannot also burn the account's budget):
 * - per client address: {@link ADDRESS_LIMIT} attempts per 15 minutes;
 * - per email from one address: {@link PAIR_LIMIT} per 15 minutes: a guesser
 *   locks out their own address, not the owner elsewhere;
 * - per email from everywhere: {@link ACCOUNT_LIMIT} per 5 minutes: a short
 *   account lock against guessing from many addresses. Its 429 says when it
 *   lifts, and it spares addresses the account signed in from in the last
 *   30 days, so a spread-out attack cannot keep the owner out.
 *
 * The counters are lib/store/window_counter.ts's: exact under racing
 * attempts, on one instance or several.
 * Password hashing itself runs through {@link KeyedGate}s: at most a few at
 * once per email, per address and per instance, so a burst queues instead of
 * eating the CPU.
 */
import { tooMany } from "../errors.ts";
import { keys } from "../store/keys.ts";
import { clearCounter, giveSlot, takeSlot } from "../store/window_counter.ts";

export const ADDRESS_LIMIT = 30;
export const PAIR_LIMIT = 5;
export const ACCOUNT_LIMIT = 20;
const ADDRESS_WINDOW_MS = 15 * 60_000;
const PAIR_WINDOW_MS = 15 * 60_000;
const ACCOUNT_WINDOW_MS = 5 * 60_000;
/** How long an address where an account signed in stays exempt from the account lock. */
const KNOWN_ADDRESS_MS = 30 * 24 * 3600_000;

/** A reserved attempt: give it back with {@link releaseAttempt} when it succeeds. */
export interface Reservation {
  email: string;
  address: string;
  /** The counters this attempt holds a slot in, with the window each slot belongs to. */
  held: { key: Deno.KvKey; windowStart: number; windowMs: number }[];
}

function inWords(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * Reserves one sign-in attempt for `email` from `address`, before any
 * password is checked. Throws a 429 (with Retry-After) when a limit is reached.
 */
export async function reserveAttempt(
  kv: Deno.Kv,
  email: string,
  address: string,
): Promise<Reservation> {
  const reservation: Reservation = { email, address, held: [] };
  const addressKey = keys.loginAttempts("ip", address);
  const byAddress = await takeSlot(kv, addressKey, ADDRESS_LIMIT, ADDRESS_WINDOW_MS);
  if (!byAddress.ok) {
    throw tooMany(
      `Too many sign-in attempts from your network. Try again in ${inWords(byAddress.retryAfter)}.`,
      byAddress.retryAfter,
    );
  }
  reservation.held.push({
    key: addressKey,
    windowStart: byAddress.windowStart,
    windowMs: ADDRESS_WINDOW_MS,
  });
  const pairKey = keys.loginAttempts("pair", email, address);
  const byPair = await takeSlot(kv, pairKey, PAIR_LIMIT, PAIR_WINDOW_MS);
  if (!byPair.ok) {
    throw tooMany(
      `Too many failed sign-in attempts for this account. Try again in ${
        inWords(byPair.retryAfter)
      }.`,
      byPair.retryAfter,
    );
  }
  reservation.held.push({
    key: pairKey,
    windowStart: byPair.windowStart,
    windowMs: PAIR_WINDOW_MS,
  });
  const known = await kv.get(keys.loginKnownAddress(email, address));
  if (known.value) return reservation;
  const accountKey = keys.loginAttempts("account", email);
  const byAccount = await takeSlot(kv, accountKey, ACCOUNT_LIMIT, ACCOUNT_WINDOW_MS);
  if (!byAccount.ok) {
    const until = new Date(Date.now() + byAccount.retryAfter * 1000).toISOString().slice(11, 16);
    throw tooMany(
      `This account is locked for ${
        inWords(byAccount.retryAfter)
      } (until ${until} UTC) after many failed sign-in attempts.`,
      byAccount.retryAfter,
    );
  }
  reservation.held.push({
    key: accountKey,
    windowStart: byAccount.windowStart,
    windowMs: ACCOUNT_WINDOW_MS,
  });
  return reservation;
}

/**
 * The attempt signed in: its slots are given back, the guesses counted
 * against this email from this address are forgotten, and the address is
 * remembered as one the account signs in from.
 */
export async function releaseAttempt(kv: Deno.Kv, reservation: Reservation): Promise<void> {
  const { email, address } = reservation;
  await Promise.all(reservation.held.map((h) => giveSlot(kv, h.key, h.windowStart, h.windowMs)));
  await clearCounter(kv, keys.loginAttempts("pair", email, address));
  await kv.set(keys.loginKnownAddress(email, address), true, { expireIn: KNOWN_ADDRESS_MS });
}

/**
 * At most `limit` runs at once per key. `run(keys, fn)` waits for a free slot
 * of every key (taken in sorted order, so two runs never wait on each other).
 */
export class KeyedGate {
  #slots = new Map<string, { busy: number; waiting: (() => void)[] }>();

  constructor(readonly limit: number) {}

  /** Keys with a run in progress or waiting. */
  get size(): number {
    return this.#slots.size;
  }

  async run<T>(gateKeys: string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(gateKeys)].sort();
    const taken: string[] = [];
    try {
      for (const key of sorted) {
        await this.#acquire(key);
        taken.push(key);
      }
      return await fn();
    } finally {
      for (const key of taken.reverse()) this.#release(key);
    }
  }

  async #acquire(key: string): Promise<void> {
    let slot = this.#slots.get(key);
    if (!slot) this.#slots.set(key, slot = { busy: 0, waiting: [] });
    if (slot.busy < this.limit) {
      slot.busy++;
      return;
    }
    // The releaser hands its slot over: busy stays the same.
    await new Promise<void>((resolve) => slot.waiting.push(resolve));
  }

  #release(key: string): void {
    const slot = this.#slots.get(key);
    if (!slot) return;
    const next = slot.waiting.shift();
    if (next) return next();
    if (--slot.busy === 0) this.#slots.delete(key);
  }
}
