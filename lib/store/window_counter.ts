/**
 * Fixed-window counters in KV that stay exact under concurrency: the sign-in
 * throttle (lib/auth/throttle.ts) and the widget's rate limits
 * (lib/channels/webchat_limits.ts) count with them.
 *
 * A slot is taken with an atomic check-and-set of `{count, windowStart}`, so
 * two takers can never both see the last free slot. Inside one process the
 * takers of one key wait their turn (an in-process queue), so they never
 * conflict with each other and none is refused for a race it lost; across
 * instances a lost race is read again after a short random pause. A counter
 * that still cannot be taken after {@link MAX_ROUNDS} lost races (only other
 * instances can win them) refuses: a limit fails closed.
 */

export interface WindowCounter {
  count: number;
  windowStart: number;
}

export type SlotResult = { ok: true; windowStart: number } | { ok: false; retryAfter: number };

const MAX_ROUNDS = 50;

/** Per-key turns inside this process (per KV handle, then per key). */
const turns = new WeakMap<Deno.Kv, Map<string, Promise<unknown>>>();

async function inTurn<T>(kv: Deno.Kv, key: Deno.KvKey, work: () => Promise<T>): Promise<T> {
  let queue = turns.get(kv);
  if (!queue) turns.set(kv, queue = new Map());
  const id = JSON.stringify(key);
  const before = queue.get(id) ?? Promise.resolve();
  const mine = before.then(work, work);
  const settled = mine.catch(() => {});
  queue.set(id, settled);
  try {
    return await mine;
  } finally {
    if (queue.get(id) === settled) queue.delete(id);
  }
}

const pause = (round: number) =>
  new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** round)));

/**
 * Takes one slot of the counter at `key` (at most `limit` per `windowMs`,
 * the window starting at its first slot). Returns the window the slot counts
 * in, or the whole seconds until the window ends.
 */
export function takeSlot(
  kv: Deno.Kv,
  key: Deno.KvKey,
  limit: number,
  windowMs: number,
): Promise<SlotResult> {
  return inTurn(kv, key, async () => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = Date.now();
      const entry = await kv.get<WindowCounter>(key);
      const current = entry.value && now - entry.value.windowStart < windowMs
        ? entry.value
        : { count: 0, windowStart: now };
      const left = current.windowStart + windowMs - now;
      if (current.count >= limit) {
        return { ok: false, retryAfter: Math.max(1, Math.ceil(left / 1000)) };
      }
      const next = { count: current.count + 1, windowStart: current.windowStart };
      const result = await kv.atomic().check(entry).set(key, next, {
        expireIn: Math.max(1000, left),
      }).commit();
      if (result.ok) return { ok: true, windowStart: current.windowStart };
      await pause(round); // another instance counted first: read again
    }
    return { ok: false, retryAfter: 1 };
  });
}

/** Gives back a slot taken in `windowStart` (once a new window began there is nothing to give). */
export function giveSlot(
  kv: Deno.Kv,
  key: Deno.KvKey,
  windowStart: number,
  windowMs: number,
): Promise<void> {
  return inTurn(kv, key, async () => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const entry = await kv.get<WindowCounter>(key);
      const value = entry.value;
      if (!value || value.windowStart !== windowStart || value.count === 0) return;
      const left = value.windowStart + windowMs - Date.now();
      const result = await kv.atomic().check(entry).set(key, {
        count: value.count - 1,
        windowStart,
      }, { expireIn: Math.max(1000, left) }).commit();
      if (result.ok) return;
      await pause(round);
    }
  });
}

/** Deletes the counter at `key`, in turn with its takers. */
export function clearCounter(kv: Deno.Kv, key: Deno.KvKey): Promise<void> {
  return inTurn(kv, key, () => kv.delete(key));
}
