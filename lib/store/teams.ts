/**
 * Teams in KV (keys in ./keys.ts). Agents belong to at most one team
 * (`agent.teamId`); widget sites and the WhatsApp number may route to a team's
 * queue, and transfers may target a team. Names are unique, case-insensitively.
 * A team that still has members cannot be deleted (409 `team_not_empty`).
 */
import { z } from "zod";
import { conflict, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { type Actor, commitAudited } from "./audit.ts";
import { keys } from "./keys.ts";
import type { Engine } from "./engine/engine.ts";

export interface Team {
  id: string;
  name: string;
  createdAt: string;
}

export const teamInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(60, "Name is at most 60 characters"),
});
export type TeamInput = z.infer<typeof teamInputSchema>;

const nameKey = (name: string) => keys.teamByName(name.trim().toLowerCase());

function takenError(name: string) {
  return conflict("name_taken", `A team named "${name}" already exists.`);
}

/** The team with this id, or null. */
export async function getTeam(kv: Deno.Kv, id: string): Promise<Team | null> {
  return (await kv.get<Team>(keys.team(id))).value;
}

/** Every team, by name. */
export async function listTeams(kv: Deno.Kv): Promise<Team[]> {
  const teams: Team[] = [];
  for await (const entry of kv.list<Team>({ prefix: keys.teamsPrefix() })) teams.push(entry.value);
  return teams.sort((a, b) => a.name.localeCompare(b.name));
}

/** Creates a team (409 `name_taken` for a name in use); audited in the same commit. */
export async function createTeam(engine: Engine, input: TeamInput, actor: Actor): Promise<Team> {
  const { kv } = engine;
  const team: Team = { id: newId(), name: input.name, createdAt: new Date().toISOString() };
  return await commitAudited(engine, async () => {
    const byName = await kv.get(nameKey(team.name));
    if (byName.value) throw takenError(team.name);
    return {
      op: kv.atomic().check(byName).set(keys.team(team.id), team).set(nameKey(team.name), team.id),
      value: team,
      audit: {
        actorId: actor.id,
        actorName: actor.name,
        action: "team.created",
        targetType: "team",
        targetId: team.id,
        targetLabel: team.name,
      },
      changes: [{ type: "team.changed", data: { teamId: team.id } }],
    };
  });
}

/** Renames a team, moving the name index atomically; audited. */
export async function renameTeam(
  engine: Engine,
  id: string,
  input: TeamInput,
  actor: Actor,
): Promise<Team> {
  const { kv } = engine;
  return await commitAudited(engine, async () => {
    const entry = await kv.get<Team>(keys.team(id));
    if (!entry.value) throw notFound("Team");
    const before = entry.value;
    const next = { ...before, name: input.name };
    const op = kv.atomic().check(entry).set(keys.team(id), next);
    if (nameKey(before.name)[1] !== nameKey(next.name)[1]) {
      const byName = await kv.get(nameKey(next.name));
      if (byName.value) throw takenError(next.name);
      op.check(byName).delete(nameKey(before.name)).set(nameKey(next.name), id);
    } else {
      op.set(nameKey(next.name), id);
    }
    return {
      op,
      value: next,
      audit: {
        actorId: actor.id,
        actorName: actor.name,
        action: "team.renamed",
        targetType: "team",
        targetId: id,
        targetLabel: next.name,
        details: { from: before.name },
      },
      changes: [{ type: "team.changed", data: { teamId: id } }],
    };
  });
}

/** How many agents name this team. */
export async function countTeamMembers(kv: Deno.Kv, id: string): Promise<number> {
  let n = 0;
  for await (const entry of kv.list<{ teamId: string | null }>({ prefix: keys.agentsPrefix() })) {
    if (entry.value.teamId === id) n++;
  }
  return n;
}

/** Deletes an empty team (409 `team_not_empty` otherwise); audited. */
export async function deleteTeam(engine: Engine, id: string, actor: Actor): Promise<void> {
  const { kv } = engine;
  await commitAudited(engine, async () => {
    const entry = await kv.get<Team>(keys.team(id));
    if (!entry.value) throw notFound("Team");
    const members = await countTeamMembers(kv, id);
    if (members > 0) {
      throw conflict(
        "team_not_empty",
        `The team "${entry.value.name}" still has ${members} member${
          members === 1 ? "" : "s"
        }; move them to another team first.`,
      );
    }
    return {
      op: kv.atomic().check(entry).delete(keys.team(id)).delete(nameKey(entry.value.name)),
      value: undefined,
      audit: {
        actorId: actor.id,
        actorName: actor.name,
        action: "team.deleted",
        targetType: "team",
        targetId: id,
        targetLabel: entry.value.name,
      },
      changes: [{ type: "team.changed", data: { teamId: id } }],
    };
  });
}
