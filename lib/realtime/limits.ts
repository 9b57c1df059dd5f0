/**
 * Limits of the real-time connections, in one place: the per-connection rate
 * limit (token bucket), the bounded send queue, and heartbeat intervals.
 */

/** Client frames a connection may send: a burst of this many ... */
export const FRAME_BURST = 40;
/** ... refilled at this many per second. */
export const FRAMES_PER_SECOND = 20;
/** `send` frames (messages) a connection may send: burst, then per second. */
export const SEND_BURST = 20;
/** ... refilled at this many per second. */
export const SENDS_PER_SECOND = 10;
/** After this many refused frames in a row the connection is closed (1008 policy violation). */
export const MAX_REFUSALS_IN_A_ROW = 50;
/**
 * Bytes a connection may have waiting to be written (the WebSocket's
 * `bufferedAmount`, or the SSE queue) before it is judged too slow and closed
 * so it cannot hold memory or slow the others.
 */
export const MAX_QUEUED_BYTES = 1024 * 1024;
/**
 * Characters of events an SSE stream may hold behind a write its client has
 * not taken yet. Larger than one catch-up page of the log (500 changes with
 * their conversation records), so a healthy client catching up is never cut.
 */
export const MAX_SSE_QUEUED = 4 * 1024 * 1024;
/** SSE heartbeat comment interval. */
export const SSE_HEARTBEAT_MS = 15_000;
/** WebSocket close code for a slow consumer (try again later). */
export const CLOSE_TOO_SLOW = 1013;
/** WebSocket close code for a policy violation (too many bad or rate-limited frames). */
export const CLOSE_POLICY = 1008;

/** Conversations one connection may subscribe to at once. */
export const MAX_SUBSCRIPTIONS = 50;
/** Log entries per catch-up page (at most ~0.5 MB of full-length messages). */
export const CATCH_UP_PAGE = 100;
/** Catch-up sends the next page once fewer bytes than this wait to be sent... */
export const DRAIN_BELOW_BYTES = 256 * 1024;
/** ...and gives up on a client that has not taken a page in this long. */
export const DRAIN_WAIT_MS = 30_000;
/** How often a staff socket re-checks its session and account (at its next frame). */
export const RECHECK_MS = 5_000;
/**
 * How often a visitor socket re-checks its token's site and the page's origin
 * (at its next frame). Longer than staff: visitors are many and chatty (at
 * 5 s, every other message of a typical chat waited for the check), and a
 * site is rarely removed.
 */
export const VISITOR_RECHECK_MS = 60_000;
/** A repeated "typing: true" within this long is not published again (each costs a KV write). */
export const TYPING_REPEAT_MS = 1_500;

/** A token bucket: `take()` is true while tokens remain; refills continuously. */
export class TokenBucket {
  #tokens: number;
  #last = performance.now();
  constructor(readonly burst: number, readonly perSecond: number) {
    this.#tokens = burst;
  }

  take(n = 1): boolean {
    const now = performance.now();
    this.#tokens = Math.min(
      this.burst,
      this.#tokens + ((now - this.#last) / 1000) * this.perSecond,
    );
    this.#last = now;
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }
}

/**
 * Shared buckets keyed by an identity (e.g. a visitor id), so opening more
 * connections does not multiply a visitor's allowance on this instance.
 * Entries idle for a minute are dropped.
 */
export class BucketPool {
  #buckets = new Map<string, { bucket: TokenBucket; used: number }>();
  constructor(readonly burst: number, readonly perSecond: number) {}

  take(key: string, n = 1): boolean {
    const now = Date.now();
    if (this.#buckets.size > 10_000) {
      for (const [k, v] of this.#buckets) if (now - v.used > 60_000) this.#buckets.delete(k);
    }
    let entry = this.#buckets.get(key);
    if (!entry) {
      this.#buckets.set(
        key,
        entry = { bucket: new TokenBucket(this.burst, this.perSecond), used: now },
      );
    }
    entry.used = now;
    return entry.bucket.take(n);
  }
}
