/**
 * The staff conversation API (docs/api.md, "Conversations"): lists, one
 * conversation with its log, history, messages and notes, pickup, transfer,
 * close, read markers. Thin: parse, call lib/store/engine, answer.
 */
import { Hono } from "hono";
import { z } from "zod";
import { attachmentIds, messageInput, messageWithFiles } from "../lib/domain/boundary.ts";
import { CONVERSATION_STATUSES } from "../lib/domain/engine_types.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { notFound } from "../lib/errors.ts";
import { currentAgent, requireRole } from "../lib/http/middleware.ts";
import { parseJsonBody, parseQuery } from "../lib/http/parse_request.ts";
import { requireStaffOrKey } from "../lib/http/api_key_auth.ts";
import {
  appendStaffMessage,
  closeConversation,
  getContactHistory,
  getConversationDetail,
  getConversationFor,
  listConversations,
  listMessagesForStaff,
  markRead,
  mergeContacts,
  pickupConversation,
  returnToQueue,
  transferConversation,
  transferToQueue,
} from "../lib/store/engine/mod.ts";

const cursor = z.string().min(1).max(1000).optional();
const intParam = (min: number, max: number) =>
  z.string().regex(/^\d{1,15}$/, "Must be a whole number").transform(Number).pipe(
    z.number().int().min(min).max(max),
  );

export const listQuery = z.object({
  status: z.enum(CONVERSATION_STATUSES).default("active"),
  cursor,
  limit: intParam(1, 200).optional(),
  order: z.enum(["activity", "queue"]).optional(),
});
export const messagesQuery = z.object({
  after: intParam(0, Number.MAX_SAFE_INTEGER).optional(),
  limit: intParam(1, 1000).optional(),
});
export const historyQuery = z.object({ cursor, limit: intParam(1, 20).optional() });

export const messageBody = messageInput.extend({
  // With attachments the text may be empty (messageWithFiles decides, below and in the engine).
  text: z.string().max(messageInput.shape.text.maxLength ?? 4096),
  internal: z.boolean().optional(),
  toSupervisor: z.boolean().optional(),
  attachments: attachmentIds.optional(),
}).strict().superRefine((v, ctx) => {
  const checked = messageWithFiles.safeParse(v);
  if (!checked.success) { for (const issue of checked.error.issues) ctx.addIssue({ ...issue }); }
});
const note = z.string().max(2000).optional();
export const transferBody = z.union([
  z.object({ toAgentId: z.string().min(1).max(100), note }).strict(),
  z.object({ toTeamId: z.string().min(1).max(100).nullable(), note }).strict(),
]);
export const returnBody = z.object({ note }).strict();
export const closeBody = z.object({
  notes: z.string().trim().min(1, "Wrap-up notes are required").max(5000),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
}).strict();
export const mergeBody = z.object({ contactId: z.string().min(1).max(100) }).strict();
export const readBody = z.object({ seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })
  .strict();

/** A path id: anything longer than an id cannot exist (and must not reach a KV key). */
function idParam(id: string): string {
  if (id.length === 0 || id.length > 100) throw notFound("Conversation");
  return id;
}

export function conversationsApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;
  // Reading and writing messages also take an integration's API key with the matching scope;
  // pickup, transfer, close and read markers are for staff only.
  const read = requireStaffOrKey(deps, "conversations:read");
  const write = requireStaffOrKey(deps, "messages:write");
  const staff = requireRole();

  app.get("/api/v1/conversations", read, async (c) => {
    const q = parseQuery(c, listQuery);
    return c.json(await listConversations(kv, currentAgent(c), q));
  });

  app.get("/api/v1/conversations/:id", read, async (c) => {
    const q = parseQuery(c, messagesQuery);
    const detail = await getConversationDetail(kv, currentAgent(c), idParam(c.req.param("id")), {
      afterSeq: q.after,
      limit: q.limit,
    });
    // API.md's shape: the conversation's own fields at the top, with its messages in order.
    const { conversation, ...log } = detail;
    return c.json({ ...conversation, ...log });
  });

  app.get("/api/v1/conversations/:id/messages", read, async (c) => {
    const q = parseQuery(c, messagesQuery);
    const conv = await getConversationFor(kv, currentAgent(c), idParam(c.req.param("id")));
    return c.json({ items: await listMessagesForStaff(kv, conv.id, q.after ?? 0, q.limit ?? 500) });
  });

  app.get("/api/v1/conversations/:id/history", read, async (c) => {
    const q = parseQuery(c, historyQuery);
    return c.json(
      await getContactHistory(kv, currentAgent(c), idParam(c.req.param("id")), {
        cursor: q.cursor,
        pageSize: q.limit,
      }),
    );
  });

  app.post("/api/v1/conversations/:id/messages", write, async (c) => {
    const body = await parseJsonBody(c, messageBody);
    const { message, duplicate } = await appendStaffMessage(
      engine,
      idParam(c.req.param("id")),
      currentAgent(c),
      body,
    );
    return c.json({ message, duplicate }, duplicate ? 200 : 201);
  });

  app.post("/api/v1/conversations/:id/pickup", staff, async (c) => {
    const conversation = await pickupConversation(
      engine,
      idParam(c.req.param("id")),
      currentAgent(c),
    );
    return c.json({ conversation });
  });

  app.post("/api/v1/conversations/:id/transfer", staff, async (c) => {
    const body = await parseJsonBody(c, transferBody);
    const id = idParam(c.req.param("id"));
    const conversation = "toAgentId" in body
      ? await transferConversation(engine, id, currentAgent(c), body)
      : await transferToQueue(engine, id, currentAgent(c), body);
    return c.json({ conversation });
  });

  app.post("/api/v1/conversations/:id/return", staff, async (c) => {
    const body = await parseJsonBody(c, returnBody);
    const conversation = await returnToQueue(
      engine,
      idParam(c.req.param("id")),
      currentAgent(c),
      body,
    );
    return c.json({ conversation });
  });

  app.post("/api/v1/conversations/:id/close", staff, async (c) => {
    const body = await parseJsonBody(c, closeBody);
    const conversation = await closeConversation(
      engine,
      idParam(c.req.param("id")),
      currentAgent(c),
      body,
    );
    return c.json({ conversation });
  });

  app.post("/api/v1/conversations/:id/read", staff, async (c) => {
    const { seq } = await parseJsonBody(c, readBody);
    const agent = currentAgent(c);
    const conv = await getConversationFor(kv, agent, idParam(c.req.param("id")));
    return c.json({ seq: await markRead(engine, conv.id, agent.id, seq) });
  });

  app.post(
    "/api/v1/contacts/:id/merge",
    requireStaffOrKey(deps, "contacts:manage", "supervisor", "admin"),
    async (c) => {
      const { contactId } = await parseJsonBody(c, mergeBody);
      const id = c.req.param("id");
      if (id.length > 100) throw notFound("Contact");
      return c.json(await mergeContacts(engine, currentAgent(c), id, contactId));
    },
  );

  return app;
}
