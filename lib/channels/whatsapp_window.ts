/**
 * The 24-hour customer-service window: free-form replies are allowed until 24
 * hours after the customer's last message (Meta answers 131047 afterwards).
 * Meta keeps it per customer, and so does Parley: the time each message was
 * sent (Meta's timestamp) is noted under the customer BEFORE the message is
 * stored, so a conversation never shows up with its window not yet open. It
 * never moves back when webhooks arrive out of order. A conversation's window
 * is its customer's. The rule itself (open or closed at a time) lives in
 * lib/domain/whatsapp_window.ts; the engine applies it when committing a reply.
 *
 *   ["whatsapp_window", customerId] -> WindowRecord
 */
import {
  type WhatsAppWindow,
  WINDOW_MS,
  windowAt,
  type WindowRecord,
} from "../domain/whatsapp_window.ts";
import { keys } from "../store/keys.ts";
import { getContact, getConversation } from "../store/engine/records.ts";

export { type WhatsAppWindow, WINDOW_MS, windowAt };

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
