/**
 * When the WhatsApp away reply goes out (the engine's away_reply.ts sends it
 * once per conversation): after a customer's message is stored, when the
 * business hours of the conversation's team (or the default) are on and say
 * closed. Within hours, with nobody Online, nothing is sent: the chat waits in
 * the queue as usual. A failure is logged, never fails the message's job.
 */
import { awayReplyText, isOpenAt } from "../domain/business_hours.ts";
import type { Conversation } from "../domain/engine_types.ts";
import { hoursFor } from "../store/business_hours.ts";
import { sendAwayReply } from "../store/engine/away_reply.ts";
import type { Engine } from "../store/engine/engine.ts";

export async function afterWhatsAppMessage(
  engine: Engine,
  conv: Conversation,
  now = Date.now(),
): Promise<void> {
  if (conv.channel !== "whatsapp" || conv.status === "closed" || conv.awayReplyAt) return;
  try {
    const { hours } = await hoursFor(engine.kv, conv.teamId);
    if (!hours.enabled || isOpenAt(hours, now)) return;
    await sendAwayReply(engine, conv.id, awayReplyText(hours, now));
  } catch (err) {
    console.error("whatsapp: the away reply could not be stored:", err);
  }
}
