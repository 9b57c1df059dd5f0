/**
 * Which changes a staff member's event stream carries (the engine's `canView`
 * rule is the one source of truth for conversations):
 * - supervisors and admins: everything;
 * - agents: changes without a conversation (presence, queue, settings), and
 *   changes about conversations they may see now (their own, the Pending
 *   queue of their team, closed history) or that name them (e.g. a chat
 *   transferred away from them);
 * - for any other conversation an agent gets only `{seq, at, type,
 *   conversationId, hidden: true}` for status changes, so a row that left its
 *   view (a pending chat assigned to someone else) disappears; messages and
 *   context of other agents' chats are not sent at all.
 *
 * Conversation changes carry the conversation record as read right after the
 * change (`conversation`), so a list updates its row without another request.
 */
import { canView, isSupervisor } from "../domain/permissions.ts";
import type { Agent } from "../store/agents.ts";
import type { Change } from "../store/changes.ts";
import type { RecordCache } from "./records.ts";
import type { ChangeView } from "./sse.ts";

const DROP_WHEN_HIDDEN = new Set(["message.created", "context.updated", "message.delivery"]);

function names(change: Change, id: string): boolean {
  if (change.agentId === id) return true;
  for (const value of Object.values(change.data ?? {})) if (value === id) return true;
  return false;
}

/** The view function of one staff member's stream. */
export function staffView(viewer: Agent, records: RecordCache): ChangeView {
  const supervisor = isSupervisor(viewer.role);
  return (change) => {
    if (!change.conversationId) return change;
    const conversation = records.conversation(change.conversationId);
    if (supervisor || (conversation && canView(viewer, conversation)) || names(change, viewer.id)) {
      return conversation ? { ...change, conversation } as Change : change;
    }
    if (DROP_WHEN_HIDDEN.has(change.type)) return null;
    return {
      seq: change.seq,
      at: change.at,
      type: change.type,
      conversationId: change.conversationId,
      hidden: true,
    } as unknown as Change; // the stream's ids carry the shard: the hidden view needs no more
  };
}
