/**
 * "Return to queue" (issue 16, item 7): the agent holding a chat (or a
 * supervisor) hands it back to its own queue with a note, e.g. "wrong
 * language, someone else please". It goes to the front of the queue it came
 * from (its team's, or everyone's), and the next automatic assignment skips
 * the agent who returned it, or dynamic assignment would hand it straight
 * back to them (now the least loaded). One atomic op: the conversation, the
 * holder's load, the log and the changes.
 */
import type { Agent } from "../agents.ts";
import type { AgentLoad, Conversation } from "../../domain/engine_types.ts";
import { checkTransferToQueue, isSupervisor } from "../../domain/permissions.ts";
import { badRequest, conflict, notFound } from "../../errors.ts";
import { keys } from "../keys.ts";
import { triggerAssignment } from "./assignment.ts";
import type { Engine } from "./engine.ts";
import { planRequeue } from "./lifecycle.ts";
import { eventEntry } from "./log.ts";
import { EngineOp } from "./op.ts";
import { mutate, refusalError } from "./tx.ts";

export const MAX_RETURN_NOTE_CHARS = 2000;

/**
 * Returns an Active chat to the front of its queue. `403 not_your_chat`,
 * `409 conversation_closed`, `409 not_active` (it already waits in the
 * queue), `400 invalid` for a note over 2000 characters.
 */
export async function returnToQueue(
  engine: Engine,
  conversationId: string,
  actor: Agent,
  input: { note?: string },
): Promise<Conversation> {
  const { kv } = engine;
  const note = (input.note ?? "").trim();
  if (note.length > MAX_RETURN_NOTE_CHARS) {
    throw badRequest("invalid", `note: At most ${MAX_RETURN_NOTE_CHARS} characters.`);
  }
  const conv = await mutate(engine, async () => {
    const entry = await kv.get<Conversation>(keys.conversation(conversationId));
    const conv = entry.value;
    if (!conv) throw notFound("Conversation");
    if (conv.status === "pending" || (conv.status === "active" && !conv.assigneeId)) {
      throw conflict("not_active", "This chat already waits in the queue.");
    }
    const refusal = checkTransferToQueue(actor, conv);
    if (refusal) throw refusalError(refusal);
    if (!conv.assigneeId) throw conflict("not_active", "This chat already waits in the queue.");
    const holder = conv.assigneeId;
    const loadEntry = await kv.get<AgentLoad>(keys.agentLoad(holder));
    const at = new Date().toISOString();
    const op = new EngineOp().check(entry);
    const data = {
      fromAgentId: holder,
      reason: "returned",
      byAgentId: actor.id,
      ...(note ? { note } : {}),
    };
    const planned = planRequeue(op, conv, { agentId: holder, entry: loadEntry }, at, {
      skipAgentId: holder,
      event: eventEntry(
        "requeued",
        `${actor.name} returned the conversation to the queue.`,
        data,
        "staff",
      ),
    });
    return {
      op,
      value: planned.conv,
      changes: [
        {
          type: "conversation.requeued",
          conversationId,
          agentId: holder,
          data: { ...data, teamId: conv.teamId, supervisor: isSupervisor(actor.role) },
        },
        ...planned.changes,
      ],
    };
  });
  await triggerAssignment(engine);
  return (await kv.get<Conversation>(keys.conversation(conv.id))).value ?? conv;
}
