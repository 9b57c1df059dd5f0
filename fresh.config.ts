/**
 * Parley's configuration, read once from the environment at start.
 *
 * `loadConfig(Deno.env.toObject())` returns a typed {@link Config} or throws a
 * {@link ConfigError} whose message is one line naming the bad variable, so
 * `main.ts` can stop start-up with that reason.
 */

export interface Config {
  port: number;
  /** Interface to listen on: all (`0.0.0.0`, Deno's default) unless `HOST` says otherwise. */
  host: string;
  /**
   * Local KV path, `:memory:`, or a KV Connect URL (`http(s)://`, self-hosted
   * denokv); `null` means `Deno.openKv()` without a path (Deno Deploy).
   */
  kvPath: string | null;
  /**
   * How often each instance also polls the change head and typing keys, in ms,
   * while another instance runs on the store (0 = KV watch only). Default: 100 for a local file, whose watch does not
   * hear other processes; 0 for `:memory:`, Deno Deploy and KV Connect, whose
   * watch hears every writer.
   */
  kvPollMs: number;
  adminEmail: string | null;
  adminPassword: string | null;
  /** PBKDF2 iterations for new password hashes (stored with each hash). */
  passwordIterations: number;
  /** Largest request body accepted by the JSON API, in bytes. */
  maxBodyBytes: number;
  sessionTtlMs: number;
  /**
   * Whose `X-Forwarded-*` headers to believe (TRUSTED_PROXY): null nobody's,
   * "any" every peer's (behind a proxy that overwrites them), or the proxies'
   * addresses. See lib/http/forwarded.ts.
   */
  trustedProxy: TrustedProxy;
  whatsapp: {
    phoneNumberId: string | null;
    /** The WhatsApp Business Account id, for its message templates (WHATSAPP_BUSINESS_ACCOUNT_ID). */
    businessAccountId: string | null;
    accessToken: string | null;
    appSecret: string | null;
    verifyToken: string | null;
    graphUrl: string;
    graphVersion: string;
    /** First retry delay of the outbound delivery job, doubled per attempt (WHATSAPP_RETRY_BASE_MS). */
    retryBaseMs: number;
  };
  /** Outgoing webhooks (lib/webhooks/dispatch.ts). */
  webhooks: {
    /** First retry delay, doubled per attempt, at most an hour (WEBHOOK_RETRY_BASE_MS). */
    retryBaseMs: number;
    /** Attempts before a delivery is marked failed (WEBHOOK_MAX_ATTEMPTS). */
    maxAttempts: number;
    /** How long one attempt may take (WEBHOOK_TIMEOUT_MS). */
    timeoutMs: number;
    /** Lets webhooks reach private and loopback addresses (WEBHOOK_ALLOW_PRIVATE=1; off). */
    allowPrivateTargets: boolean;
  };
}

/** Default `KV_POLL_MS` on a local KV file: the bound on cross-process delivery. */
export const DEFAULT_KV_POLL_MS = 100;

/** Whose forwarding headers to believe: nobody's, every peer's, or these addresses'. */
export type TrustedProxy = null | "any" | string[];

export class ConfigError extends Error {
  override name = "ConfigError";
}

const DEFAULT_GRAPH_VERSION = "v21.0";

