/**
 * The contact profile of a conversation (docs/api.md, "Contacts"): read it,
 * correct the name and email. Reached through the conversation, so whoever
 * may see the conversation may see and correct its contact. Thin: parse, call
 * lib/store/engine/contact_profile.ts, answer. (Merging: conversations_api.ts.)
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { notFound } from "../lib/errors.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import { requireStaffOrKey } from "../lib/http/api_key_auth.ts";
import { getContactProfile, updateContactDetails } from "../lib/store/engine/mod.ts";

/** `PUT …/contact`: a corrected name or email (`null` clears the email). */
export const contactPatch = z.object({
  name: z.string().trim().min(1, "A name is required").max(200, "At most 200 characters")
    .optional(),
  email: z.email("Not an email address").max(254, "At most 254 characters").nullable()
    .optional(),
}).strict().refine((v) => v.name !== undefined || v.email !== undefined, {
  message: "Send a name, an email, or both.",
});

function idParam(id: string): string {
  if (id.length === 0 || id.length > 100) throw notFound("Conversation");
  return id;
}

export function contactsApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;

  app.get(
    "/api/v1/conversations/:id/contact",
    requireStaffOrKey(deps, "conversations:read"),
    async (c) => c.json(await getContactProfile(kv, currentAgent(c), idParam(c.req.param("id")))),
  );

  app.put(
    "/api/v1/conversations/:id/contact",
    requireStaffOrKey(deps, "contacts:manage"),
    async (c) => {
      const patch = await parseJsonBody(c, contactPatch);
      const id = idParam(c.req.param("id"));
      return c.json({ contact: await updateContactDetails(engine, currentAgent(c), id, patch) });
    },
  );

  return app;
}
