/**
 * Forms without JavaScript (the admin console, invites): read the posted form, run the action,
 * and on a typed error re-render with a message and the errors next to the fields; on success
 * redirect (303) with a fixed notice. Anything that is not a typed error is rethrown (a real 500).
 */
import type { Context } from "hono";
import { AppError } from "../errors.ts";
import { type MessageKey, t } from "../i18n/mod.ts";

/** Refusals a form words in the page's language, by the error's code (the API keeps English). */
const REFUSAL_WORDS: Record<string, MessageKey> = {
  contact_has_open_chat: "admin.refusal.contactHasOpenChat",
  already_revoked: "admin.refusal.alreadyRevoked",
  default_site: "admin.refusal.defaultSite",
};

/** Turns a parsed form body into a flat record of strings (files are ignored). */
function formRecord(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
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
  if (
    !(err instanceof AppError) || err.status === 401 || err.status === 413 || err.status === 415
  ) throw err;
  const fields = (err.details as { fields?: Record<string, string> } | undefined)?.fields ?? {};
  const refusal = REFUSAL_WORDS[err.code];
  const message = Object.keys(fields).length
    ? t("admin.form.fixFields")
    : refusal
    ? t(refusal)
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

const NOTICES = [
  "created",
  "saved",
  "deleted",
  "deactivated",
  "reactivated",
  "password",
  "imported",
  "tested",
  "revoked",
] as const;

/** The notice for `?notice=CODE` after a redirect (fixed texts only), in the page's language. */
export function noticeFrom(c: Context): string | null {
  const code = c.req.query("notice") ?? "";
  return (NOTICES as readonly string[]).includes(code)
    ? t(`notice.${code as typeof NOTICES[number]}`)
    : null;
}
