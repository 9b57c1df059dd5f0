/**
 * Rate limits of the visitor API, counted in KV (so every instance shares
 * them) per visitor, or per client address for starting sessions. A fixed
 * window per (subject, bucket), counted exactly under concurrency
 * (lib/store/window_counter.ts: an honest burst is never refused for a race
 * it lost); past the limit the caller gets a 429 with `Retry-After` until
 * the window ends.
 */
import { tooMany } from "../errors.ts";
import { keys } from "../store/keys.ts";
import { takeSlot } from "../store/window_counter.ts";

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
  uploads: { limit: 20, windowMs: 60_000 },
} as const;

export type WidgetBucket = keyof typeof WIDGET_LIMITS;

/** Counts one request of `subject` in `bucket`; throws a 429 when over the limit. */
export async function takeWidgetQuota(
  kv: Deno.Kv,
  subject: string,
  bucket: WidgetBucket,
  limits: Record<WidgetBucket, { limit: number; windowMs: number }> = WIDGET_LIMITS,
): Promise<void> {
  const { limit, windowMs } = limits[bucket];
  const slot = await takeSlot(kv, keys.widgetRate(subject.slice(0, 200), bucket), limit, windowMs);
  if (!slot.ok) throw tooMany("Too many requests from this visitor; slow down.", slot.retryAfter);
}
