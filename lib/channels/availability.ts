/**
 * Whether a widget site's chats may expect someone now (issue 16, item 4):
 * the business hours of the team the site routes to (or the workspace's
 * default), then whether anyone who could take the chat is Online. The
 * widget gets it with its session (and `GET /api/v1/widget/availability`),
 * so it knows before the visitor types; closed, it offers the offline form
 * (a message and an email address) instead of the composer.
 */
import { type Availability, availabilityOf, isOpenAt } from "../domain/business_hours.ts";
import { hoursFor } from "../store/business_hours.ts";
import type { Engine } from "../store/engine/engine.ts";
import { isStaffed } from "../store/engine/staffed.ts";

export type { Availability };

/** The availability of chats routed to `teamId` (null: everyone's queue) at `now`. */
export async function availabilityFor(
  engine: Engine,
  teamId: string | null,
  now = Date.now(),
): Promise<Availability> {
  const { hours } = await hoursFor(engine.kv, teamId);
  // Hours off, or out of hours: nobody's status matters, so it is not read.
  const staffed = hours.enabled && isOpenAt(hours, now)
    ? await isStaffed(engine, teamId, now)
    : false;
  return availabilityOf(hours, staffed, now);
}
