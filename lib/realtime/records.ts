/**
 * The records the changes are about, read once per batch per instance and
 * shared by every connection of the instance: the conversation of each change
 * (as it is right after the batch was read) and the message of each
 * `message.created`. The hub fills it in its `prepare` step, so SSE filters
 * and WebSocket subscribers read it synchronously.
 *
 * Bounded (least recently filled goes first); a miss is not an error: readers
 * fall back to a direct read.
 */
import type { Conversation, Message } from "../domain/engine_types.ts";
import type { Change } from "../store/changes.ts";
import { keys } from "../store/keys.ts";

/** Conversation records kept (small; list rows update from them). */
const MAX_CONVERSATIONS = 5_000;
/** Messages kept (up to 4,096 characters each): only needed right after their batch. */
const MAX_MESSAGES = 2_000;
/** Deno KV's getMany takes at most 10 keys. */
const GET_MANY = 10;

export class RecordCache {
  #conversations = new Map<string, Conversation>();
  #messages = new Map<string, Message>();

  constructor(readonly kv: Deno.Kv) {}

  conversation(id: string): Conversation | null {
    return this.#conversations.get(id) ?? null;
  }

  message(conversationId: string, seq: number): Message | null {
    return this.#messages.get(`${conversationId}\u0000${seq}`) ?? null;
  }

  /** Loads the conversations and new messages `changes` are about. */
  async prepare(changes: Change[]): Promise<void> {
    const wanted = new Map<string, Deno.KvKey>();
    for (const change of changes) {
      if (!change.conversationId) continue;
      wanted.set(`c\u0000${change.conversationId}`, keys.conversation(change.conversationId));
      const seq = change.type === "message.created" ? change.data?.seq : undefined;
      if (typeof seq === "number") {
        wanted.set(
          `m\u0000${change.conversationId}\u0000${seq}`,
          keys.message(change.conversationId, seq),
        );
      }
    }
    const list = [...wanted.values()];
    const reads: Promise<Deno.KvEntryMaybe<unknown>[]>[] = [];
    for (let i = 0; i < list.length; i += GET_MANY) {
      reads.push(this.kv.getMany(list.slice(i, i + GET_MANY)));
    }
    for (const batch of await Promise.all(reads)) {
      for (const entry of batch) {
        if (entry.value === null) continue;
        if (entry.key[0] === "conversations") {
          const conv = entry.value as Conversation;
          this.#conversations.delete(conv.id);
          this.#conversations.set(conv.id, conv);
        } else {
          const message = entry.value as Message;
          this.#messages.set(`${message.conversationId}\u0000${message.seq}`, message);
        }
      }
    }
    this.#trim(this.#conversations, MAX_CONVERSATIONS);
    this.#trim(this.#messages, MAX_MESSAGES);
  }

  #trim(map: Map<string, unknown>, max: number): void {
    if (map.size <= max) return;
    let extra = map.size - max;
    for (const key of map.keys()) {
      if (extra-- <= 0) break;
      map.delete(key);
    }
  }
}
