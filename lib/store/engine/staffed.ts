/**
 * Whether anyone who could take a chat of a team is Online now (the widget's
 * "nobody is available" check, lib/channels/availability.ts): an active
 * account whose effective status is Online (fresh heartbeat) in that team, or
 * anyone for a chat without a team, whatever their load (a full team still
 * takes the chat, later: that is the queue). Asked on every widget session
 * start, so a "yes" is kept a few seconds per process (the engine object's
 * `staffed`): someone who just went Offline may still count for that long (the
 * visitor then waits in the queue, as without hours). A "no" is not kept, so
 * someone coming Online is seen at once.
 */
import { readAllAgentStates } from "./assignment.ts";
import type { Engine } from "./engine.ts";
import { getSettings } from "./records.ts";

/** How long an answer is reused in this process. */
export const STAFFED_TTL_MS = 5_000;

export async function isStaffed(
  engine: Engine,
  teamId: string | null,
  now = Date.now(),
): Promise<boolean> {
  const key = teamId ?? "";
  const known = engine.staffed.get(key);
  if (known && now - known.at < STAFFED_TTL_MS) return true;
  const states = await readAllAgentStates(engine.kv, await getSettings(engine.kv), now);
  const staffed = states.some((s) =>
    s.agent.active && s.candidate.status === "online" &&
    (teamId === null || s.agent.teamId === teamId)
  );
  if (staffed) engine.staffed.set(key, { at: now });
  else engine.staffed.delete(key);
  return staffed;
}
