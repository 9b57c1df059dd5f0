/**
 * Rate limits of the visitor API, counted in KV (so every instance shares
 * them) per visitor, or per client address for starting sessions. A fixed
 * window per (subject, bucket); past the limit the caller gets a 429 with
 * `Retry-After` until the window ends.
 */
import { tooMany } from "../errors.ts";
import { keys } from "../store/keys.ts";

/**
 * Requests allowed per window, per visitor (sessions: per client address,
 * generous because every page view of every visitor behind one office NAT
 * starts one; a session costs a signature and no stored record).
 */
export const WIDGET_LIMITS = {
  sessions: { limit: 300, windowMs: 60_000 },
  messages: { limit: 30, windowMs: 60_000 },
  context: { limit: 60, windowMs: 60_000 },
  read: { limit: 240, windowMs: 60_000 },
} as const;

export type WidgetBucket = keyof typeof WIDGET_LIMITS;

interface Window {
  count: number;
  windowStart: number;
}

/** Counts one request of `subject` in `bucket`; throws a 429 when over the limit. */
export async function takeWidgetQuota(
  kv: Deno.Kv,
  subject: string,
  bucket: WidgetBucket,
  limits: Record<WidgetBucket, { limit: number; windowMs: number }> = WIDGET_LIMITS,
): Promise<void> {
  const { limit, windowMs } = limits[bucket];
  const key = keys.widgetRate(subject.slice(0, 200), bucket);
  for (let attempt = 0; attempt < 20; attempt++) {
    const now = Date.now();
    const entry = await kv.get<Window>(key);
    const current = entry.value && now - entry.value.windowStart < windowMs
      ? entry.value
      : { count: 0, windowStart: now };
    if (current.count >= limit) {
      const retry = Math.max(1, Math.ceil((current.windowStart + windowMs - now) / 1000));
      throw tooMany("Too many requests from this visitor; slow down.", retry);
    }
    const next = { count: current.count + 1, windowStart: current.windowStart };
    const expireIn = Math.max(1000, current.windowStart + windowMs - now);
    const result = await kv.atomic().check(entry).set(key, next, { expireIn }).commit();
    if (result.ok) return;
  }
  throw tooMany("Too many requests from this visitor; slow down.", 1);
}
