/**
 * Deleting a team from the admin console: besides the store's own rule (no
 * members), a team that a widget site or the WhatsApp number routes to cannot
 * be deleted, nor one with chats waiting in its queue, or conversations would
 * wait in a queue nobody serves (409 `team_in_use`, naming what uses it).
 */
import type { AppDeps } from "../app_deps.ts";
import { conflict } from "../errors.ts";
import type { Actor } from "../store/audit.ts";
import { listSites } from "../store/sites.ts";
import { deleteTeam } from "../store/teams.ts";
import { getStoredWhatsAppConfig } from "../store/whatsapp_config.ts";
import { keys } from "../store/keys.ts";

/** Deletes a team unless it has members, a channel routes to it or chats wait in its queue; audited. */
export async function adminDeleteTeam(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  const users = (await listSites(deps.kv)).filter((s) => s.teamId === id).map((s) =>
    `the widget site "${s.name}"`
  );
  if ((await getStoredWhatsAppConfig(deps.kv)).teamId === id) users.push("the WhatsApp number");
  let waiting = 0;
  for await (const entry of deps.kv.list<string | null>({ prefix: keys.queuePrefix() })) {
    if (entry.value === id) waiting++;
  }
  if (waiting) users.push(`${waiting} pending chat${waiting === 1 ? "" : "s"} in its queue`);
  if (users.length) {
    throw conflict(
      "team_in_use",
      `This team is still in use by ${users.join(" and ")}; route those elsewhere first.`,
    );
  }
  await deleteTeam(deps.engine, id, actor);
}
