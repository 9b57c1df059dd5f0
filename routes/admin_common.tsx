/**
 * Shared plumbing of the `/admin` pages: the admin-only guard (a signed-out
 * visitor is sent to sign in, other roles get a 403 page), form reading, and
 * turning a typed error into a form message plus field errors. Pages work
 * without JavaScript: forms post, and the server redirects or re-renders with
 * the errors next to the fields.
 */
import type { Context, MiddlewareHandler } from "hono";
import { Layout } from "../components/Layout.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { AppError } from "../lib/errors.ts";
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

/** The HTTP status an admin page renders with: 200, or a failed form's status. */
export type PageStatus = 200 | FormFailure["status"];

/** What a page re-rendered after a failed form shows: the posted values and the errors. */
export interface FormState {
  values?: Record<string, string>;
  fields?: Record<string, string>;
  error?: string;
  status?: PageStatus;
}

/** The page state for a failed form: `values` back in the fields, the errors beside them. */
export function failedForm(failure: FormFailure, values: Record<string, string>): FormState {
  return { values, fields: failure.fields, error: failure.message, status: failure.status };
}

/**
 * Runs a form action: `run` answers with where to redirect (303) or a whole
 * response; a typed error instead re-renders through `failed`, anything else
 * is rethrown (a real 500).
 */
export async function formAction(
  c: Context,
  run: () => Promise<string | Response>,
  failed: (failure: FormFailure) => Response | Promise<Response>,
): Promise<Response> {
  try {
    const done = await run();
    return typeof done === "string" ? c.redirect(done, 303) : done;
  } catch (err) {
    return await failed(formFailure(err));
  }
}

/** Reads the posted form, then runs it as {@link formAction}; `failed` gets the form back. */
export async function formPost(
  c: Context,
  run: (form: Record<string, string>) => Promise<string | Response>,
  failed: (failure: FormFailure, form: Record<string, string>) => Response | Promise<Response>,
): Promise<Response> {
  const form = await readForm(c);
  return await formAction(c, () => run(form), (failure) => failed(failure, form));
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
  revoked: "API key revoked: requests with it are refused from now on.",
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
