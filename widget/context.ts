/**
 * What the host page tells Parley about the visitor: `addContext(obj)` and
 * `setUser({name, email})`. Both are validated here (superstruct), gathered,
 * and sent as one `POST context` once the chat has started; the server merges
 * them (or keeps them for the first message). A refusal is a console warning;
 * a network failure or a 429 is retried with backoff, keeping what came since.
 */
import type { ApiError } from "./api.ts";
import { backoff } from "./backoff.ts";
import { ContextInput, is, UserInput } from "./schemas.ts";

export function createContextSender(
  post: (body: { context: Record<string, unknown>; user?: unknown }) => Promise<unknown>,
  ready: () => boolean,
) {
  let ctx: Record<string, unknown> = {};
  let pendingUser: unknown = null;
  let busy = false;
  let tries = 0;

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
        console.warn(`Parley: context refused by the server: ${e.message}`);
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
      if (!is(data, ContextInput)) {
        console.warn("Parley: addContext takes an object of text, number or true/false values.");
        return;
      }
      Object.assign(ctx, data);
      flush();
    },
    setUser(user: unknown): void {
      if (!is(user, UserInput)) {
        console.warn("Parley: setUser takes { name, email } with text values.");
        return;
      }
      pendingUser = user;
      flush();
    },
  };
}
