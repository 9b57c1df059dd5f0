/**
 * Receiving Meta's webhook: the verification handshake, and the signed POST.
 *
 * The POST is checked on its raw bytes (signature first, then JSON, then the
 * envelope schema). Its messages are written to their customers' inboxes
 * with a `whatsapp.drain` job per customer (whatsapp_inbox.ts keeps each
 * customer's messages in order), its statuses become `whatsapp.statuses` jobs,
 * all in one atomic KV operation (several only for a huge body), and only
 * then is Meta answered 200. So the answer is prompt (no engine work on the
 * request path) and nothing acknowledged can be lost: once the 200 leaves,
 * the events are durably stored and queued; if that fails Meta gets a 500 and
 * redelivers. Processing is idempotent (whatsapp_inbound.ts), because queues
 * and Meta both deliver at least once.
 */
import { badRequest, unauthorized } from "../errors.ts";
import type { JobMessage } from "../jobs.ts";
import type { WhatsAppSettings } from "../store/whatsapp_config.ts";
import { parseWhatsAppWebhook, type WhatsAppStatus } from "./whatsapp_payload.ts";
import { verifyWhatsAppSignature } from "./whatsapp_signature.ts";
import { drainJob, fitForInbox, inboxKey } from "./whatsapp_inbox.ts";
import { resolveCustomerIds } from "./whatsapp_identity.ts";
import { keys } from "../store/keys.ts";

/** The job that applies delivery statuses (`{statuses}`); messages go through the inbox. */
export const STATUS_JOB = "whatsapp.statuses";

/** The payload of one `whatsapp.statuses` job. */
export interface StatusJob {
  statuses: WhatsAppStatus[];
}

/** Redelivery of a failing job: 1 s, 5 s, 30 s, 2 min, 10 min. */
const BACKOFF = [1000, 5000, 30_000, 120_000, 600_000];

/** A KV queue value is at most 64 KiB; keep each job well under it. */
const MAX_JOB_BYTES = 48 * 1024;

function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * The GET handshake: the challenge to echo when `hub.mode` is `subscribe` and
 * the verify token matches the configured one, else null (answer 403).
 */
export function verificationChallenge(
  settings: WhatsAppSettings,
  query: Record<string, string | undefined>,
): string | null {
  const mode = query["hub.mode"];
  const token = query["hub.verify_token"];
  const challenge = query["hub.challenge"];
  if (mode !== "subscribe" || !token || !challenge || !settings.verifyToken) return null;
  if (challenge.length > 256) return null;
  return sameSecret(token, settings.verifyToken) ? challenge : null;
}

/** Splits statuses into jobs of bounded size, keeping their order. */
export function chunkStatuses(statuses: WhatsAppStatus[]): StatusJob[] {
  const jobs: StatusJob[] = [];
  let current: WhatsAppStatus[] = [];
  let size = 0;
  for (const status of statuses) {
    const bytes = JSON.stringify(status).length * 3; // worst case UTF-8
    if (size + bytes > MAX_JOB_BYTES && current.length > 0) {
      jobs.push({ statuses: current });
      current = [];
      size = 0;
    }
    current.push(status);
    size += bytes;
  }
  if (current.length > 0) jobs.push({ statuses: current });
  return jobs;
}

/**
 * Verifies, parses and durably queues one webhook POST. Throws a 401 for a
 * missing or wrong signature, a 400 for malformed JSON or a body that is not
 * a WhatsApp webhook; nothing is stored in those cases.
 * Returns how many messages and statuses were queued.
 */
export async function acceptWhatsAppWebhook(
  kv: Deno.Kv,
  settings: WhatsAppSettings,
  raw: Uint8Array,
  signature: string | null | undefined,
): Promise<{ messages: number; statuses: number; skipped: number }> {
  if (!settings.appSecret) {
    throw unauthorized("WhatsApp is not configured: no app secret to verify the signature with.");
  }
  if (!signature) throw unauthorized("Missing X-Hub-Signature-256.");
  if (!await verifyWhatsAppSignature(settings.appSecret, raw, signature)) {
    throw unauthorized("X-Hub-Signature-256 does not match the body.");
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch {
    throw badRequest("malformed_json", "The request body is not valid JSON.");
  }
  const parsed = parseWhatsAppWebhook(body);
  if (!parsed) throw badRequest("invalid", "Not a WhatsApp Business Account webhook body.");
  // One Meta app may serve several numbers; only the configured one's messages are ours.
  const foreign = parsed.messages.filter((m) =>
    settings.phoneNumberId && m.phoneNumberId && m.phoneNumberId !== settings.phoneNumberId
  );
  if (foreign.length) {
    parsed.messages = parsed.messages.filter((m) => !foreign.includes(m));
    parsed.skipped.push(`${foreign.length} message(s) to another phone number id`);
  }
  if (parsed.skipped.length) {
    console.warn(`whatsapp: webhook items skipped: ${parsed.skipped.join(", ")}`);
  }
  // Messages go to their customer's inbox (drained in order, whatsapp_inbox.ts) with one
  // drain job per customer; statuses need no order (they never move backwards) and go in
  // `whatsapp.statuses` jobs. Several atomic ops only for huge bodies: a failure answers 500
  // and Meta redelivers, which is harmless (everything downstream is idempotent).
  const writes: { key?: Deno.KvKey; value: unknown; enqueue: boolean }[] = [];
  for (const [userId, customerId] of await resolveCustomerIds(kv, parsed.messages)) {
    writes.push({ key: keys.whatsappUser(userId), value: customerId, enqueue: false });
  }
  for (const m of parsed.messages) {
    const entry = fitForInbox(m);
    writes.push({ key: inboxKey(entry), value: entry, enqueue: false });
  }
  for (const customerId of new Set(parsed.messages.map((m) => m.customer.id))) {
    writes.push({ value: drainJob(customerId), enqueue: true });
  }
  for (const payload of chunkStatuses(parsed.statuses)) {
    writes.push({ value: { type: STATUS_JOB, payload } satisfies JobMessage, enqueue: true });
  }
  let op = kv.atomic();
  let count = 0;
  let bytes = 0;
  const flush = async () => {
    if (count === 0) return;
    const result = await op.commit();
    if (!result.ok) throw new Error("whatsapp: could not queue the webhook's events");
    op = kv.atomic();
    count = 0;
    bytes = 0;
  };
  for (const w of writes) {
    const size = JSON.stringify(w.value).length * 3;
    if (count >= 500 || bytes + size > 400 * 1024) await flush();
    if (w.enqueue) op.enqueue(w.value, { backoffSchedule: BACKOFF });
    else op.set(w.key!, w.value);
    count++;
    bytes += size;
  }
  await flush();
  return {
    messages: parsed.messages.length,
    statuses: parsed.statuses.length,
    skipped: parsed.skipped.length,
  };
}
