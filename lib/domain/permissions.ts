/**
 * Who may do what with a conversation (rules 5, 6, 7), without I/O. Each
 * check returns `null` when allowed or a {@link Refusal} the store turns into
 * a typed error: 403 when the caller has no business with the chat, 409 when
 * the state or the rules forbid it now (the message says why).
 */
import type { AgentLoad, AgentStatus, Conversation, Settings } from "./engine_types.ts";
import { maxChatsFor } from "./routing.ts";

export interface Actor {
  id: string;
  role: string;
  teamId: string | null;
}

export interface Refusal {
  status: 403 | 409;
  code: string;
  message: string;
}

/**
 * Chats one agent may hold at most, whatever a supervisor does (a load record
 * lists them, and a KV value has a size limit). Far above any real max chats.
 */
export const HARD_MAX_HELD = 500;

const refuse = (status: 403 | 409, code: string, message: string): Refusal => ({
  status,
  code,
  message,
});

/** Supervisors and admins supervise: they see every chat and may act on any. */
export function isSupervisor(role: string): boolean {
  return role === "supervisor" || role === "admin";
}

type ConvView = Pick<Conversation, "status" | "assigneeId" | "teamId">;

/**
 * Agents see the Pending chats of their queue (no team, or their team), the
 * chats they hold, and closed chats (history is shared knowledge); supervisors
 * see everything.
 */
export function canView(actor: Actor, conv: ConvView): boolean {
  if (isSupervisor(actor.role)) return true;
  if (conv.status === "closed") return true;
  if (conv.status === "active") return conv.assigneeId === actor.id;
  return conv.teamId === null || conv.teamId === actor.teamId;
}

/**
 * Writing in a chat: the assignee, or a supervisor (a reply to the customer
 * or a note, before or after taking the chat). Nobody writes in a closed chat.
 */
export function checkWrite(actor: Actor, conv: ConvView): Refusal | null {
  if (conv.status === "closed") {
    return refuse(409, "conversation_closed", "This conversation is closed.");
  }
  if (isSupervisor(actor.role) || conv.assigneeId === actor.id) return null;
  return refuse(
    403,
    "not_your_chat",
    "Only the agent holding this chat or a supervisor may write in it.",
  );
}

/** Closing: the assignee, or a supervisor for any open chat. */
export function checkClose(actor: Actor, conv: ConvView): Refusal | null {
  if (conv.status === "closed") {
    return refuse(409, "conversation_closed", "This conversation is already closed.");
  }
  if (isSupervisor(actor.role) || conv.assigneeId === actor.id) return null;
  return refuse(
    403,
    "not_your_chat",
    "Only the agent holding this chat or a supervisor may close it.",
  );
}

/**
 * Picking up a Pending chat by hand. Agents: not Offline, in the chat's team,
 * below their max chats (this also holds with dynamic assignment off).
 * Supervisors take any Pending chat whatever their load, and whatever their
 * status unless requeueOnOffline is on: then an Offline supervisor's chat
 * would go straight back to the queue (the stranded-chat rule), so they go
 * Online or Busy first.
 */
export function checkPickup(
  actor: Actor & { maxChats: number | null },
  status: AgentStatus,
  load: AgentLoad,
  conv: ConvView,
  settings: Settings,
): Refusal | null {
  if (conv.status !== "pending") {
    return refuse(409, "not_pending", `This conversation is ${conv.status}, not pending.`);
  }
  if (load.conversationIds.length >= HARD_MAX_HELD) {
    return refuse(409, "at_capacity", `You already hold ${HARD_MAX_HELD} chats.`);
  }
  if (isSupervisor(actor.role)) {
    if (status === "offline" && settings.requeueOnOffline) {
      return refuse(409, "agent_offline", "Go Online or Busy before picking up a chat.");
    }
    return null;
  }
  if (conv.teamId !== null && conv.teamId !== actor.teamId) {
    return refuse(403, "other_team", "This conversation waits in another team's queue.");
  }
  if (status === "offline") {
    return refuse(409, "agent_offline", "Go Online or Busy before picking up a chat.");
  }
  const max = maxChatsFor(actor, settings);
  if (load.conversationIds.length >= max) {
    return refuse(409, "at_capacity", `You already hold ${max} chats, your maximum.`);
  }
  return null;
}

