/**
 * Visitor tokens: what a web widget visitor holds instead of a session.
 *
 * Format: `pv1.<payload>.<signature>`, where payload is base64url JSON
 * `{ v: visitorId, s: siteId, t: issuedAtSeconds }` and signature is the
 * base64url HMAC-SHA256 of `pv1.<payload>` with a 32-byte secret generated
 * once per install and kept in KV (`["visitor_token_secret"]`), so every
 * instance signs and verifies alike. The token names a visitor, not a
 * conversation: it reaches exactly the conversations of that visitor's contact
 * (the engine finds them by `webVisitorId`), including new ones after a close.
 * The widget keeps it in the page's localStorage so a reload resumes.
 *
 * The real-time layer authenticates `/ws/visitor?token=` with
 * {@link verifyVisitorToken}.
 *
 * @example
 * const token = await issueVisitorToken(engine, { visitorId: newId(), siteId: site.id });
 * const claims = await verifyVisitorToken(engine, token); // null when forged, malformed or expired
 */
import type { Engine } from "../store/engine/engine.ts";
import { keys } from "../store/keys.ts";

/** What a valid token says. */
export interface VisitorClaims {
  visitorId: string;
  siteId: string;
  /** When the token was issued (ms since epoch). */
  issuedAt: number;
}

const PREFIX = "pv1";
/** Tokens older than this are refused; the widget then starts a fresh session. */
export const VISITOR_TOKEN_MAX_AGE_MS = 365 * 24 * 3600_000;
const MAX_TOKEN_LENGTH = 600;

/** The engine object keeps the imported key under this name (one import per process). */
const SIGNING_KEY = "visitor_token";

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

async function loadSecret(kv: Deno.Kv): Promise<Uint8Array> {
  const current = await kv.get<Uint8Array>(keys.visitorTokenSecret());
  if (current.value) return current.value;
  const fresh = crypto.getRandomValues(new Uint8Array(32));
  // Two instances racing: only one secret wins, and both read it back.
  await kv.atomic().check(current).set(keys.visitorTokenSecret(), fresh).commit();
  const stored = await kv.get<Uint8Array>(keys.visitorTokenSecret());
  return stored.value ?? fresh;
}

function signingKey(engine: Engine): Promise<CryptoKey> {
  const imported = engine.signingKeys;
  let key = imported.get(SIGNING_KEY);
  if (!key) {
    key = loadSecret(engine.kv).then((secret) =>
      crypto.subtle.importKey(
        "raw",
        secret as BufferSource,
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign", "verify"],
      )
    );
    key.catch(() => imported.delete(SIGNING_KEY));
    imported.set(SIGNING_KEY, key);
  }
  return key;
}

/** Signs a token for `visitorId` on `siteId`. */
export async function issueVisitorToken(
  engine: Engine,
  claims: { visitorId: string; siteId: string; issuedAt?: number },
): Promise<string> {
  const payload = b64url(new TextEncoder().encode(JSON.stringify({
    v: claims.visitorId,
    s: claims.siteId,
    t: Math.floor((claims.issuedAt ?? Date.now()) / 1000),
  })));
  const signed = `${PREFIX}.${payload}`;
  const signature = await crypto.subtle.sign(
    "HMAC",
    await signingKey(engine),
    new TextEncoder().encode(signed),
  );
  return `${signed}.${b64url(new Uint8Array(signature))}`;
}

/**
 * The claims of a genuine, unexpired token; null for anything else (wrong
 * signature, another install's secret, malformed, expired). Never throws on
 * client input.
 */
export async function verifyVisitorToken(
  engine: Engine,
  token: string | null | undefined,
): Promise<VisitorClaims | null> {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const signature = fromB64url(parts[2]);
  const payloadBytes = fromB64url(parts[1]);
  if (!signature || !payloadBytes) return null;
  const valid = await crypto.subtle.verify(
    "HMAC",
    await signingKey(engine),
    signature as BufferSource,
    new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
  );
  if (!valid) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch {
    return null;
  }
  const { v, s, t } = (payload ?? {}) as Record<string, unknown>;
  if (typeof v !== "string" || typeof s !== "string" || typeof t !== "number") return null;
  const issuedAt = t * 1000;
  if (Date.now() - issuedAt > VISITOR_TOKEN_MAX_AGE_MS || issuedAt - Date.now() > 60_000) {
    return null;
  }
  return { visitorId: v, siteId: s, issuedAt };
}

/** The token in an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? "");
  return match ? match[1] : null;
}
