/**
 * Typed errors thrown anywhere in Parley (store, engine, auth, channels, realtime, routes) and
 * mapped to answers in one place per transport (lib/http/error_response.ts for HTTP). A client
 * error body is always `{ "error": { "code": "snake_case", "message": "what was wrong" } }`.
 */

export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = "Sign in first.") =>
  new AppError(401, "unauthorized", message);
export const forbidden = (message = "You are not allowed to do this.") =>
  new AppError(403, "forbidden", message);
export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found.`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooLarge = (message = "The request body is too large.") =>
  new AppError(413, "too_large", message);
export const unsupportedMediaType = (message: string) =>
  new AppError(415, "unsupported_media_type", message);
export const tooMany = (message: string, retryAfterSeconds?: number) =>
  new AppError(
    429,
    "too_many_requests",
    message,
    retryAfterSeconds ? { retryAfterSeconds } : undefined,
  );

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
