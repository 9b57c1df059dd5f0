/**
 * Signing outgoing webhooks: `X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body with the
 * endpoint's secret>`, the scheme Meta uses for its own webhooks. The body carries `sentAt`
 * (also sent as `X-Parley-Timestamp`, Unix seconds), so a receiver that checks the signature and
 * rejects old `sentAt` values is safe from replays.
 *
 * @example
 * const ok = await verifyWebhookSignature(secret, rawBody, req.headers.get("x-parley-signature"));
 */
const encoder = new TextEncoder();

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The `X-Parley-Signature` value for this body. */
export async function signWebhook(secret: string, body: string): Promise<string> {
  return `sha256=${await hmacHex(secret, body)}`;
}

/** What a receiver does: true when `header` is the signature of `body` (constant-time compare). */
export async function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | null,
): Promise<boolean> {
  if (!header?.startsWith("sha256=")) return false;
  const expected = await signWebhook(secret, body);
  if (expected.length !== header.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ header.charCodeAt(i);
  return diff === 0;
}
