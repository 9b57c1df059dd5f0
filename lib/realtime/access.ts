/**
 * Who is on the other end of a WebSocket, and what a visitor may see. Staff
 * use the engine's `canView` (lib/domain/permissions.ts); a visitor sees only
 * the web chats of its own contact (the token names the visitor; the engine
 * finds the contact by `webVisitorId`).
 */
import type { VisitorAccess } from "../channels/webchat.ts";
import type { Conversation } from "../domain/engine_types.ts";
import type { Agent } from "../store/agents.ts";
import { findContact } from "../store/engine/records.ts";

/** Who is on the other end. `recheck` re-validates a staff session (null when it ended). */
export type Identity =
  | { kind: "staff"; agent: Agent; recheck: () => Promise<Agent | null> }
  | { kind: "visitor"; access: VisitorAccess };

/** The socket as the session needs it (the Deno WebSocket behind Hono's WSContext). */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  readonly bufferedAmount?: number;
}

/** True when `conv` is one of the visitor's own web chats. */
export async function visitorMaySee(
  kv: Deno.Kv,
  visitorId: string,
  conv: Conversation,
): Promise<boolean> {
  if (conv.channel !== "webchat") return false;
  const contact = await findContact(kv, "webchat", visitorId);
  return contact !== null && contact.id === conv.contactId;
}
