/**
 * Who may call an integration-facing API route: a signed-in staff member (by role, as
 * `requireRole`), or an integration holding an API key with the route's scope
 * (`Authorization: Bearer prly_…`, no cookie needed). A key acts with a supervisor's reach
 * (every conversation) but only within its scopes; messages it writes carry its name.
 * An unknown or revoked key is a 401 at once: every request looks the key up in KV.
 */
import type { Context, MiddlewareHandler, Next } from "hono";
import { AppError, forbidden, unauthorized } from "../errors.ts";
import type { AppDeps } from "../app_deps.ts";
import type { AppEnv } from "./context.ts";
import type { Agent, Role } from "../store/agents.ts";
import { API_KEY_PREFIX, type ApiKey, type ApiScope, verifyApiKey } from "../store/api_keys.ts";

/** The id an integration acts under in records it writes (message authors, audit). */
export function integrationActorId(key: Pick<ApiKey, "id">): string {
  return `apikey_${key.id}`;
}

/** The engine's view of an integration: a supervisor's reach, the key's name. */
export function integrationAgent(key: ApiKey): Agent {
  return {
    id: integrationActorId(key),
    name: key.name,
    email: "",
    role: "supervisor",
    teamId: null,
    maxChats: null,
    passwordHash: "",
    active: true,
    createdAt: key.createdAt,
  };
}

/** The bearer token of the request, when it looks like an API key. */
function bearerApiKey(c: Context): string | null {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match && match[1].startsWith(API_KEY_PREFIX) ? match[1] : null;
}

/**
 * Staff with one of `roles` (any role when empty), or an API key with `scope`. 401 when neither
 * (or the key is unknown or revoked), 403 when the role or the key's scopes do not allow it.
 */
export function requireStaffOrKey(
  deps: AppDeps,
  scope: ApiScope,
  ...roles: Role[]
): MiddlewareHandler<AppEnv> {
  return async function requireStaffOrKey(c: Context<AppEnv>, next: Next) {
    const agent = c.get("agent");
    if (agent) {
      if (roles.length > 0 && !roles.includes(agent.role)) {
        throw forbidden(`This needs the ${roles.join(" or ")} role.`);
      }
      return await next();
    }
    const token = bearerApiKey(c);
    if (!token) throw unauthorized("Sign in, or send an API key as `Authorization: Bearer …`.");
    const key = await verifyApiKey(deps.kv, token);
    if (!key) {
      throw new AppError(401, "invalid_api_key", "This API key is unknown or was revoked.");
    }
    if (!key.scopes.includes(scope)) {
      throw new AppError(403, "missing_scope", `This API key lacks the "${scope}" scope.`);
    }
    c.set("apiKey", key);
    c.set("agent", integrationAgent(key));
    await next();
  };
}
