/**
 * API keys for integrations (a CRM, a bot): an admin creates one with scopes, the token is shown
 * once, KV keeps only its SHA-256 (the token has 256 random bits, so a fast hash is enough: it is
 * not a password), and revoking removes the hash at once so the next request with it gets 401.
 * Creation and revocation are audited in the same commit. Keys in ./keys.ts.
 *
 * @example
 * const { apiKey, token } = await createApiKey(engine, { name: "CRM", scopes: ["conversations:read"] }, admin);
 * // later, per request:
 * const key = await verifyApiKey(kv, token); // null when unknown or revoked
 */
import { z } from "zod";
import { conflict, notFound } from "../errors.ts";
import { newId, randomToken, sha256Hex } from "../ids.ts";
import { type Actor, commitAudited } from "./audit.ts";
import { keys } from "./keys.ts";
import type { Engine } from "./engine/engine.ts";

/** What a key may do. Each API route that accepts keys names the one scope it needs. */
export const API_SCOPES = ["conversations:read", "messages:write", "contacts:manage"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Every API key token starts with this, so it is told apart from a visitor token at a glance. */
export const API_KEY_PREFIX = "prly_";

/** At most this many keys (live or revoked) are listed and kept; plenty for integrations. */
export const MAX_API_KEYS = 200;

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiScope[];
  /** The token's first characters, to recognise a key in a list (never enough to use it). */
  hint: string;
  createdAt: string;
  createdBy: { id: string; name: string };
  /** Set when revoked; a revoked key no longer authenticates and is kept for the record. */
  revokedAt: string | null;
  /** Roughly when it was last used (updated at most once a minute). */
  lastUsedAt: string | null;
}

/** The stored record: the key plus the SHA-256 of its token (never shown). */
interface StoredApiKey extends ApiKey {
  tokenHash: string;
}

/** What leaves the server: never the token's hash. */
function publicApiKey(stored: StoredApiKey): ApiKey {
  const { tokenHash: _hidden, ...rest } = stored;
  return rest;
}

export const apiKeyInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(80, "Name is at most 80 characters"),
  scopes: z.array(z.enum(API_SCOPES)).min(1, "Choose at least one scope").max(API_SCOPES.length)
    .transform((s) => [...new Set(s)]),
}).strict();
export type ApiKeyInput = z.infer<typeof apiKeyInputSchema>;

/** Every key, newest first (revoked ones included, marked). */
export async function listApiKeys(kv: Deno.Kv): Promise<ApiKey[]> {
  const out: ApiKey[] = [];
  const list = kv.list<StoredApiKey>({ prefix: keys.apiKeysPrefix() }, {
    reverse: true,
    limit: MAX_API_KEYS,
  });
  for await (const entry of list) out.push(publicApiKey(entry.value));
  return out;
}

/** The key with this id, or null. */
export async function getApiKey(kv: Deno.Kv, id: string): Promise<ApiKey | null> {
  if (id.length === 0 || id.length > 100) return null;
  const stored = (await kv.get<StoredApiKey>(keys.apiKey(id))).value;
  return stored ? publicApiKey(stored) : null;
}

/** Creates a key; the token is returned here and never again. Audited in the same commit. */
export async function createApiKey(
  engine: Engine,
  input: ApiKeyInput,
  actor: Actor,
): Promise<{ apiKey: ApiKey; token: string }> {
  const { kv } = engine;
  const token = API_KEY_PREFIX + randomToken(32);
  const hash = await sha256Hex(token);
  const apiKey: ApiKey = {
    id: newId(),
    name: input.name,
    scopes: API_SCOPES.filter((s) => input.scopes.includes(s)),
    hint: token.slice(0, API_KEY_PREFIX.length + 4),
    createdAt: new Date().toISOString(),
    createdBy: { id: actor.id, name: actor.name },
    revokedAt: null,
    lastUsedAt: null,
  };
  await commitAudited(engine, async () => {
    let count = 0;
    for await (const _ of kv.list({ prefix: keys.apiKeysPrefix() })) count++;
    if (count >= MAX_API_KEYS) {
      throw conflict("too_many_keys", `At most ${MAX_API_KEYS} API keys; delete old ones first.`);
    }
    return {
      op: kv.atomic()
        .check({ key: keys.apiKeyByHash(hash), versionstamp: null })
        .set(keys.apiKey(apiKey.id), { ...apiKey, tokenHash: hash })
        .set(keys.apiKeyByHash(hash), apiKey.id),
      value: apiKey,
      audit: {
        actorId: actor.id,
        actorName: actor.name,
        action: "api_key.created",
        targetType: "api_key",
        targetId: apiKey.id,
        targetLabel: apiKey.name,
        details: { scopes: apiKey.scopes },
      },
    };
  });
  return { apiKey, token };
}

/**
 * Revokes a key: its hash goes in the same commit, so it stops working at once on every
 * instance. Revoking a revoked key is a 409; an unknown id a 404.
 */
export async function revokeApiKey(engine: Engine, id: string, actor: Actor): Promise<ApiKey> {
  const { kv } = engine;
  return await commitAudited(engine, async () => {
    if (id.length === 0 || id.length > 100) throw notFound("API key");
    const entry = await kv.get<StoredApiKey>(keys.apiKey(id));
    if (!entry.value) throw notFound("API key");
    if (entry.value.revokedAt) {
      throw conflict("already_revoked", "This API key is already revoked.");
    }
    const revoked: StoredApiKey = { ...entry.value, revokedAt: new Date().toISOString() };
    return {
      op: kv.atomic().check(entry).set(keys.apiKey(id), revoked)
        .delete(keys.apiKeyByHash(revoked.tokenHash)),
      value: publicApiKey(revoked),
      audit: {
        actorId: actor.id,
        actorName: actor.name,
        action: "api_key.revoked",
        targetType: "api_key",
        targetId: id,
        targetLabel: revoked.name,
      },
    };
  });
}

const LAST_USED_EVERY_MS = 60_000;

/**
 * The live key a bearer token names, or null (not a key, unknown, or revoked). Notes the use,
 * at most once a minute, outside the caller's path (a lost write only makes "last used" older).
 */
export async function verifyApiKey(kv: Deno.Kv, token: string): Promise<ApiKey | null> {
  if (!token.startsWith(API_KEY_PREFIX) || token.length > 200) return null;
  const id = (await kv.get<string>(keys.apiKeyByHash(await sha256Hex(token)))).value;
  if (!id) return null;
  const entry = await kv.get<StoredApiKey>(keys.apiKey(id));
  const key = entry.value;
  if (!key || key.revokedAt) return null;
  const now = Date.now();
  if (!key.lastUsedAt || now - Date.parse(key.lastUsedAt) > LAST_USED_EVERY_MS) {
    const used = { ...key, lastUsedAt: new Date(now).toISOString() };
    // Checked, so it never undoes a revocation; lost to a race, "last used" is just older.
    await kv.atomic().check(entry).set(keys.apiKey(id), used).commit();
    return publicApiKey(used);
  }
  return publicApiKey(key);
}