/** What {@link checkTransfer} needs to know of the target: who, and how loaded. */
export interface TransferTarget {
  id: string;
  role: string;
  active: boolean;
  status: AgentStatus;
  /** The max chats that apply to it now (its own, else the global setting: {@link maxChatsFor}). */
  maxChats: number;
  /** Chats it holds now. */
  heldChats: number;
  /** Of those, the ones that reached it by an agent's transfer. */
  transferredChats: number;
}

/**
 * The settings {@link checkTransfer} reads: transferred chats per agent (0 = no
 * limit), and whether an Offline holder's chats go back to the queue.
 */
export type TransferLimits = Pick<Settings, "maxTransfersPerAgent" | "requeueOnOffline">;

/**
 * The transfer permission matrix (rule 5).
 *
 * | caller     | target                         | allowed when                                   |
 * | ---------- | ------------------------------ | ---------------------------------------------- |
 * | agent      | supervisor/admin               | the chat is the caller's, target not Offline   |
 * | agent      | agent                          | caller's chat, target Online, below max chats, |
 * |            |                                | below maxTransfersPerAgent (when set)          |
 * | supervisor | anyone (itself included)       | target not Offline, even above max chats;      |
 * |            |                                | Offline too when requeueOnOffline is off       |
 *
 * Nobody transfers a closed chat, to a deactivated account, or to the agent
 * already holding it. An Offline target is refused because nobody would
 * answer (issue 16: a chat sat 8 minutes with an Offline admin); with
 * requeueOnOffline on the chat would bounce straight back to the queue.
 */
export function checkTransfer(
  actor: Actor,
  conv: ConvView,
  target: TransferTarget,
  limits: TransferLimits,
): Refusal | null {
  if (conv.status === "closed") {
    return refuse(409, "conversation_closed", "A closed conversation cannot be transferred.");
  }
  const supervisor = isSupervisor(actor.role);
  if (!supervisor && conv.assigneeId !== actor.id) {
    return refuse(403, "not_your_chat", "Agents may transfer only the chats they hold.");
  }
  if (!target.active) {
    return refuse(409, "target_inactive", "That account is deactivated.");
  }
  if (conv.assigneeId === target.id) {
    return refuse(409, "same_agent", "The chat is already with that agent.");
  }
  if (target.heldChats >= HARD_MAX_HELD) {
    return refuse(409, "target_overloaded", `That agent already holds ${HARD_MAX_HELD} chats.`);
  }
  // Agent → agent keeps its older code (target_not_online) below.
  const toStaffOrBySupervisor = supervisor || isSupervisor(target.role);
  if (
    target.status === "offline" && toStaffOrBySupervisor &&
    (!supervisor || limits.requeueOnOffline)
  ) {
    return refuse(
      409,
      "target_offline",
      "That person is Offline and cannot take the chat; choose someone Online or Busy, or return it to the queue.",
    );
  }
  if (toStaffOrBySupervisor) return null;
  if (target.status !== "online") {
    return refuse(
      409,
      "target_not_online",
      `That agent is ${target.status}; agents transfer only to Online agents or supervisors.`,
    );
  }
  if (target.heldChats >= target.maxChats) {
    return refuse(
      409,
      "target_at_capacity",
      `That agent already holds ${target.maxChats} chats, their maximum.`,
    );
  }
  const limit = limits.maxTransfersPerAgent;
  if (limit > 0 && target.transferredChats >= limit) {
    return refuse(
      409,
      "target_transfer_limit",
      `That agent already holds ${limit} transferred chats, the maximum.`,
    );
  }
  return null;
}

/** Sending a chat back to a queue (a team's, or everyone's with null). */
export function checkTransferToQueue(actor: Actor, conv: ConvView): Refusal | null {
  if (conv.status === "closed") {
    return refuse(409, "conversation_closed", "A closed conversation cannot be transferred.");
  }
  if (!isSupervisor(actor.role) && conv.assigneeId !== actor.id) {
    return refuse(403, "not_your_chat", "Agents may transfer only the chats they hold.");
  }
  return null;
}
