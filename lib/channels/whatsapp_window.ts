/**
 * The 24-hour customer-service window: free-form replies are allowed until 24
 * hours after the customer's last message (Meta answers 131047 afterwards).
 * Meta keeps it per customer, and so does Parley: the time each message was
 * sent (Meta's timestamp) is noted under the customer BEFORE the message is
 * stored, so a conversation never shows up with its window not yet open. It
 * never moves back when webhooks arrive out of order. A conversation's window
 * is its customer's.
 *
 *   ["whatsapp_window", customerId] -> WindowRecord
 */
import { keys } from "../store/keys.ts";
import { getContact, getConversation } from "../store/engine/records.ts";

export const WINDOW_MS = 24 * 60 * 60_000;

interface WindowRecord {
  lastCustomerMessageAt: string;
}

/** What the workspace shows: whether a free-form reply can go out, and until when. */
export interface WhatsAppWindow {
  open: boolean;
  lastCustomerMessageAt: string | null;
  /** When the window closes (or closed); null before any customer message. */
  expiresAt: string | null;
}

/** The window at `now` given the customer's last message time. */
export function windowAt(lastCustomerMessageAt: string | null, now = Date.now()): WhatsAppWindow {
  if (!lastCustomerMessageAt) return { open: false, lastCustomerMessageAt: null, expiresAt: null };
  const expires = new Date(lastCustomerMessageAt).getTime() + WINDOW_MS;
  return {
    open: now < expires,
    lastCustomerMessageAt,
    expiresAt: new Date(expires).toISOString(),
  };
}

/** Records a customer message sent at `sentAt`; keeps the latest time under races. */
export async function noteCustomerMessage(
  kv: Deno.Kv,
  customerId: string,
  sentAt: string,
): Promise<void> {
  const key = keys.whatsappWindow(customerId);
  // The customer's clock is Meta's; never trust a time in the future.
  const at = new Date(Math.min(new Date(sentAt).getTime() || Date.now(), Date.now()));
  for (let i = 0; i < 20; i++) {
    const entry = await kv.get<WindowRecord>(key);
    if (entry.value && new Date(entry.value.lastCustomerMessageAt) >= at) return;
    const result = await kv.atomic().check(entry)
      .set(key, { lastCustomerMessageAt: at.toISOString() } satisfies WindowRecord)
      .commit();
    if (result.ok) return;
  }
}

/** A WhatsApp customer's window now (closed when no message was seen). */
export async function getCustomerWindow(
  kv: Deno.Kv,
  customerId: string,
  now = Date.now(),
): Promise<WhatsAppWindow> {
  const entry = await kv.get<WindowRecord>(keys.whatsappWindow(customerId));
  return windowAt(entry.value?.lastCustomerMessageAt ?? null, now);
}

/** A conversation's window now: its WhatsApp customer's (closed for other channels). */
export async function getWhatsAppWindow(
  kv: Deno.Kv,
  conversationId: string,
  now = Date.now(),
): Promise<WhatsAppWindow> {
  const conversation = await getConversation(kv, conversationId);
  const contact = conversation ? await getContact(kv, conversation.contactId) : null;
  if (!contact?.whatsappId) return windowAt(null, now);
  return await getCustomerWindow(kv, contact.whatsappId, now);
}
