/**
 * The WhatsApp 24-hour customer-service window, as a rule without I/O, so the
 * engine (which refuses a free-form reply in its commit), the server's views
 * and the composer in the browser decide it the same way.
 *
 * Free-form replies are allowed until 24 hours after the customer's last
 * message (Meta answers 131047 afterwards); template messages always are.
 * Before any customer message the window is closed.
 */

export const WINDOW_MS = 24 * 60 * 60_000;

/** What KV keeps per WhatsApp customer (`["whatsapp_window", customerId]`). */
export interface WindowRecord {
  lastCustomerMessageAt: string;
}

/** Whether a free-form reply can go out, and until when. */
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
  if (!Number.isFinite(expires)) return { open: false, lastCustomerMessageAt, expiresAt: null };
  return {
    open: isWindowOpen(new Date(expires).toISOString(), now),
    lastCustomerMessageAt,
    expiresAt: new Date(expires).toISOString(),
  };
}

/** Open at `now` when it ends later (the composer holds only the end; null: closed). */
export function isWindowOpen(expiresAt: string | null, now = Date.now()): boolean {
  return expiresAt !== null && now < Date.parse(expiresAt);
}

/** The engine's refusal of a free-form reply outside the window (409 `window_closed`). */
export interface WindowClosedRefusal {
  status: 409;
  code: "window_closed";
  message: string;
  details: { closedAt: string | null; lastCustomerMessageAt: string | null };
}

/** Null when a free-form reply may go out at `now`; otherwise why not, and since when. */
export function checkFreeFormReply(
  window: WhatsAppWindow,
): WindowClosedRefusal | null {
  if (window.open) return null;
  const closedAt = window.expiresAt;
  return {
    status: 409,
    code: "window_closed",
    message: closedAt
      ? `The WhatsApp 24-hour window closed at ${closedAt} (24 hours after the customer's last message): only a template message can reach them until they write again.`
      : "The customer has not written on WhatsApp yet, so the 24-hour window is closed: only a template message can reach them.",
    details: { closedAt, lastCustomerMessageAt: window.lastCustomerMessageAt },
  };
}
