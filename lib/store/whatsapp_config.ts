/**
 * The WhatsApp Cloud API connection: stored in KV by the admin console, with
 * environment overrides for deployments (`WHATSAPP_*`, read into
 * `config.whatsapp`). Per field, a value set in the environment wins over the
 * stored one; the Graph URL and version fall back to Meta's defaults.
 *
 * Secrets (access token, app secret, verify token) are write-only: the admin
 * API answers with {@link publicWhatsAppConfig}, which says only whether each
 * is set. Never log a {@link WhatsAppSettings}.
 *
 *   ["whatsapp_config"] -> StoredWhatsAppConfig
 */
import { z } from "zod";
import type { Config } from "../../fresh.config.ts";
import { keys } from "./keys.ts";

export const DEFAULT_GRAPH_URL = "https://graph.facebook.com";
export const DEFAULT_GRAPH_VERSION = "v21.0";

/** What the admin console stores. */
export interface StoredWhatsAppConfig {
  phoneNumberId: string | null;
  /** The WhatsApp Business Account (WABA) id: its message templates are listed from it. */
  businessAccountId: string | null;
  accessToken: string | null;
  appSecret: string | null;
  verifyToken: string | null;
  graphUrl: string | null;
  graphVersion: string | null;
  /** The team whose queue new WhatsApp conversations join (null: everyone's). */
  teamId: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The effective settings: stored values with the environment's overrides applied. */
export interface WhatsAppSettings {
  phoneNumberId: string | null;
  businessAccountId: string | null;
  accessToken: string | null;
  appSecret: string | null;
  verifyToken: string | null;
  graphUrl: string;
  graphVersion: string;
  teamId: string | null;
  retryBaseMs: number;
}

const EMPTY: StoredWhatsAppConfig = {
  phoneNumberId: null,
  businessAccountId: null,
  accessToken: null,
  appSecret: null,
  verifyToken: null,
  graphUrl: null,
  graphVersion: null,
  teamId: null,
  updatedAt: null,
  updatedBy: null,
};

/** `undefined` keeps the stored value; `null` or `""` clears it; a string replaces it. */
const secret = z.string().trim().max(1024).nullable().optional();

/** The admin console's PUT body. Omitted fields keep their stored value. */
export const whatsAppConfigInputSchema = z.object({
  phoneNumberId: z.string().trim().regex(/^\d{1,32}$/, "A phone number id is digits only")
    .nullable().optional().or(z.literal("")),
  businessAccountId: z.string().trim().regex(
    /^\d{1,32}$/,
    "A WhatsApp Business Account id is digits only",
  ).nullable().optional().or(z.literal("")),
  accessToken: secret,
  appSecret: secret,
  verifyToken: secret,
  graphUrl: z.string().trim().max(300).refine((v) => {
    if (v === "") return true;
    try {
      return ["http:", "https:"].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, "Not an http(s) URL").nullable().optional(),
  graphVersion: z.string().trim().regex(/^v\d{1,3}\.\d{1,2}$/, "A version looks like v21.0")
    .nullable().optional().or(z.literal("")),
  teamId: z.string().trim().min(1).max(100).nullable().optional(),
});
export type WhatsAppConfigInput = z.infer<typeof whatsAppConfigInputSchema>;

export async function getStoredWhatsAppConfig(kv: Deno.Kv): Promise<StoredWhatsAppConfig> {
  const entry = await kv.get<StoredWhatsAppConfig>(keys.whatsappConfig());
  return { ...EMPTY, ...(entry.value ?? {}) };
}

/** Applies `input` over the stored configuration (see the schema for clearing) and returns it. */
export async function saveWhatsAppConfig(
  kv: Deno.Kv,
  input: WhatsAppConfigInput,
  updatedBy: string | null = null,
): Promise<StoredWhatsAppConfig> {
  const current = await getStoredWhatsAppConfig(kv);
  const next: StoredWhatsAppConfig = { ...current };
  for (const field of Object.keys(input) as (keyof WhatsAppConfigInput)[]) {
    const value = input[field];
    if (value === undefined) continue;
    next[field] = value === null || value === "" ? null : value.replace(/\/+$/, "");
  }
  next.updatedAt = new Date().toISOString();
  next.updatedBy = updatedBy;
  await kv.set(keys.whatsappConfig(), next);
  return next;
}

/** The effective connection settings for `deps` (its KV and its environment config). */
export async function loadWhatsAppSettings(
  deps: { kv: Deno.Kv; config: Config },
): Promise<WhatsAppSettings> {
  const stored = await getStoredWhatsAppConfig(deps.kv);
  const env = deps.config.whatsapp;
  // The environment config always holds a Graph URL and version (its defaults);
  // it overrides the stored ones only when it differs from those defaults.
  const envGraphUrl = env.graphUrl !== DEFAULT_GRAPH_URL ? env.graphUrl : null;
  const envGraphVersion = env.graphVersion !== DEFAULT_GRAPH_VERSION ? env.graphVersion : null;
  return {
    phoneNumberId: env.phoneNumberId ?? stored.phoneNumberId,
    businessAccountId: env.businessAccountId ?? stored.businessAccountId,
    accessToken: env.accessToken ?? stored.accessToken,
    appSecret: env.appSecret ?? stored.appSecret,
    verifyToken: env.verifyToken ?? stored.verifyToken,
    graphUrl: (envGraphUrl ?? stored.graphUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, ""),
    graphVersion: envGraphVersion ?? stored.graphVersion ?? DEFAULT_GRAPH_VERSION,
    teamId: stored.teamId,
    retryBaseMs: env.retryBaseMs ?? 2000,
  };
}

/** True when outbound messages can be sent (number and token known). */
export function canSend(settings: WhatsAppSettings): boolean {
  return Boolean(settings.phoneNumberId && settings.accessToken);
}

/** What the admin console may show: no secret, only whether each is set and where from. */
export interface PublicWhatsAppConfig {
  phoneNumberId: string | null;
  businessAccountId: string | null;
  graphUrl: string;
  graphVersion: string;
  teamId: string | null;
  accessTokenSet: boolean;
  appSecretSet: boolean;
  verifyTokenSet: boolean;
  /** Fields whose value comes from the environment (editing them in the console has no effect). */
  fromEnvironment: string[];
  /** Webhooks are accepted (app secret and verify token known) and replies can be sent. */
  configured: boolean;
  updatedAt: string | null;
}

export async function publicWhatsAppConfig(
  deps: { kv: Deno.Kv; config: Config },
): Promise<PublicWhatsAppConfig> {
  const [settings, stored] = await Promise.all([
    loadWhatsAppSettings(deps),
    getStoredWhatsAppConfig(deps.kv),
  ]);
  const env = deps.config.whatsapp;
  const fromEnvironment = [
    env.phoneNumberId && "phoneNumberId",
    env.businessAccountId && "businessAccountId",
    env.accessToken && "accessToken",
    env.appSecret && "appSecret",
    env.verifyToken && "verifyToken",
    env.graphUrl !== DEFAULT_GRAPH_URL && "graphUrl",
    env.graphVersion !== DEFAULT_GRAPH_VERSION && "graphVersion",
  ].filter((f): f is string => Boolean(f));
  return {
    phoneNumberId: settings.phoneNumberId,
    businessAccountId: settings.businessAccountId,
    graphUrl: settings.graphUrl,
    graphVersion: settings.graphVersion,
    teamId: settings.teamId,
    accessTokenSet: Boolean(settings.accessToken),
    appSecretSet: Boolean(settings.appSecret),
    verifyTokenSet: Boolean(settings.verifyToken),
    fromEnvironment,
    configured: Boolean(settings.appSecret && settings.verifyToken && canSend(settings)),
    updatedAt: stored.updatedAt,
  };
}
