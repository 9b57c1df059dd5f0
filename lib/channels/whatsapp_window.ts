/**
 * The 24-hour customer-service window of a WhatsApp conversation: free-form
 * replies are allowed until 24 hours after the customer's last message
 * (Meta answers 131047 afterwards). Tracked per conversation from the time
 * the customer sent each message (Meta's timestamp), never moving back when
 * webhooks arrive out of order.
 *
 *   ["whatsapp_window", conversationId] -> WindowRecord
 */
import { keys } from "../store/keys.ts";

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
  conversationId: string,
  sentAt: string,
): Promise<void> {
  const key = keys.whatsappWindow(conversationId);
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

/** The conversation's window now (closed when no customer message was seen). */
export async function getWhatsAppWindow(
  kv: Deno.Kv,
  conversationId: string,
  now = Date.now(),
): Promise<WhatsAppWindow> {
  const entry = await kv.get<WindowRecord>(keys.whatsappWindow(conversationId));
  return windowAt(entry.value?.lastCustomerMessageAt ?? null, now);
}
