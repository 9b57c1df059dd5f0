/**
 * One WhatsApp customer, one contact, whichever ids Meta sends. A message
 * carries the phone number (`wa_id`), the business-scoped user id (`user_id`,
 * BSUID), or both; a user who adopts a username stops sending the number.
 * Parley keys the customer by the number when it first sees them with one,
 * else by the BSUID, and remembers which key each BSUID maps to, so a later
 * message with only the BSUID continues the same contact and conversation.
 *
 *   ["whatsapp_user", bsuid] -> customerId
 */
import { keys } from "../store/keys.ts";
import type { WhatsAppInbound } from "./whatsapp_payload.ts";

/**
 * Rewrites each message's `customer.id` to the customer's key and returns the
 * new BSUID mappings to store (with the message, in the same atomic op).
 */
export async function resolveCustomerIds(
  kv: Deno.Kv,
  messages: WhatsAppInbound[],
): Promise<Map<string, string>> {
  const userIds = [...new Set(messages.map((m) => m.customer.userId).filter((u) => u !== null))];
  const known = new Map<string, string>();
  for (let i = 0; i < userIds.length; i += 10) {
    const batch = userIds.slice(i, i + 10);
    const entries = await kv.getMany<string[]>(batch.map((u) => keys.whatsappUser(u)));
    entries.forEach((e, j) => {
      if (typeof e.value === "string") known.set(batch[j], e.value);
    });
  }
  const added = new Map<string, string>();
  for (const m of messages) {
    const userId = m.customer.userId;
    if (!userId) continue;
    const key = known.get(userId) ?? added.get(userId) ?? m.customer.waId ?? userId;
    if (!known.has(userId)) added.set(userId, key);
    m.customer.id = key;
  }
  return added;
}
