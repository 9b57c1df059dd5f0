/**
 * Search across conversations: `GET /api/v1/search?q=…&cursor=…&limit=…`
 * (docs/api.md, "Search"). Thin: the query rules are lib/domain/search_text.ts,
 * who finds what and the paging lib/store/engine/search_query.ts.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { parseQuery } from "../lib/http/parse_request.ts";
import { requireStaffOrKey } from "../lib/http/api_key_auth.ts";
import { parseSearchQuery } from "../lib/domain/search_text.ts";
import { badRequest } from "../lib/errors.ts";
import { decodeCursor, searchConversations } from "../lib/store/engine/search_query.ts";

export const searchQuery = z.object({
  // Lengths are checked by parseSearchQuery, with the codes docs/api.md names.
  q: z.string().default(""),
  cursor: z.string().max(200).optional(),
  limit: z.string().regex(/^\d{1,3}$/, "Must be a whole number").transform(Number).pipe(
    z.number().int().min(1).max(50),
  ).optional(),
});

export function searchApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/search", requireStaffOrKey(deps, "conversations:read"), async (c) => {
    const input = parseQuery(c, searchQuery);
    const query = parseSearchQuery(input.q);
    if ("code" in query) throw badRequest(query.code, query.message);
    if (input.cursor !== undefined && !decodeCursor(input.cursor)) {
      throw badRequest("invalid_cursor", "cursor: Use the nextCursor of a previous page.");
    }
    return c.json(
      await searchConversations(deps.kv, currentAgent(c), {
        query,
        cursor: input.cursor,
        limit: input.limit,
      }),
    );
  });
  return app;
}
