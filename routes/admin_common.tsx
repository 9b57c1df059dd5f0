/**
 * Shared plumbing of the `/admin` pages: the admin-only guard (a signed-out
 * visitor is sent to sign in, other roles get a 403 page), form reading, and
 * turning a typed error into a form message plus field errors. Pages work
 * without JavaScript: forms post, and the server redirects or re-renders with
 * the errors next to the fields.
 */
import type { Context, MiddlewareHandler } from "hono";
import { Layout } from "../components/Layout.tsx";
import type { AppDeps, AppEnv } from "../lib/http/context.ts";
import { AppError } from "../lib/http/errors.ts";
import { renderPage } from "../lib/http/render.ts";
import { formRecord } from "../lib/admin/fields.ts";

/** Admin pages only: redirect to sign-in when signed out, 403 page for other roles. */
export function adminPageGuard(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function adminPageGuard(c, next) {
    const agent = c.get("agent");
    if (!agent) return c.redirect("/login");
    if (agent.role !== "admin") {
      return renderPage(
        c,
        <Layout title="Not allowed · Parley" assets={deps.assets} scripts={false}>
          <main class="p-6">
            <h1 class="text-xl font-semibold mb-2">Admins only</h1>
            <p class="mb-4">The admin console needs the admin role.</p>
            <a href="/" class="underline text-brand-700">Back to the workspace</a>
          </main>
        </Layout>,
        403,
      );
    }
    await next();
  };
}

/** The posted form as strings. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  // A broken body (e.g. malformed multipart) reads as empty, so the form answers 400, not 500.
  return formRecord(await c.req.parseBody().catch(() => ({})));
}

/** What a failed form submission shows: a message and the per-field errors. */
export interface FormFailure {
  status: 400 | 403 | 404 | 409 | 429;
  message: string;
  fields: Record<string, string>;
}

/** Maps a typed error to a form failure; rethrows anything else (a real 500). */
export function formFailure(err: unknown): FormFailure {
  if (!(err instanceof AppError) || err.status === 401 || err.status === 413) throw err;
  const fields = (err.details as { fields?: Record<string, string> } | undefined)?.fields ?? {};
  const message = Object.keys(fields).length
    ? "Please correct the fields marked below."
    : err.message;
  return { status: err.status, message, fields };
}

const NOTICES: Record<string, string> = {
  created: "Created.",
  saved: "Changes saved.",
  deleted: "Deleted.",
  deactivated: "Account deactivated: its sessions ended and its chats went back to the queue.",
  reactivated: "Account reactivated.",
  password: "Password changed; the account's sessions ended.",
  imported: "Import done.",
  tested: "Connection tested.",
};

/** The notice for `?notice=CODE` after a redirect (fixed texts only). */
export function noticeFrom(c: Context): string | null {
  return NOTICES[c.req.query("notice") ?? ""] ?? null;
}

/**
 * Answers 404 for a path segment too long to be an id, before a handler uses
 * it in a KV key (keys are limited to 2 KiB; a longer one would throw).
 */
export function rejectOverlongIds(): MiddlewareHandler<AppEnv> {
  return async function rejectOverlongIds(c, next) {
    if (c.req.path.split("/").some((segment) => segment.length > 200)) {
      throw new AppError(404, "not_found", "No such record.");
    }
    await next();
  };
}
