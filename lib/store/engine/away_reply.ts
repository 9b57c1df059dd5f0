/**
 * WhatsApp out of hours (issue 16, item 4). Decision: a customer who writes
 * to the WhatsApp number out of hours gets one automatic away reply per
 * conversation (the admin's text, or one saying when the hours open again),
 * sent like an agent's reply: stored in the log as a public message by
 * "Away reply" (system), delivered by the `whatsapp.outbound` job enqueued in
 * the same commit. It is inside the 24-hour window by construction (the
 * customer just wrote). The chat still waits in the queue for the team.
 * Once per conversation holds under races and redeliveries: the commit checks
 * the conversation, whose `awayReplyAt` it sets. The channel decides when
 * (lib/channels/whatsapp_away.ts).
 */
import type { Conversation, Message } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";
import type { Engine } from "./engine.ts";
import { appendToLog, messageChange } from "./log.ts";
import { WHATSAPP_OUTBOUND_JOB } from "./messages.ts";
import { EngineOp } from "./op.ts";
import { writeConversation } from "./records.ts";
import { mutate } from "./tx.ts";

/** Who the away reply is by, as the log and the customer show it. */
export const AWAY_REPLY_AUTHOR = { type: "system" as const, name: "Away reply" };

/**
 * Sends the away reply in an open WhatsApp conversation that has had none;
 * returns the stored message, or null when there was nothing to do.
 */
export async function sendAwayReply(
  engine: Engine,
  conversationId: string,
  text: string,
): Promise<Message | null> {
  const { kv } = engine;
  return await mutate<Message | null>(engine, async () => {
    const entry = await kv.get<Conversation>(keys.conversation(conversationId));
    const conv = entry.value;
    if (!conv || conv.channel !== "whatsapp" || conv.status === "closed" || conv.awayReplyAt) {
      return { value: null };
    }
    const at = new Date().toISOString();
    const op = new EngineOp().check(entry);
    const { conv: logged, message } = appendToLog(op, conv, {
      type: "message",
      kind: "text",
      author: AWAY_REPLY_AUTHOR,
      text: text.slice(0, 1000),
      visibility: "public",
      delivery: { status: "sending", at },
    }, at);
    const next: Conversation = { ...logged, awayReplyAt: at };
    writeConversation(op, conv, next);
    op.enqueue({
      type: WHATSAPP_OUTBOUND_JOB,
      payload: { conversationId, seq: message.seq, messageId: message.id },
    });
    return { op, value: message, changes: [messageChange(next, message)] };
  });
}
