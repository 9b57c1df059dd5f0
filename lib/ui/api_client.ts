/**
 * The workspace's one way to call the staff JSON API (docs/api.md): JSON in and out, a 401 sends
 * the page to sign-in, and a refusal becomes an {@link ApiError} worded in the page's language
 * when its code is known. Its own module so that everything in lib/ui that calls the API
 * (actions, attachments, search) imports it without importing each other.
 */
import { CATALOGS, type MessageKey, t } from "../i18n/mod.ts";

/** An API answer that was not 2xx, with the server's reason. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field errors the server named (`error.details.fields`), if any. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * JSON request to the staff API, answered with `T` (the shape docs/api.md
 * gives for the route); throws {@link ApiError} with the server's message.
 */
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  }
  if (res.status === 401) {
    location.href = "/login";
    throw new ApiError(401, "unauthorized", t("error.signedOut"));
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch { /* not JSON */ }
  if (!res.ok) {
    const error = (json as {
      error?: { code?: string; message?: string; details?: { fields?: Record<string, string> } };
    } | null)?.error;
    // The API's messages are English (a contract); the page says it in its own language when it
    // knows the code, and in the API's words otherwise.
    const code = error?.code ?? "error";
    const known = `error.${code}` as MessageKey;
    throw new ApiError(
      res.status,
      code,
      known in CATALOGS.en
        ? t(known)
        : error?.message ?? t("error.requestFailed", { status: String(res.status) }),
      error?.details?.fields ?? {},
    );
  }
  return json as T;
}
