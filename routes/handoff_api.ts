/**
 * `POST /api/v1/handoffs`: a bot hands a customer over to humans (docs/api.md, "Bot hand-off").
 * Thin: parse, call the engine's handOffConversation (lib/store/engine/handoff.ts), answer.
 * An integration's API key with `messages:write` (its name marks the bot's lines), or a
 * supervisor or admin trying it out.
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import { requireStaffOrKey } from "../lib/http/api_key_auth.ts";
import { handOffConversation, handoffSchema } from "../lib/store/engine/mod.ts";

export function handoffRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(
    "/api/v1/handoffs",
    requireStaffOrKey(deps, "messages:write", "supervisor", "admin"),
    async (c) => {
      const input = await parseJsonBody(c, handoffSchema);
      const actor = currentAgent(c); // an API key acts as its integration (its name, its id)
      const result = await handOffConversation(deps.engine, input, {
        id: actor.id,
        name: actor.name,
      });
      return c.json(result, result.duplicate ? 200 : 201);
    },
  );
  return app;
}
