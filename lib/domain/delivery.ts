/** Outbound delivery states: sending → sent → delivered → read, or failed; never backwards. */
import type { DeliveryStatus } from "./engine_types.ts";

const RANK: Record<DeliveryStatus, number> = {
  sending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 1.5,
};

/**
 * True when a message in state `from` may move to `to`. A later state
 * never goes back (a late "sent" after "read" is ignored); "failed" is
 * accepted only before "delivered" (a delivered message did not fail) and is final.
 */
export function canMoveDelivery(from: DeliveryStatus | null, to: DeliveryStatus): boolean {
  if (from === null) return true;
  if (from === to) return false;
  if (to === "failed") return RANK[from] < RANK.delivered && from !== "failed";
  if (from === "failed") return false;
  return RANK[to] > RANK[from];
}
