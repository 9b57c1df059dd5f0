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
import type { Change, WrittenRecords } from "../store/changes.ts";
import { keys } from "../store/keys.ts";
import { queuePlaces } from "../domain/queue_place.ts";
import { MAX_QUEUE_READ, readQueue } from "../store/engine/queue_standing.ts";

/** Conversation records kept (small; list rows update from them). */
const MAX_CONVERSATIONS = 5_000;
/** Messages kept (up to 4,096 characters each): only needed right after their batch. */
const MAX_MESSAGES = 2_000;
/** Changes that can move the Pending queue; a batch with one recounts it. */
export const QUEUE_CHANGES = new Set([
  "conversation.created",
  "conversation.assigned",
  "conversation.transferred",
  "conversation.requeued",
  "conversation.closed",
]);
/** The Pending queue's length: in all, and per team ("none" = everyone's queue). */
export interface QueueLength {
  pending: number;
  byTeam: Record<string, number>;
}

/**
 * Every queued chat's place (lib/domain/queue_place.ts) and team, from the
 * same read as the length (counting and places stop at MAX_QUEUE_READ).
 */
export interface QueuePlaces {
  places: Map<string, number>;
  teams: Map<string, string | null>;
}
/** Deno KV's getMany takes at most 10 keys. */
const GET_MANY = 10;

/** The per-instance cache of the records the latest changes are about. */
export class RecordCache {
  #conversations = new Map<string, Conversation>();
  #messages = new Map<string, Message>();

  /** The queue length as of the latest batch that could change it (null before the first). */
  queue: QueueLength | null = null;
  /** The places in the queue, read with {@link queue} (null before the first such batch). */
  places: QueuePlaces | null = null;

  constructor(
    readonly kv: Deno.Kv,
    /**
     * Hands on conversations read here (other instances' changes), so the
     * engine's next commit here builds on them (Realtime wires it to the
     * engine object's entry memory).
     */
    readonly learn: (entries: Deno.KvEntryMaybe<unknown>[]) => void = () => {},
  ) {}

  conversation(id: string): Conversation | null {
    return this.#conversations.get(id) ?? null;
  }

  message(conversationId: string, seq: number): Message | null {
    return this.#messages.get(`${conversationId}\u0000${seq}`) ?? null;
  }

  /**
   * Loads the conversations and new messages `changes` are about. Records
   * the commit itself `written` (this instance's own commits) are taken as
   * they are; only the others are read.
   */
  async prepare(changes: Change[], written?: WrittenRecords): Promise<void> {
    const given = new Set<string>();
    for (const conv of written?.conversations ?? []) {
      this.#keepConversation(conv);
      given.add(`c\u0000${conv.id}`);
    }
    for (const message of written?.messages ?? []) {
      this.#keepMessage(message);
      given.add(`m\u0000${message.conversationId}\u0000${message.seq}`);
    }
    const wanted = new Map<string, Deno.KvKey>();
    const want = (id: string, key: Deno.KvKey) => {
      if (!given.has(id)) wanted.set(id, key);
    };
    for (const change of changes) {
      if (!change.conversationId) continue;
      want(`c\u0000${change.conversationId}`, keys.conversation(change.conversationId));
      const seq = change.type === "message.created" ? change.data?.seq : undefined;
      if (typeof seq === "number") {
        want(
          `m\u0000${change.conversationId}\u0000${seq}`,
          keys.message(change.conversationId, seq),
        );
      }
    }
    const recount = changes.some((c) => QUEUE_CHANGES.has(c.type)) ? this.readQueue() : null;
    const list = [...wanted.values()];
    const reads: Promise<Deno.KvEntryMaybe<unknown>[]>[] = [];
    for (let i = 0; i < list.length; i += GET_MANY) {
      reads.push(this.kv.getMany(list.slice(i, i + GET_MANY)));
    }
    for (const batch of await Promise.all(reads)) {
      for (const entry of batch) {
        if (entry.value === null) continue;
        if (entry.key[0] === "conversations") {
          this.#keepConversation(entry.value as Conversation);
          // Changes another instance made: the engine's next commit here builds on them.
          this.learn([entry]);
        } else this.#keepMessage(entry.value as Message);
      }
    }
    if (recount) await recount;
    this.#trim(this.#conversations, MAX_CONVERSATIONS);
    this.#trim(this.#messages, MAX_MESSAGES);
  }

  #keepConversation(conv: Conversation): void {
    this.#conversations.delete(conv.id); // re-inserted: the newest goes last
    this.#conversations.set(conv.id, conv);
  }

  #keepMessage(message: Message): void {
    this.#messages.set(`${message.conversationId}\u0000${message.seq}`, message);
  }

  /**
   * Reads the queue once: its length (the staff stream's `queue` event) and
   * every chat's place (waiting visitors, ./queue_watch.ts). The hub calls it
   * after a batch that could move the queue; the queue watch once at start.
   */
  async readQueue(): Promise<void> {
    const entries = await readQueue(this.kv, { limit: MAX_QUEUE_READ });
    const byTeam: Record<string, number> = {};
    const teams = new Map<string, string | null>();
    for (const entry of entries) {
      const team = entry.teamId ?? "none";
      byTeam[team] = (byTeam[team] ?? 0) + 1;
      teams.set(entry.conversationId, entry.teamId);
    }
    this.queue = { pending: entries.length, byTeam };
    this.places = { places: queuePlaces(entries), teams };
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
