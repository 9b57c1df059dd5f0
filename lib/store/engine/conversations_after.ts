/**
 * Every conversation after a cursor, in id order, each with its whole log: what the once-at-start
 * backfills (metrics_backfill.ts, search_backfill.ts) walk, resuming where an interrupted run
 * stopped.
 */
import type { Conversation, Message } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";

export async function* conversationsWithLogs(
  kv: Deno.Kv,
  afterId: string | null,
): AsyncGenerator<{ conv: Conversation; log: Message[] }> {
  const list = kv.list<Conversation>(
    afterId
      ? { prefix: ["conversations"], start: keys.conversation(afterId) }
      : { prefix: ["conversations"] },
  );
  for await (const entry of list) {
    const conv = entry.value;
    if (conv.id === afterId) continue;
    const log: Message[] = [];
    for await (const m of kv.list<Message>({ prefix: keys.messagesPrefix(conv.id) })) {
      log.push(m.value);
    }
    yield { conv, log };
  }
}
