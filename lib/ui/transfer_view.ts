/**
 * How the Transfer bar presents each target. The rule itself is the engine's
 * pure `checkTransfer` (lib/domain/permissions.ts), run here on what the
 * agents list shows (status, active chats, max chats), so the bar disables
 * exactly what the server would refuse; the server still decides (409 with
 * the reason). Supervisors may transfer to anyone: a target that is not
 * Online or is at capacity gets a warning instead.
 */
import { checkTransfer } from "../domain/permissions.ts";
import type { Settings } from "../domain/engine_types.ts";
import type { Role, UiAgent } from "./model.ts";

export interface TransferOption {
  /** Not selectable for this caller. */
  blocked: boolean;
  /** Why it is blocked, or what to be aware of (empty when nothing). */
  reason: string;
}

export function transferOption(
  actor: { id: string; role: Role },
  target: UiAgent,
  assigneeId: string | null,
): TransferOption {
  const max = target.maxChats ?? Number.MAX_SAFE_INTEGER;
  const settings: Settings = {
    maxChatsPerAgent: max,
    dynamicAssignment: true,
    heartbeatGraceSeconds: 60,
    requeueOnOffline: false,
    unansweredTimeoutSeconds: 0,
    maxTransfersPerAgent: 0, // the server applies this limit; the list does not know the count
  };
  const refusal = checkTransfer(
    { id: actor.id, role: actor.role, teamId: null },
    { status: "active", assigneeId, teamId: null },
    {
      id: target.id,
      role: target.role,
      active: true,
      maxChats: target.maxChats,
      status: target.status,
      load: {
        conversationIds: Array.from({ length: target.activeChats }, (_, i) => String(i)),
        transferredIds: [],
        lastAssignedAt: null,
      },
    },
    settings,
  );
  if (refusal) return { blocked: true, reason: refusal.message };
  const problems: string[] = [];
  if (target.status !== "online") problems.push(`${capital(target.status)}`);
  if (target.activeChats >= max) problems.push(`at capacity (${target.activeChats}/${max})`);
  if (problems.length === 0 || actor.role === "agent") return { blocked: false, reason: "" };
  return {
    blocked: false,
    reason: `${
      problems.join(", ")
    }. As a supervisor you may still transfer; capacity may be exceeded.`,
  };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
