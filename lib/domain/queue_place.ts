/**
 * What a waiting visitor is told about the queue (issue 16, item 5), without
 * I/O: their place, and an estimated wait from recent pickups.
 *
 * Place: 1 + the Pending chats ahead of theirs that the same agents could take
 * first. A team's chat counts the chats ahead in its team's queue and in
 * everyone's queue (no team: any agent, that team's too, may take those); a
 * chat without a team counts every chat ahead (its agents are everyone).
 *
 * Wait: each place costs the shorter of the mean gap between pickups (how
 * fast the queue moves while it is busy: the window over the pickups in it)
 * and the mean time to pickup (how long chats waited lately: short when agents
 * were free, however rare the chats). So a busy queue estimates from its pace
 * and a quiet one does not claim minutes per place. Fewer than
 * {@link MIN_PICKUPS} pickups in the window: no estimate (null); the widget
 * then shows the place alone.
 */

/** A queue entry, front first (the engine's `["queue", rank, id] -> teamId`). */
export interface QueueEntry {
  conversationId: string;
  teamId: string | null;
}

/**
 * Every queued chat's place, in one pass over the queue in order: per team,
 * the chats ahead in that team and in everyone's queue; for everyone's queue,
 * every chat ahead.
 */
export function queuePlaces(entries: Iterable<QueueEntry>): Map<string, number> {
  const places = new Map<string, number>();
  const aheadByTeam = new Map<string, number>();
  let unteamedAhead = 0;
  let allAhead = 0;
  for (const entry of entries) {
    if (entry.teamId === null) {
      places.set(entry.conversationId, allAhead + 1);
      unteamedAhead++;
    } else {
      const team = aheadByTeam.get(entry.teamId) ?? 0;
      places.set(entry.conversationId, team + unteamedAhead + 1);
      aheadByTeam.set(entry.teamId, team + 1);
    }
    allAhead++;
  }
  return places;
}

/** Recent pickups of one queue (the engine's metrics counters over a window). */
export interface PickupStats {
  /** Chats picked up from the queue in the window. */
  pickedUp: number;
  /** Their waits added up (created → first pickup), ms. */
  pickupMs: number;
  /** How long the window is, ms. */
  windowMs: number;
}

/** Fewer pickups than this in the window say too little to estimate from. */
export const MIN_PICKUPS = 3;

/** The estimated wait, in whole seconds (at least 1), at `place`; null when there is no basis. */
export function estimateWaitSeconds(place: number, stats: PickupStats | null): number | null {
  if (!stats || stats.pickedUp < MIN_PICKUPS || place < 1 || stats.windowMs <= 0) return null;
  const meanWait = stats.pickupMs / stats.pickedUp;
  const meanGap = stats.windowMs / stats.pickedUp;
  return Math.max(1, Math.ceil((place * Math.min(meanWait, meanGap)) / 1000));
}

/** What a waiting visitor is shown: both null when the chat is not (or no longer) queued. */
export interface QueueStanding {
  queuePosition: number | null;
  estimatedWaitSeconds: number | null;
}

export const NOT_QUEUED: QueueStanding = { queuePosition: null, estimatedWaitSeconds: null };

/** The standing at `place` (null: not queued) with the queue's pickup stats. */
export function standingAt(place: number | null, stats: PickupStats | null): QueueStanding {
  if (place === null) return NOT_QUEUED;
  return { queuePosition: place, estimatedWaitSeconds: estimateWaitSeconds(place, stats) };
}
