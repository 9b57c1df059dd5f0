/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex>`, the
 * HMAC-SHA256 of the exact raw body bytes under the app secret. The check
 * runs on the raw bytes before anything parses them, and compares in
 * constant time (WebCrypto's `verify` does not short-circuit on the first
 * differing byte, unlike `===` on strings).
 *
 * @example
 * const ok = await verifyWhatsAppSignature(appSecret, rawBytes, c.req.header("x-hub-signature-256"));
 */

const encoder = new TextEncoder();

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [usage],
  );
}

function toBytes(body: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return typeof body === "string"
    ? encoder.encode(body)
    : new Uint8Array(body) as Uint8Array<ArrayBuffer>;
}

/** The `X-Hub-Signature-256` header value Meta would send for `body` (used by tests and tools). */
export async function signWhatsAppBody(
  appSecret: string,
  body: Uint8Array | string,
): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(appSecret, "sign"), toBytes(body));
  return "sha256=" +
    Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * True when `header` is `sha256=` followed by the 64 hex digits of the
 * HMAC-SHA256 of `body` under `appSecret`. A missing or malformed header, or
 * an empty secret, is simply false.
 */
export async function verifyWhatsAppSignature(
  appSecret: string | null,
  body: Uint8Array | string,
  header: string | null | undefined,
): Promise<boolean> {
  if (!appSecret || !header) return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const hex = match[1];
  const signature = new Uint8Array(32);
  for (let i = 0; i < 32; i++) signature[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return await crypto.subtle.verify(
    "HMAC",
    await hmacKey(appSecret, "verify"),
    signature,
    toBytes(body),
  );
}
