/**
 * What a customer message reads (lib/store/engine/customer.ts): the contact
 * found by its channel identity, its open conversation, the clientId, and the
 * details held for it, in one read when the route guess holds, and from
 * memory when every entry is remembered (./entry_cache.ts). Every entry is
 * checked in the message's commit by `mutate`.
 */
import type { Channel, Contact, Conversation } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";
import type { AttemptReads } from "./entry_cache.ts";
import { type HeldDetails, heldDetailsKey } from "./held_details.ts";

/** Where a customer's message with this clientId was stored. */
export type Stored = { conversationId: string; seq: number };

/**
 * Where each channel identity's messages went last, in this process (one per
 * engine: ./engine.ts): its
 * contact and open conversation. Only a guess of which keys to read (so the
 * usual message reads them all at once instead of one after another); what
 * was read decides, and a wrong guess falls back to reading step by step.
 */
export class RouteGuesses {
  static readonly MAX = 10_000;
  #map = new Map<string, { contactId: string; conversationId: string }>();

  get(channel: Channel, ext: string) {
    return this.#map.get(`${channel}\u0000${ext}`) ?? null;
  }

  remember(channel: Channel, ext: string, contactId: string, conversationId: string): void {
    const key = `${channel}\u0000${ext}`;
    this.#map.delete(key); // re-inserted: the most recent goes last
    this.#map.set(key, { contactId, conversationId });
    if (this.#map.size > RouteGuesses.MAX) this.#map.delete(this.#map.keys().next().value!);
  }
}

/** What a customer message builds on (every entry is checked in its commit by mutate). */
export interface CustomerState {
  heldEntry: Deno.KvEntryMaybe<HeldDetails>;
  /** Present when the channel identity has a contact. */
  known: {
    contact: Deno.KvEntryMaybe<Contact>;
    ownDup: Deno.KvEntryMaybe<Stored>;
    open: Deno.KvEntryMaybe<string>;
    /** The conversation `open` names, when the guess read it along. */
    conversation: Deno.KvEntryMaybe<Conversation> | null;
  } | null;
}

/**
 * The records a customer message depends on: in one read when the route guess
 * holds (from memory when all are remembered: see entry_cache.ts).
 */
export async function readCustomerState(
  guesses: RouteGuesses,
  reads: AttemptReads,
  channel: Channel,
  ext: string,
  clientId: string,
): Promise<CustomerState> {
  const guess = guesses.get(channel, ext);
  if (guess) {
    const [indexEntry, heldEntry, contact, ownDup, open, conversation] = await reads.getMany<
      [string, HeldDetails, Contact, Stored, string, Conversation]
    >([
      keys.contactByChannel(channel, ext),
      heldDetailsKey(channel, ext),
      keys.contact(guess.contactId),
      keys.messageClientId(`contact:${guess.contactId}`, clientId),
      keys.contactOpen(guess.contactId, channel),
      keys.conversation(guess.conversationId),
    ], { presumeAbsent: [3] });
    if (indexEntry.value === guess.contactId && open.value === guess.conversationId) {
      return { heldEntry, known: { contact, ownDup, open, conversation } };
    }
  }
  const [indexEntry, heldEntry] = await reads.getMany<[string, HeldDetails]>([
    keys.contactByChannel(channel, ext),
    heldDetailsKey(channel, ext),
  ]);
  if (!indexEntry.value) return { heldEntry, known: null };
  const id = indexEntry.value;
  const [contact, ownDup, open] = await reads.getMany<[Contact, Stored, string]>([
    keys.contact(id),
    keys.messageClientId(`contact:${id}`, clientId),
    keys.contactOpen(id, channel),
  ], { presumeAbsent: [1] });
  return { heldEntry, known: { contact, ownDup, open, conversation: null } };
}
