/**
 * How the Transfer bar presents each target. The rule itself is the engine's
 * pure `checkTransfer` (lib/domain/permissions.ts), run here on what the
 * agents list shows (status, active chats, max chats), so the bar disables
 * exactly what the server would refuse; the server still decides (409 with
 * the reason). Supervisors may transfer to anyone who is not Offline (and to
 * Offline people too when requeueOnOffline is off): a target that is Busy or
 * at capacity gets a warning instead.
 */
import { checkTransfer, type TransferLimits } from "../domain/permissions.ts";
import type { Role } from "../domain/engine_types.ts";
import type { UiAgent, UiRules } from "./model.ts";
import { CATALOGS, type MessageKey, t } from "../i18n/mod.ts";

export interface TransferOption {
  /** Not selectable for this caller. */
  blocked: boolean;
  /** Why it is blocked, or what to be aware of (empty when nothing). */
  reason: string;
}

/**
 * The page does not load the transferred-chats limit, so the bar leaves that
 * one rule to the server (0 = no limit here).
 */
export function transferOption(
  actor: { id: string; role: Role },
  target: UiAgent,
  assigneeId: string | null,
  rules: Pick<UiRules, "requeueOnOffline">,
): TransferOption {
  const limits: TransferLimits = {
    maxTransfersPerAgent: 0,
    requeueOnOffline: rules.requeueOnOffline,
  };
  const refusal = checkTransfer(
    { id: actor.id, role: actor.role, teamId: null },
    { status: "active", assigneeId, teamId: null },
    {
      id: target.id,
      role: target.role,
      active: true,
      status: target.status,
      maxChats: target.maxChats,
      heldChats: target.activeChats,
      transferredChats: target.transferredChats,
    },
    limits,
  );
  if (refusal) {
    // The rule's reason in the page's language (its English words when the code is new).
    const key = `refusal.${refusal.code}` as MessageKey;
    const vars = {
      status: t(`status.${target.status}`),
      max: target.maxChats,
      limit: limits.maxTransfersPerAgent,
    };
    return { blocked: true, reason: key in CATALOGS.en ? t(key, vars) : refusal.message };
  }
  const problems: string[] = [];
  if (target.status !== "online") problems.push(t(`status.${target.status}`));
  if (target.activeChats >= target.maxChats) {
    problems.push(t("transfer.atCapacity", { load: `${target.activeChats}/${target.maxChats}` }));
  }
  if (problems.length === 0 || actor.role === "agent") return { blocked: false, reason: "" };
  return {
    blocked: false,
    reason: t("transfer.supervisorMay", { problems: problems.join(", ") }),
  };
}
