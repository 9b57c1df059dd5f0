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
 * Within one instance, attempts on one counter take turns (an in-process
 * queue), so they never conflict with each other; across instances a lost
 * race is retried, and a counter that cannot be taken refuses (fails closed).
 * Password hashing itself runs through {@link KeyedGate}s: at most a few at
 * once per email, per address and per instance, so a burst queues instead of
 * eating the CPU.
 */
import { tooMany } from "../errors.ts";
import { keys } from "../store/keys.ts";

export const ADDRESS_LIMIT = 30;
export const PAIR_LIMIT = 5;
export const ACCOUNT_LIMIT = 20;
const ADDRESS_WINDOW_MS = 15 * 60_000;
const PAIR_WINDOW_MS = 15 * 60_000;
const ACCOUNT_WINDOW_MS = 5 * 60_000;
/** How long an address where an account signed in stays exempt from the account lock. */
const KNOWN_ADDRESS_MS = 30 * 24 * 3600_000;

interface Counter {
  count: number;
  windowStart: number;
}

/** A reserved attempt: give it back with {@link releaseAttempt} when it succeeds. */
export interface Reservation {
  email: string;
  address: string;
  /** The counters this attempt holds a slot in, with the window each slot belongs to. */
  held: { key: Deno.KvKey; windowStart: number }[];
}

/** Per-key turns inside this process: a KV counter is read and written by one attempt at a time. */
const turns = new Map<string, Promise<unknown>>();

async function inTurn<T>(key: Deno.KvKey, work: () => Promise<T>): Promise<T> {
  const id = JSON.stringify(key);
  const before = turns.get(id) ?? Promise.resolve();
  const mine = before.then(work, work);
  const settled = mine.catch(() => {});
  turns.set(id, settled);
  try {
    return await mine;
  } finally {
    if (turns.get(id) === settled) turns.delete(id);
  }
}

/** Takes one slot of a counter; the window start it counted in, or the seconds until it frees. */
function take(
  kv: Deno.Kv,
  key: Deno.KvKey,
  limit: number,
  windowMs: number,
): Promise<{ ok: true; windowStart: number } | { ok: false; retryAfter: number }> {
  return inTurn(key, async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const now = Date.now();
      const entry = await kv.get<Counter>(key);
      const current = entry.value && now - entry.value.windowStart < windowMs
        ? entry.value
        : { count: 0, windowStart: now };
      const retryAfter = Math.max(1, Math.ceil((current.windowStart + windowMs - now) / 1000));
      if (current.count >= limit) return { ok: false, retryAfter };
      const next = { count: current.count + 1, windowStart: current.windowStart };
      const expireIn = Math.max(1000, current.windowStart + windowMs - now);
      const result = await kv.atomic().check(entry).set(key, next, { expireIn }).commit();
      if (result.ok) return { ok: true, windowStart: current.windowStart };
      // Another instance counted first: read again (after a short, random pause).
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
    return { ok: false, retryAfter: 1 }; // cannot count it: refuse rather than let it through
  });
}

/** Gives back a slot taken in `windowStart` (a later window started afresh: nothing to give). */
function give(kv: Deno.Kv, key: Deno.KvKey, windowStart: number): Promise<void> {
  return inTurn(key, async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry = await kv.get<Counter>(key);
      if (!entry.value || entry.value.windowStart !== windowStart || entry.value.count === 0) {
        return;
      }
      const next = { ...entry.value, count: entry.value.count - 1 };
      const expireIn = Math.max(1000, next.windowStart + windowMsOf(key) - Date.now());
      const result = await kv.atomic().check(entry).set(key, next, { expireIn }).commit();
      if (result.ok) return;
    }
  });
}

function windowMsOf(key: Deno.KvKey): number {
  return key[1] === "account"
    ? ACCOUNT_WINDOW_MS
    : key[1] === "ip"
    ? ADDRESS_WINDOW_MS
    : PAIR_WINDOW_MS;
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
  const byAddress = await take(kv, addressKey, ADDRESS_LIMIT, ADDRESS_WINDOW_MS);
  if (!byAddress.ok) {
    throw tooMany(
      `Too many sign-in attempts from your network. Try again in ${inWords(byAddress.retryAfter)}.`,
      byAddress.retryAfter,
    );
  }
  reservation.held.push({ key: addressKey, windowStart: byAddress.windowStart });
  const pairKey = keys.loginAttempts("pair", email, address);
  const byPair = await take(kv, pairKey, PAIR_LIMIT, PAIR_WINDOW_MS);
  if (!byPair.ok) {
    throw tooMany(
      `Too many failed sign-in attempts for this account. Try again in ${
        inWords(byPair.retryAfter)
      }.`,
      byPair.retryAfter,
    );
  }
  reservation.held.push({ key: pairKey, windowStart: byPair.windowStart });
  const known = await kv.get(keys.loginKnownAddress(email, address));
  if (known.value) return reservation;
  const accountKey = keys.loginAttempts("account", email);
  const byAccount = await take(kv, accountKey, ACCOUNT_LIMIT, ACCOUNT_WINDOW_MS);
  if (!byAccount.ok) {
    const until = new Date(Date.now() + byAccount.retryAfter * 1000).toISOString().slice(11, 16);
    throw tooMany(
      `This account is locked for ${
        inWords(byAccount.retryAfter)
      } (until ${until} UTC) after many failed sign-in attempts.`,
      byAccount.retryAfter,
    );
  }
  reservation.held.push({ key: accountKey, windowStart: byAccount.windowStart });
  return reservation;
}

/**
 * The attempt signed in: its slots are given back, the guesses counted
 * against this email from this address are forgotten, and the address is
 * remembered as one the account signs in from.
 */
export async function releaseAttempt(kv: Deno.Kv, reservation: Reservation): Promise<void> {
  const { email, address } = reservation;
  await Promise.all(reservation.held.map((h) => give(kv, h.key, h.windowStart)));
  const pairKey = keys.loginAttempts("pair", email, address);
  await inTurn(pairKey, () => kv.delete(pairKey));
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
