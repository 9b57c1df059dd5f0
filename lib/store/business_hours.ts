/**
 * Business hours in KV (rules in lib/domain/business_hours.ts): the
 * workspace's default, and a team's own hours where the team has them. A chat
 * is under its team's hours, or the default when the team has none or the chat
 * has no team (a widget site without a team, WhatsApp without a team).
 *
 *   ["business_hours", "default"]       -> BusinessHours (absent: always open)
 *   ["business_hours", "team", teamId]  -> BusinessHours (absent: the default applies)
 *
 * Decision: hours belong to a team, not to a widget site: a site routes to a
 * team, and the team's agents are who is there; a site without a team is
 * under the default. Every change is audited in its own commit.
 */
import { ALWAYS_OPEN, type BusinessHours } from "../domain/business_hours.ts";
import { notFound } from "../errors.ts";
import { type Actor, commitAudited } from "./audit.ts";
import type { Engine } from "./engine/engine.ts";
import { keys } from "./keys.ts";
import { getTeam } from "./teams.ts";

/** Where the hours that apply come from. */
export type HoursSource = "team" | "default";

/** The workspace's default hours (always open until an admin sets them). */
export async function getDefaultHours(kv: Deno.Kv): Promise<BusinessHours> {
  return (await kv.get<BusinessHours>(keys.defaultHours())).value ?? ALWAYS_OPEN;
}

/** A team's own hours, or null when the team follows the default. */
export async function getTeamHours(kv: Deno.Kv, teamId: string): Promise<BusinessHours | null> {
  return (await kv.get<BusinessHours>(keys.teamHours(teamId))).value;
}

/** The hours a chat of `teamId` (null: no team) is under, and where they come from. */
export async function hoursFor(
  kv: Deno.Kv,
  teamId: string | null,
): Promise<{ hours: BusinessHours; source: HoursSource }> {
  const [def, team] = await kv.getMany<[BusinessHours, BusinessHours]>([
    keys.defaultHours(),
    teamId ? keys.teamHours(teamId) : keys.defaultHours(),
  ]);
  if (teamId && team.value) return { hours: team.value, source: "team" };
  return { hours: def.value ?? ALWAYS_OPEN, source: "default" };
}

/** Sets the workspace's default hours (already checked with businessHoursSchema); audited. */
export async function setDefaultHours(
  engine: Engine,
  hours: BusinessHours,
  actor: Actor,
): Promise<BusinessHours> {
  return await commitAudited(engine, async () => {
    await Promise.resolve();
    return {
      op: engine.kv.atomic().set(keys.defaultHours(), hours),
      value: hours,
      audit: {
        actorId: actor.id,
        actorName: actor.name,
        action: "hours.updated",
        targetType: "settings",
        targetId: "business_hours",
        targetLabel: "Business hours (default)",
        details: { enabled: hours.enabled, timeZone: hours.timeZone },
      },
    };
  });
}

/**
 * Gives a team its own hours, or (null) lets it follow the default again;
 * 404 for an unknown team. Audited in the same commit, which checks the team.
 */
export async function setTeamHours(
  engine: Engine,
  teamId: string,
  hours: BusinessHours | null,
  actor: Actor,
): Promise<BusinessHours | null> {
  const { kv } = engine;
  return await commitAudited(engine, async () => {
    const teamEntry = await kv.get(keys.team(teamId));
    const team = teamEntry.value ? await getTeam(kv, teamId) : null;
    if (!team) throw notFound("Team");
    const op = kv.atomic().check(teamEntry);
    if (hours) op.set(keys.teamHours(teamId), hours);
    else op.delete(keys.teamHours(teamId));
    return {
      op,
      value: hours,
      audit: {
        actorId: actor.id,
        actorName: actor.name,
        action: "hours.updated",
        targetType: "team",
        targetId: teamId,
        targetLabel: team.name,
        details: hours
          ? { enabled: hours.enabled, timeZone: hours.timeZone }
          : { followsDefault: true },
      },
    };
  });
}
