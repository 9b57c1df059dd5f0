/**
 * The HTTP error handler's one rule: a thrown {@link AppError} becomes its status and JSON body;
 * a local KV file still busy after every retry (two instances on one SQLite file under load,
 * lib/store/sqlite_busy.ts) is a 503 to try again, since nothing was written; anything else is
 * logged and becomes a 500 that says nothing about the inside.
 */
import { AppError, errorBody } from "../errors.ts";
import { isStoreBusy } from "../store/sqlite_busy.ts";

/** Maps any thrown value to a JSON error response; unknown errors become a logged 500. */
export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (err.status === 429 && retry) headers["retry-after"] = String(retry);
    return Response.json(
      errorBody(err.code, err.message, err.status === 429 ? undefined : err.details),
      {
        status: err.status,
        headers,
      },
    );
  }
  if (isStoreBusy(err)) {
    return Response.json(
      errorBody("busy", "The store is busy with other writes; nothing was changed. Try again."),
      { status: 503, headers: { "retry-after": "1" } },
    );
  }
  console.error("unhandled error:", err);
  return Response.json(errorBody("internal", "Something went wrong on our side."), { status: 500 });
}
