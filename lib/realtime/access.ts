/**
 * Who is on the other end of a WebSocket, what a visitor may see, and how a
 * `send` frame becomes a stored message. Staff use the engine's `canView`
 * (lib/domain/permissions.ts); a visitor sees only the web chats of its own
 * contact (the token names the visitor; the engine finds the contact by
 * `webVisitorId`). Messages go through the engine's functions, which store a
 * clientId once and check the write rules in the same commit.
 */
import { storeVisitorMessage, type VisitorAccess } from "../channels/webchat.ts";
import type { Conversation } from "../domain/engine_types.ts";
import type { Agent } from "../store/agents.ts";
import { appendStaffMessage } from "../store/engine/messages.ts";
import { findContact } from "../store/engine/records.ts";
import type { Engine } from "../store/engine/engine.ts";

/**
 * Who is on the other end. `recheck` re-validates it (null when the staff
 * session ended, or the visitor's token, site or origin is no longer good).
 */
export type Identity =
  | { kind: "staff"; agent: Agent; recheck: () => Promise<Agent | null> }
  | { kind: "visitor"; access: VisitorAccess; recheck: () => Promise<VisitorAccess | null> };

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

/**
 * Commits a `send` frame through the engine and returns what its ack names.
 * A visitor's message goes to its open web chat (a first one opens it); a
 * staff message to the frame's conversation. Engine refusals throw AppErrors.
 */
export async function commitSend(
  engine: Engine,
  identity: Identity,
  agent: Agent | null,
  frame: {
    conversationId: string;
    clientId: string;
    text: string;
    internal?: boolean;
    attachments?: string[];
  },
): Promise<{ conversationId: string; seq: number; messageId: string }> {
  if (identity.kind === "visitor") {
    // The ack needs ids only: not the widget's view of the conversation (another read).
    const { message, conversation } = await storeVisitorMessage(engine, identity.access, {
      text: frame.text,
      clientId: frame.clientId,
      attachments: frame.attachments,
    });
    return { conversationId: conversation.id, seq: message.seq, messageId: message.id };
  }
  const { message } = await appendStaffMessage(
    engine,
    frame.conversationId,
    agent ?? identity.agent,
    {
      text: frame.text,
      clientId: frame.clientId,
      internal: frame.internal,
      attachments: frame.attachments,
    },
  );
  return { conversationId: frame.conversationId, seq: message.seq, messageId: message.id };
}
