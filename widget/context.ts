/**
 * What the host page tells Parley about the visitor: `addContext(obj)` and
 * `setUser({name, email})`. Both are validated here (schemas.ts), gathered,
 * and sent as one `POST context` once the chat has started; the server merges
 * them (or keeps them for the first message). One bad value never costs the
 * others: a key with a value of the wrong type is left out with a console
 * warning naming it, and keys the server refuses (too long, too many, too
 * large) are warned about by name while the rest is sent again and stored.
 * A network failure or a 429 is retried with backoff, keeping what came since.
 */
import type { ApiError } from "./api.ts";
import { backoff } from "./backoff.ts";
import { ContextValue, is, UserInput } from "./schemas.ts";

export function createContextSender(
  post: (body: { context: Record<string, unknown>; user?: unknown }) => Promise<unknown>,
  ready: () => boolean,
) {
  let ctx: Record<string, unknown> = {};
  let pendingUser: unknown = null;
  let busy = false;
  let tries = 0;

  /**
   * Sends after the current task: calls made together (the page's queued `addContext`s replayed
   * at start) go in one request, so they reach the server before the visitor's first message.
   */
  const soon = () => queueMicrotask(() => flush());

  /** Sends what is pending, one request at a time. */
  async function flush(): Promise<void> {
    if (!ready() || busy) return;
    const context = ctx, user = pendingUser;
    if (!Object.keys(context).length && !user) return;
    ctx = {};
    pendingUser = null;
    busy = true;
    let again = true;
    try {
      await post({ context, ...(user ? { user } : {}) });
      tries = 0;
    } catch (err) {
      const e = err as ApiError;
      if (e.status >= 400 && e.status < 500 && e.status !== 429) {
        const bad = e.details?.rejected ?? {};
        const names = Object.keys(bad);
        console.warn(
          names.length
            ? `Parley: addContext: not stored: ${names.map((k) => `"${k}" (${bad[k]})`).join(", ")}`
            : `Parley: context refused by the server: ${e.message}`,
        );
        // The rest is fine: send it again without the refused keys.
        for (const k of names) delete context[k];
        if (names.length && Object.keys(context).length) ctx = { ...context, ...ctx };
        if (names.length && user) pendingUser ??= user;
      } else {
        ctx = { ...context, ...ctx };
        pendingUser ??= user;
        again = false;
        setTimeout(() => flush(), backoff(tries++));
      }
    } finally {
      busy = false;
    }
    if (again) flush();
  }

  return {
    flush,
    add(data: unknown): void {
      if (!data || typeof data !== "object" || Array.isArray(data)) {
        console.warn("Parley: addContext takes an object of text, number or true/false values.");
        return;
      }
      const bad: string[] = [];
      for (const [k, v] of Object.entries(data)) {
        if (is(v, ContextValue)) ctx[k] = v;
        else bad.push(k);
      }
      if (bad.length) {
        console.warn(
          `Parley: addContext: not stored (values must be text, numbers, true/false or null): ${
            bad.join(", ")
          }`,
        );
      }
      soon();
    },
    setUser(user: unknown): void {
      if (!is(user, UserInput)) {
        console.warn("Parley: setUser takes { name, email } with text values.");
        return;
      }
      pendingUser = user;
      soon();
    },
  };
}
