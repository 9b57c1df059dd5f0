/** Named Hono middleware: security headers, CSRF, sessions, roles, body limit, overlong ids. */
import type { Context, MiddlewareHandler, Next } from "hono";
import { getCookie } from "hono/cookie";
import { AppError, badRequest, forbidden, tooLarge, unauthorized } from "../errors.ts";
import type { AppDeps } from "../app_deps.ts";
import type { AppEnv } from "./context.ts";
import { getSignedInAgent, SESSION_COOKIE } from "../auth/sessions.ts";
import type { Role } from "../store/agents.ts";
import { isOwnHost, ownOrigin } from "../domain/boundary.ts";
import { withBody } from "./with_body.ts";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** True for the WebSocket routes, whose upgrade responses have immutable headers. */
export function isWebSocketPath(path: string): boolean {
  return path.startsWith("/ws/");
}

/**
 * Sets a per-request CSP nonce and, after the handler, the security headers of
 * every page and API answer. Skipped for WebSocket upgrades.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    const nonce = crypto.randomUUID().replace(/-/g, "");
    c.set("nonce", nonce);
    await next();
    if (isWebSocketPath(c.req.path) || c.res.status === 101) return;
    const h = c.res.headers;
    if (!h.has("content-security-policy")) {
      h.set(
        "content-security-policy",
        [
          "default-src 'self'",
          `script-src 'self' 'nonce-${nonce}'`,
          "style-src 'self'",
          "img-src 'self' data: blob:",
          "media-src 'self' blob:",
          "connect-src 'self'",
          "font-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join("; "),
      );
    }
    h.set("referrer-policy", "strict-origin-when-cross-origin");
    h.set("x-content-type-options", "nosniff");
    if (!h.has("x-frame-options")) h.set("x-frame-options", "DENY");
  };
}

/** True when the browser reached Parley over https (directly or behind a TLS proxy). */
export function isHttps(c: Context): boolean {
  return ownOrigin(c.req.raw).startsWith("https:");
}

/** False when the request carries an `Origin` that is not this server's (absent: not a browser). */
export function originIsOurs(c: Context): boolean {
  const origin = c.req.header("origin");
  return origin === undefined || isOwnHost(origin, ownOrigin(c.req.raw));
}

/**
 * The one rule for "this browser request comes from Parley's own pages": its
 * `Origin`, when sent, is ours, and its `Sec-Fetch-Site`, when sent, says
 * same-origin (or none: typed in the address bar). Clients that send neither
 * are not browsers and cannot be tricked into sending anything.
 */
export function isSameOriginRequest(c: Context): boolean {
  if (!originIsOurs(c)) return false;
  const site = c.req.header("sec-fetch-site");
  return site === undefined || site === "same-origin" || site === "none";
}

/** Posts that sign someone in: a foreign page must not sign a browser into an account (login CSRF). */
const SIGN_IN_PATHS = new Set(["/login", "/setup", "/api/v1/auth/login"]);

/**
 * CSRF protection: cookie-authenticated state changes, and every sign-in
 * post, must come from Parley's own origin ({@link isSameOriginRequest}).
 */
export function sameOriginWrites(): MiddlewareHandler<AppEnv> {
  return async function sameOriginWrites(c, next) {
    if (!STATE_CHANGING.has(c.req.method)) return await next();
    const signIn = SIGN_IN_PATHS.has(c.req.path);
    if ((signIn || getCookie(c, SESSION_COOKIE) !== undefined) && !isSameOriginRequest(c)) {
      throw forbidden(
        signIn
          ? "Cross-site sign-in refused: sign in from Parley's own page."
          : "Cross-site request refused (Origin does not match).",
      );
    }
    await next();
  };
}

/**
 * Refuses bodies larger than `maxBytes` with a 413, for every route (JSON,
 * forms, webhooks). A Content-Length over the limit is refused before
 * reading; otherwise (chunked, or a length that may lie) the body is read
 * here with a running count, into at most `maxBytes` of memory, and reading
 * stops the moment the count passes the limit: the rest is never taken from
 * the connection. The route then reads the bytes already held.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async function bodyLimit(c, next) {
    const body = c.req.raw.body;
    if (!body) return await next();
    // File uploads stream into KV under their own, larger limit (lib/store/attachments.ts).
    if (c.req.method === "POST" && isUploadPath(c.req.path)) return await next();
    const length = c.req.header("content-length");
    if (length !== undefined && Number(length) > maxBytes) {
      await body.cancel().catch(() => {});
      throw tooLarge(`The request body is over ${maxBytes} bytes.`);
    }
    const bytes = await readBounded(body, maxBytes);
    if (bytes === null) throw tooLarge(`The request body is over ${maxBytes} bytes.`);
    c.req.raw = withBody(c.req.raw, bytes as BodyInit);
    await next();
  };
}

/**
 * The routes that take a file as their raw body: bounded by the attachment
 * limit while they stream into KV, never held whole in memory here.
 */
export function isUploadPath(path: string): boolean {
  return /^\/api\/v1\/(conversations\/[^/]+\/attachments|widget\/attachments)$/.test(path);
}

/** The whole stream, or null (and the stream cancelled) once it passes `maxBytes`. */
async function readBounded(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      // The connection ended mid-body (the client left, or a forced shutdown closed it): the
      // request cannot be answered usefully, and it is not an error of Parley's.
      throw badRequest("incomplete_body", "The request body ended before it was complete.");
    }
    const { done, value } = step;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Loads the signed-in staff member (if any) into `c.get("agent")`. */
export function loadSession(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function loadSession(c, next) {
    c.set("agent", await getSignedInAgent(deps.kv, getCookie(c, SESSION_COOKIE)));
    await next();
  };
}

/** Requires a signed-in staff member with one of `roles` (any role when empty). 401 / 403 otherwise. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireRole(c: Context<AppEnv>, next: Next) {
    const agent = c.get("agent");
    if (!agent) throw unauthorized();
    if (roles.length > 0 && !roles.includes(agent.role)) {
      throw forbidden(`This needs the ${roles.join(" or ")} role.`);
    }
    await next();
  };
}

/** The signed-in staff member; only call behind `requireRole`. */
export function currentAgent(c: Context<AppEnv>) {
  const agent = c.get("agent");
  if (!agent) throw unauthorized();
  return agent;
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
