/**
 * Receiving Meta's webhook: the verification handshake, and the signed POST.
 *
 * The POST is checked on its raw bytes (signature first, then JSON, then the
 * envelope schema), then its messages and statuses are put on the KV queue
 * as ONE atomic operation of `whatsapp.inbound` jobs, and only then is Meta
 * answered 200. So the answer is prompt (no engine work on the request path)
 * and nothing acknowledged can be lost: once the 200 leaves, the events are
 * durably queued; if the enqueue fails Meta gets a 500 and redelivers. The
 * job processes one body's events in Meta's order, idempotently (see
 * whatsapp_inbound.ts), because queues and Meta both deliver at least once.
 */
import { badRequest, unauthorized } from "../http/errors.ts";
import type { JobMessage } from "../jobs.ts";
import type { WhatsAppSettings } from "../store/whatsapp_config.ts";
import {
  parseWhatsAppWebhook,
  type WhatsAppInbound,
  type WhatsAppStatus,
} from "./whatsapp_payload.ts";
import { verifyWhatsAppSignature } from "./whatsapp_signature.ts";

export const INBOUND_JOB = "whatsapp.inbound";

/** The payload of one `whatsapp.inbound` job. */
export interface InboundJob {
  messages: WhatsAppInbound[];
  statuses: WhatsAppStatus[];
}

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

/** Splits the events into jobs of bounded size, keeping their order. */
export function chunkEvents(events: InboundJob): InboundJob[] {
  const jobs: InboundJob[] = [];
  let current: InboundJob = { messages: [], statuses: [] };
  let size = 0;
  const push = (kind: "messages" | "statuses", item: WhatsAppInbound | WhatsAppStatus) => {
    const bytes = JSON.stringify(item).length * 3; // worst case UTF-8
    if (size + bytes > MAX_JOB_BYTES && size > 0) {
      jobs.push(current);
      current = { messages: [], statuses: [] };
      size = 0;
    }
    (current[kind] as unknown[]).push(item);
    size += bytes;
  };
  for (const m of events.messages) push("messages", m);
  for (const s of events.statuses) push("statuses", s);
  if (size > 0) jobs.push(current);
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
  const jobs = chunkEvents(parsed);
  if (jobs.length) {
    const op = kv.atomic();
    for (const payload of jobs) {
      op.enqueue({ type: INBOUND_JOB, payload } satisfies JobMessage, {
        backoffSchedule: [1000, 5000, 30_000, 120_000, 600_000],
      });
    }
    const result = await op.commit();
    if (!result.ok) throw new Error("whatsapp: could not queue the webhook's events");
  }
  return {
    messages: parsed.messages.length,
    statuses: parsed.statuses.length,
    skipped: parsed.skipped.length,
  };
}
