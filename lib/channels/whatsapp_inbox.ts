/**
 * Per-customer ordering of inbound WhatsApp messages.
 *
 * The KV queue runs jobs concurrently (and Deno Deploy runs several
 * isolates), so one job per webhook would let a burst of messages ("Hi",
 * "my order is late", "#1042") reach the conversation in any order. Instead
 * the webhook puts each message in its customer's inbox, keyed by Meta's send
 * time and then arrival, and enqueues a `whatsapp.drain` job for the customer.
 * A drain job takes the customer's lease (one drainer per customer at a
 * time, across instances), stores the inbox's messages oldest first, and
 * deletes each once stored. A job that finds the lease taken re-enqueues
 * itself shortly, so every entry is drained even if it arrives while another
 * drainer is finishing. A drainer that dies leaves its lease to expire. A
 * sweep every minute ({@link sweepInboxes}) restarts the drain of any inbox
 * whose jobs ran out of retries, so an acknowledged message is never lost.
 *
 *   ["whatsapp_inbox", customerId, sentAtMs, arrivalId] -> WhatsAppInbound
 *   ["whatsapp_inbox_lease", customerId]                -> { id, until } (expireIn = 2 min)
 *   ["whatsapp_tick"]                                   -> the live sweep chain's id
 */
import { truncateText } from "../domain/text.ts";
import type { JobMessage } from "../jobs.ts";
import { newId } from "../ids.ts";
import { MAX_TEXT_CHARS } from "../domain/limits.ts";
import { keys } from "../store/keys.ts";
import type { WhatsAppInbound } from "./whatsapp_payload.ts";

export const DRAIN_JOB = "whatsapp.drain";
const LEASE_MS = 60_000;
const RETRY_HELD_MS = 250;
/** A KV value is at most 64 KiB. */
const MAX_ENTRY_BYTES = 60 * 1024;

interface Lease {
  id: string;
  until: number;
}

/** The drain job's queue message for one customer. */
export function drainJob(customerId: string): JobMessage {
  return { type: DRAIN_JOB, payload: { customerId } };
}

/** Shrinks an oversized message (huge shared contact cards) so it fits one KV value. */
export function fitForInbox(m: WhatsAppInbound): WhatsAppInbound {
  const size = (x: unknown) => new TextEncoder().encode(JSON.stringify(x)).length;
  if (size(m) <= MAX_ENTRY_BYTES) return m;
  const { contacts: _c, location: _l, ...data } = m.data;
  const smaller = {
    ...m,
    text: truncateText(m.text, MAX_TEXT_CHARS),
    data: { ...data, truncated: true },
  };
  if (size(smaller) <= MAX_ENTRY_BYTES) return smaller;
  return {
    ...smaller,
    data: { truncated: true, unsupportedType: m.data.unsupportedType ?? null },
  };
}

/** The inbox key of `m`: its customer, Meta's send time, then arrival order. */
export function inboxKey(m: WhatsAppInbound): Deno.KvKey {
  return keys.whatsappInbox(m.customer.id, Date.parse(m.sentAt) || 0, newId());
}

async function takeLease(kv: Deno.Kv, customerId: string): Promise<Lease | null> {
  const key = keys.whatsappInboxLease(customerId);
  const entry = await kv.get<Lease>(key);
  if (entry.value && entry.value.until > Date.now()) return null;
  const lease = { id: crypto.randomUUID(), until: Date.now() + LEASE_MS };
  const result = await kv.atomic().check(entry).set(key, lease, { expireIn: 2 * LEASE_MS })
    .commit();
  return result.ok ? lease : null;
}

async function renewLease(kv: Deno.Kv, customerId: string, lease: Lease): Promise<boolean> {
  const key = keys.whatsappInboxLease(customerId);
  const entry = await kv.get<Lease>(key);
  if (entry.value?.id !== lease.id) return false;
  lease.until = Date.now() + LEASE_MS;
  const result = await kv.atomic().check(entry).set(key, lease, { expireIn: 2 * LEASE_MS })
    .commit();
  return result.ok;
}

async function releaseLease(kv: Deno.Kv, customerId: string, lease: Lease): Promise<void> {
  const key = keys.whatsappInboxLease(customerId);
  const entry = await kv.get<Lease>(key);
  if (entry.value?.id === lease.id) await kv.atomic().check(entry).delete(key).commit();
}

/**
 * Drains one customer's inbox in order, calling `store` for each message
 * (which must be idempotent: a crash between storing and deleting repeats
 * it). An error from `store` stops the drain with the message still first in
 * line and propagates (KV redelivers the job). Returns how many were drained,
 * or null when another drainer holds the lease (this job was re-enqueued).
 */
export async function drainInbox(
  kv: Deno.Kv,
  customerId: string,
  store: (m: WhatsAppInbound) => Promise<void>,
): Promise<number | null> {
  const lease = await takeLease(kv, customerId);
  if (!lease) {
    await kv.enqueue(drainJob(customerId), { delay: RETRY_HELD_MS });
    return null;
  }
  let drained = 0;
  try {
    while (true) {
      const batch: Deno.KvEntry<WhatsAppInbound>[] = [];
      for await (
        const e of kv.list<WhatsAppInbound>({ prefix: keys.whatsappInboxPrefix(customerId) }, {
          limit: 20,
        })
      ) batch.push(e);
      if (batch.length === 0) break;
      for (const entry of batch) {
        await store(entry.value);
        await kv.delete(entry.key);
        drained++;
      }
      // Long drains keep their lease; a lost lease means another drainer took over.
      if (!await renewLease(kv, customerId, lease)) return drained;
    }
  } finally {
    await releaseLease(kv, customerId, lease);
  }
  return drained;
}

/** The inbox sweep: a self-re-enqueuing job that restarts drains nobody finished. */
export const SWEEP_JOB = "whatsapp.sweep";
export const SWEEP_INTERVAL_MS = 60_000;
/** An entry waiting this long (by Meta's send time) lost its drain job. */
const STALE_MS = 60_000;

/**
 * Customers whose inbox still holds a message sent over a minute ago: their
 * drain jobs ran out of retries (say, KV or the engine failed for a long
 * while) and they have not written since. Normally empty.
 */
export async function staleInboxCustomers(kv: Deno.Kv, now = Date.now()): Promise<string[]> {
  const out = new Set<string>();
  for await (const e of kv.list({ prefix: keys.whatsappInboxesPrefix() }, { limit: 1000 })) {
    const [, customerId, sentAtMs] = e.key as [string, string, number, string];
    if (now - sentAtMs > STALE_MS) out.add(customerId);
  }
  return [...out];
}

/** One sweep: a drain job for each customer with stale inbox entries. Returns them. */
export async function sweepInboxes(kv: Deno.Kv, now = Date.now()): Promise<string[]> {
  const customers = await staleInboxCustomers(kv, now);
  for (const customerId of customers) await kv.enqueue(drainJob(customerId));
  return customers;
}