function intFrom(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function optional(env: Record<string, string | undefined>, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

function trustedProxyFrom(env: Record<string, string | undefined>): TrustedProxy {
  const raw = env.TRUSTED_PROXY?.trim().toLowerCase() ?? "";
  if (raw === "" || raw === "false" || raw === "0") return null;
  if (raw === "true" || raw === "1") return "any";
  const addresses = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const a of addresses) {
    if (!/^[0-9.]+$/.test(a) && !/^[0-9a-f:]+$/.test(a)) {
      throw new ConfigError(
        `TRUSTED_PROXY must be true, false or a list of IP addresses, got "${a}"`,
      );
    }
  }
  return addresses;
}

/** True when running on Deno Deploy, where KV is opened without a path. */
export function onDenoDeploy(env: Record<string, string | undefined>): boolean {
  return Boolean(env.DENO_DEPLOYMENT_ID);
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const port = intFrom(env, "PORT", 8000, 0, 65535);
  const kvPath = onDenoDeploy(env) && !env.KV_PATH
    ? null
    : (env.KV_PATH?.trim() || "./data/parley.kv");
  checkKvPath(kvPath, env);
  const kvPollMs = intFrom(
    env,
    "KV_POLL_MS",
    kvStoreKind(kvPath) === "file" ? DEFAULT_KV_POLL_MS : 0,
    0,
    60_000,
  );
  const adminEmail = optional(env, "ADMIN_EMAIL");
  const adminPassword = optional(env, "ADMIN_PASSWORD");
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new ConfigError("ADMIN_EMAIL and ADMIN_PASSWORD must be set together");
  }
  if (adminEmail !== null && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError(`ADMIN_EMAIL is not an email address: "${adminEmail}"`);
  }
  if (adminPassword !== null && adminPassword.length < 10) {
    throw new ConfigError("ADMIN_PASSWORD must be at least 10 characters");
  }
  const graphUrl = optional(env, "WHATSAPP_GRAPH_URL") ?? "https://graph.facebook.com";
  try {
    new URL(graphUrl);
  } catch {
    throw new ConfigError(`WHATSAPP_GRAPH_URL is not a URL: "${graphUrl}"`);
  }
  const host = optional(env, "HOST") ?? "0.0.0.0";
  if (!/^[\w.:\[\]-]+$/.test(host)) {
    throw new ConfigError(`HOST is not a host name or address: "${host}"`);
  }
  return {
    port,
    host,
    kvPath,
    kvPollMs,
    adminEmail: adminEmail?.toLowerCase() ?? null,
    adminPassword,
    passwordIterations: intFrom(env, "PASSWORD_ITERATIONS", 600_000, 1_000, 10_000_000),
    maxBodyBytes: intFrom(env, "MAX_BODY_BYTES", 64 * 1024, 1024, 10 * 1024 * 1024),
    sessionTtlMs: intFrom(env, "SESSION_TTL_HOURS", 12, 1, 24 * 90) * 3600_000,
    trustedProxy: trustedProxyFrom(env),
    whatsapp: {
      phoneNumberId: optional(env, "WHATSAPP_PHONE_NUMBER_ID"),
      businessAccountId: optional(env, "WHATSAPP_BUSINESS_ACCOUNT_ID"),
      accessToken: optional(env, "WHATSAPP_ACCESS_TOKEN"),
      appSecret: optional(env, "WHATSAPP_APP_SECRET"),
      verifyToken: optional(env, "WHATSAPP_VERIFY_TOKEN"),
      graphUrl: graphUrl.replace(/\/+$/, ""),
      graphVersion: optional(env, "WHATSAPP_GRAPH_VERSION") ?? DEFAULT_GRAPH_VERSION,
      retryBaseMs: intFrom(env, "WHATSAPP_RETRY_BASE_MS", 2000, 1, 600_000),
    },
    webhooks: {
      retryBaseMs: intFrom(env, "WEBHOOK_RETRY_BASE_MS", 10_000, 1, 3_600_000),
      maxAttempts: intFrom(env, "WEBHOOK_MAX_ATTEMPTS", 10, 1, 20),
      timeoutMs: intFrom(env, "WEBHOOK_TIMEOUT_MS", 10_000, 100, 60_000),
      allowPrivateTargets: ["1", "true"].includes(
        env.WEBHOOK_ALLOW_PRIVATE?.trim().toLowerCase() ?? "",
      ),
    },
  };
}

/**
 * A KV Connect URL must be a whole http(s) URL with a host, and needs its
 * token (Deno reads `DENO_KV_ACCESS_TOKEN` itself); another scheme is a typo,
 * not a file name.
 */
function checkKvPath(kvPath: string | null, env: Record<string, string | undefined>): void {
  if (kvPath === null) return;
  if (KV_CONNECT_URL.test(kvPath)) {
    let url: URL;
    try {
      url = new URL(kvPath);
    } catch {
      throw new ConfigError(`KV_PATH is not a valid KV Connect URL: "${kvPath}"`);
    }
    if (!url.hostname) throw new ConfigError(`KV_PATH has no host: "${kvPath}"`);
    if (url.username || url.password) {
      throw new ConfigError(
        "KV_PATH must not carry credentials; put the access token in DENO_KV_ACCESS_TOKEN",
      );
    }
    if (!optional(env, "DENO_KV_ACCESS_TOKEN")) {
      throw new ConfigError(
        "KV_PATH is a KV Connect URL: set DENO_KV_ACCESS_TOKEN to the server's access token",
      );
    }
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(kvPath)) {
    throw new ConfigError(
      `KV_PATH must be a file path, :memory: or an http(s):// KV Connect URL, got "${kvPath}"`,
    );
  }
}

/** What kind of store a `KV_PATH` names; it decides the folder, the poll and the checks. */
export type KvStoreKind = "deploy" | "memory" | "remote" | "file";

/** A KV Connect URL: `http://` or `https://` (any other scheme is not a store Deno can open). */
export const KV_CONNECT_URL = /^https?:\/\//i;

export function kvStoreKind(path: string | null): KvStoreKind {
  if (path === null) return "deploy";
  if (path === ":memory:") return "memory";
  if (KV_CONNECT_URL.test(path)) return "remote";
  return "file";
}
