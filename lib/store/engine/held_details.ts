/**
 * Details held for a customer's next message: what a channel learns about a
 * customer before there is a conversation to put it in (the web widget's
 * `addContext` and `setUser` before the first message, and `setUser` at any
 * time). {@link receiveCustomerMessage} reads them with the records it reads
 * anyway and takes them in the same atomic operation that stores the message
 * (context into the conversation, name and email onto the contact), so they
 * are used exactly once and never lost to a race.
 *
 *   web chat: ["widget_pending", visitorId] -> HeldDetails (expireIn 24 h)
 *   others:   ["held_details", channel, externalId] -> HeldDetails
 */
import { mergeContextData } from "../../domain/context_rules.ts";
import type { Channel, ContextData } from "../../domain/engine_types.ts";
import { AppError, badRequest } from "../../errors.ts";
import { keys } from "../keys.ts";

/** Name and email a page (or channel) gives for its customer. */
export interface HeldUser {
  name?: string;
  email?: string;
}

export interface HeldDetails {
  context: ContextData;
  user: HeldUser | null;
}

/** How long held details wait for a message. */
export const HELD_TTL_MS = 24 * 3600_000;

/** Where a channel identity's held details live (web chat keeps its original key). */
export const heldDetailsKey = (channel: Channel, externalId: string): Deno.KvKey =>
  keys.heldDetails(channel, externalId);

export async function getHeldDetails(
  kv: Deno.Kv,
  channel: Channel,
  externalId: string,
): Promise<HeldDetails | null> {
  return (await kv.get<HeldDetails>(heldDetailsKey(channel, externalId))).value;
}

/**
 * Merges context (and user details) into what is held for the customer's
 * next message, with the engine's context bounds. Throws a 400 naming the
 * broken bound, storing nothing.
 */
export async function holdCustomerDetails(
  kv: Deno.Kv,
  channel: Channel,
  externalId: string,
  patch: { context?: Record<string, unknown>; user?: HeldUser },
): Promise<HeldDetails> {
  const key = heldDetailsKey(channel, externalId);
  for (let attempt = 0; attempt < 20; attempt++) {
    const entry = await kv.get<HeldDetails>(key);
    const current = entry.value ?? { context: {}, user: null };
    const merged = mergeContextData(current.context, patch.context ?? {});
    if (!merged.ok) {
      throw badRequest(merged.code, merged.message, { rejected: merged.rejected });
    }
    const next: HeldDetails = {
      context: merged.data,
      user: patch.user ? { ...current.user, ...patch.user } : current.user,
    };
    const result = await kv.atomic().check(entry).set(key, next, { expireIn: HELD_TTL_MS })
      .commit();
    if (result.ok) return next;
  }
  throw new AppError(409, "busy", "The details could not be saved; try again.");
}
