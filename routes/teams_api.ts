/**
 * `GET /api/v1/teams` for every signed-in staff member: the teams, so the
 * workspace can offer "transfer to a team's queue" (admins manage teams in
 * the admin API), and for integrations with the `conversations:read` scope (a bot
 * hands chats over to a team's queue).
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { requireStaffOrKey } from "../lib/http/api_key_auth.ts";
import { listTeams } from "../lib/store/teams.ts";

/** `GET /api/v1/teams` for any signed-in staff member. */
export function teamRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/teams", requireStaffOrKey(deps, "conversations:read"), async (c) => {
    const items = (await listTeams(deps.kv)).map(({ id, name }) => ({ id, name }));
    return c.json({ items });
  });
  return app;
}
