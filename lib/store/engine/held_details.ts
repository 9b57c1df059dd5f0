/**
 * Details held for a customer's next message: what a channel learns about a
 * customer before there is a conversation to put it in (the web widget's
 * `addContext` and `setUser` before the first message, and `setUser` at any
 * time). {@link receiveCustomerMessage} reads them with the records it reads
 * anyway and takes them in the same atomic operation that stores the message
 * (context into the conversation, name and email onto the contact), so they
 * are used exactly once and never lost to a race.
 *
 *   ["held_details", channel, externalId] -> HeldDetails (expireIn 24 h)
 *
 * Web chat kept them under ["widget_pending", visitorId] at first;
 * {@link moveWidgetPendingDetails} moves a store's old ones once, and
 * `startServer` runs it before serving.
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

/** Where a channel identity's held details live. */
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

const VERSION = 2;

/** Both held for one visitor (an old key and a new one): the newer win where they differ. */
function combineHeld(older: HeldDetails, newer: HeldDetails): HeldDetails {
  const merged = mergeContextData(older.context, newer.context);
  return {
    context: merged.ok ? merged.data : newer.context,
    user: older.user || newer.user ? { ...older.user, ...newer.user } : null,
  };
}

/**
 * Moves web chat's held details from ["widget_pending", visitorId] to
 * ["held_details", "webchat", visitorId] (once per store; later calls return
 * at once), so nothing a visitor's page sent before an upgrade is lost. Each
 * move is one atomic operation that checks both keys; details a message took
 * meanwhile are not brought back. Moved details wait a full day again (KV
 * does not tell how long the old ones had left). Returns how many moved.
 */
export async function moveWidgetPendingDetails(kv: Deno.Kv): Promise<number> {
  if ((await kv.get<number>(keys.heldDetailsVersion())).value === VERSION) return 0;
  const oldKeys: Deno.KvKey[] = [];
  for await (const entry of kv.list({ prefix: keys.widgetPendingPrefix() })) {
    oldKeys.push(entry.key);
  }
  let moved = 0;
  for (const oldKey of oldKeys) {
    const target = heldDetailsKey("webchat", String(oldKey[1]));
    for (let attempt = 0; attempt < 20; attempt++) {
      const [from, to] = await kv.getMany<[HeldDetails, HeldDetails]>([oldKey, target]);
      if (!from.value) break; // expired or taken meanwhile
      const next = to.value ? combineHeld(from.value, to.value) : from.value;
      const result = await kv.atomic().check(from, to).delete(oldKey)
        .set(target, next, { expireIn: HELD_TTL_MS }).commit();
      if (result.ok) {
        moved++;
        break;
      }
    }
  }
  await kv.set(keys.heldDetailsVersion(), VERSION);
  return moved;
}
