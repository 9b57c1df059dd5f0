/**
 * The Deno KV key layout of Parley: every key shape the app writes, in one place.
 *
 * Staff and auth
 *   ["agents", agentId]                          -> Agent (with password hash)
 *   ["agents_by_email", email]                   -> agentId
 *   ["sessions", sha256(token)]                  -> Session            (expireIn = session TTL)
 *   ["sessions_by_agent", agentId, sha256(token)] -> true               (expireIn = session TTL)
 *   ["login_failures", "email" | "ip", value]    -> { count }          (expireIn = throttle window)
 *   ["setup_code"]                               -> string             (one-time first-admin code)
 *
 * Later issues add their keys below, one line per key shape.
 *
 * Web widget (lib/store/sites.ts, lib/auth/visitor_token.ts, lib/channels/webchat_limits.ts)
 *   ["sites", siteId]                            -> Site
 *   ["sites_by_key", siteKey]                    -> siteId
 *   ["visitor_token_secret"]                     -> Uint8Array (32 random bytes, made once)
 *   ["widget_rate", visitorOrIp, bucket]         -> { count, windowStart } (expireIn = window)
 */

export type Key = Deno.KvKey;

export const keys = {
  agent: (id: string): Key => ["agents", id],
  agentsPrefix: (): Key => ["agents"],
  agentByEmail: (email: string): Key => ["agents_by_email", email],
  session: (tokenHash: string): Key => ["sessions", tokenHash],
  sessionByAgent: (
    agentId: string,
    tokenHash: string,
  ): Key => ["sessions_by_agent", agentId, tokenHash],
  sessionsByAgentPrefix: (agentId: string): Key => ["sessions_by_agent", agentId],
  loginFailures: (kind: "email" | "ip", value: string): Key => ["login_failures", kind, value],
  setupCode: (): Key => ["setup_code"],
  site: (id: string): Key => ["sites", id],
  sitesPrefix: (): Key => ["sites"],
  siteByKey: (siteKey: string): Key => ["sites_by_key", siteKey],
  visitorTokenSecret: (): Key => ["visitor_token_secret"],
  widgetRate: (subject: string, bucket: string): Key => ["widget_rate", subject, bucket],
};
