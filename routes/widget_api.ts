/**
 * The visitor side of the web chat: `GET /widget.js` and the visitor API
 * under `/api/v1/widget/` (docs/api.md, "Web widget"). Cross-origin by
 * design: CORS is answered only for origins the request's site allows (the
 * token's site, else `?siteKey=`, else the default site); other origins get
 * `403 origin_not_allowed` with the reason and no CORS headers. The rules
 * live in lib/channels/webchat.ts; this file parses, checks and answers.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { clientAddress } from "../lib/http/forwarded.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { parseJsonBody, parseQuery } from "../lib/http/parse_request.ts";
import {
  attachmentIds,
  messageInput,
  messageWithFiles,
  ownOrigin,
} from "../lib/domain/boundary.ts";
import { bearerToken } from "../lib/auth/visitor_token.ts";
import {
  assertOrigin,
  authorizeVisitor,
  listVisitorMessages,
  mergeVisitorContext,
  sendVisitorMessage,
  siteForRequest,
  startVisitorSession,
  type VisitorAccess,
  visitorDetails,
} from "../lib/channels/webchat.ts";
import { takeWidgetQuota } from "../lib/channels/webchat_limits.ts";
import { addWidgetAttachmentRoutes } from "./attachments_api.ts";
import { availabilityFor } from "../lib/channels/availability.ts";
import { leaveOfflineMessage, offlineMessageSchema } from "../lib/channels/offline_messages.ts";
import { resolveSite } from "../lib/store/sites.ts";
import { answerVisitorSurvey } from "../lib/channels/webchat_survey.ts";
import { SURVEY_LIMITS } from "../lib/domain/survey.ts";

const ROOT = new URL("../", import.meta.url);

export const sessionSchema = z.object({
  siteKey: z.string().trim().min(1).max(100).optional(),
  visitorToken: z.string().max(1000).optional(),
});

export const contextSchema = z.object({
  // Bounds and value types are the engine's rule (mergeContextData), checked there.
  context: z.record(z.string(), z.unknown()).optional(),
  user: z.object({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.string().trim().max(254).email("Not an email address").optional(),
  }).strict().optional(),
}).refine((v) => v.context !== undefined || v.user !== undefined, {
  message: "Send context, user, or both.",
});

export const messageSchema = messageInput.extend({
  // With attachments the text may be empty (messageWithFiles decides, below and in the engine).
  text: z.string().max(messageInput.shape.text.maxLength ?? 4096),
  /** The host page the visitor writes from, shown to the agent beside the context. */
  page: z.string().max(2000).optional(),
  attachments: attachmentIds.optional(),
}).superRefine((v, ctx) => {
  const checked = messageWithFiles.safeParse(v);
  if (!checked.success) { for (const issue of checked.error.issues) ctx.addIssue({ ...issue }); }
});

export const availabilitySchema = z.object({ siteKey: z.string().max(100).optional() });
/** The visitor's answer to the survey of a closed conversation (rules: lib/domain/survey.ts). */
export const surveyAnswerSchema = z.object({
  conversationId: z.string().min(1).max(100),
  rating: z.enum(["ok", "ko"], { message: 'Use "ok" or "ko"' }),
  nps: z.number().int("Use a whole number from 0 to 10").min(0, "Use 0 to 10").max(
    10,
    "Use 0 to 10",
  ).nullable().optional(),
  comment: z.string().max(SURVEY_LIMITS.commentChars).nullable().optional(),
}).strict();

export const listSchema = z.object({
  siteKey: z.string().max(100).optional(),
  conversationId: z.string().min(1).max(100).optional(),
  after: z.string().regex(/^\d{1,15}$/, "after must be a whole number").optional(),
});

/**
 * CORS for the visitor API: preflights and answers carry CORS headers only
 * for an origin the site allows; other cross-origin requests are refused
 * before any handler runs.
 */
function widgetCors(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function widgetCors(c, next) {
    const origin = c.req.header("origin");
    const self = ownOrigin(c.req.raw);
    const crossOrigin = origin !== undefined && origin !== self;
    if (crossOrigin) {
      const site = await siteForRequest(
        deps.engine,
        bearerToken(c.req.header("authorization")),
        c.req.query("siteKey"),
      );
      if (!site) throw new AppError(404, "unknown_site", "No widget site has this site key.");
      assertOrigin(site, origin, self);
    }
    const cors: Record<string, string> = crossOrigin
      ? { "access-control-allow-origin": origin!, "vary": "Origin" }
      : { "vary": "Origin" };
    if (c.req.method === "OPTIONS") {
      return c.body(null, 204, {
        ...cors,
        "access-control-allow-methods": "GET, POST, OPTIONS",
        "access-control-allow-headers": "authorization, content-type",
        "access-control-max-age": "600",
      });
    }
    await next();
    for (const [name, value] of Object.entries(cors)) c.res.headers.set(name, value);
    c.res.headers.set("cache-control", "no-store");
  };
}

async function visitor(c: Context, deps: AppDeps): Promise<VisitorAccess> {
  return await authorizeVisitor(
    deps.engine,
    bearerToken(c.req.header("authorization")),
    c.req.header("origin"),
    ownOrigin(c.req.raw),
  );
}

/** Gzips bytes once (the script is small and changes only with a build). */
async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The widget script: the built bundle, gzipped when the browser accepts it
 * (the server does not compress on its own), cached briefly by browsers and
 * revalidated by ETag.
 */
function widgetScript(deps: AppDeps, which: "widgetJs" | "widgetMoreJs") {
  let cached: Promise<{ raw: Uint8Array; gz: Uint8Array; tag: string }> | null = null;
  const load = async (path: string) => {
    const raw = await Deno.readFile(new URL("." + path, ROOT));
    return { raw, gz: await gzip(raw), tag: path.replace(/^.*\.([0-9a-f]+)\.js$/, "$1") };
  };
  return async (c: Context) => {
    const path = deps.assets[which];
    if (!path) throw notFound("widget.js");
    cached ??= load(path).catch((err) => {
      cached = null;
      throw err;
    });
    const { raw, gz, tag } = await cached;
    const zipped = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    const etag = zipped ? `"${tag}-gz"` : `"${tag}"`;
    const headers: Record<string, string> = {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=300",
      "etag": etag,
      "vary": "Accept-Encoding",
      "access-control-allow-origin": "*",
      "cross-origin-resource-policy": "cross-origin",
    };
    if (zipped) headers["content-encoding"] = "gzip";
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return c.body((zipped ? gz : raw) as Uint8Array<ArrayBuffer>, 200, headers);
  };
}

export function widgetApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/widget.js", widgetScript(deps, "widgetJs"));
  // Imported by widget.js on demand (a module script: CORS lets any page's widget load it).
  app.get("/widget-more.js", widgetScript(deps, "widgetMoreJs"));
  app.use("/api/v1/widget/*", widgetCors(deps));

  app.post("/api/v1/widget/sessions", async (c) => {
    await takeWidgetQuota(deps.kv, "ip:" + clientAddress(c), "sessions");
    const input = await parseJsonBody(c, sessionSchema);
    const session = await startVisitorSession(deps.engine, {
      siteKey: input.siteKey ?? c.req.query("siteKey"),
      visitorToken: input.visitorToken,
      origin: c.req.header("origin"),
      selfOrigin: ownOrigin(c.req.raw),
    });
    return c.json(session);
  });

  app.post("/api/v1/widget/context", async (c) => {
    const access = await visitor(c, deps);
    await takeWidgetQuota(deps.kv, access.claims.visitorId, "context");
    const input = await parseJsonBody(c, contextSchema);
    const result = await mergeVisitorContext(deps.engine, access, input);
    return c.json(result);
  });

  app.post("/api/v1/widget/messages", async (c) => {
    const access = await visitor(c, deps);
    await takeWidgetQuota(deps.kv, access.claims.visitorId, "messages");
    const { page, ...input } = await parseJsonBody(c, messageSchema);
    const about = visitorDetails(page, c.req.header("user-agent"), c.req.header("accept-language"));
    return c.json(await sendVisitorMessage(deps.engine, access, input, about), 201);
  });

  // Out of hours, or with nobody Online: a message and an email address (lib/channels/offline_messages.ts).
  app.post("/api/v1/widget/offline-messages", async (c) => {
    const access = await visitor(c, deps);
    await takeWidgetQuota(deps.kv, access.claims.visitorId, "messages");
    const { page, ...input } = await parseJsonBody(c, offlineMessageSchema);
    const about = visitorDetails(page, c.req.header("user-agent"), c.req.header("accept-language"));
    return c.json(await leaveOfflineMessage(deps.engine, access, input, about), 201);
  });

  // Whether someone is there for the site's chats now (the session answer carries it too).
  app.get("/api/v1/widget/availability", async (c) => {
    const token = bearerToken(c.req.header("authorization"));
    const site = token
      ? (await visitor(c, deps)).site
      : await resolveSite(deps.kv, parseQuery(c, availabilitySchema).siteKey);
    if (!site) throw new AppError(404, "unknown_site", "No widget site has this site key.");
    await takeWidgetQuota(deps.kv, "ip:" + clientAddress(c), "read");
    return c.json({ availability: await availabilityFor(deps.engine, site.teamId) });
  });

  app.post("/api/v1/widget/survey", async (c) => {
    const access = await visitor(c, deps);
    await takeWidgetQuota(deps.kv, access.claims.visitorId, "messages");
    const { conversationId, ...answer } = await parseJsonBody(c, surveyAnswerSchema);
    return c.json({
      survey: await answerVisitorSurvey(deps.engine, access, conversationId, answer),
    });
  });

  app.get("/api/v1/widget/messages", async (c) => {
    const access = await visitor(c, deps);
    await takeWidgetQuota(deps.kv, access.claims.visitorId, "read");
    const query = parseQuery(c, listSchema);
    return c.json(
      await listVisitorMessages(deps.kv, access.claims.visitorId, {
        conversationId: query.conversationId,
        after: query.after === undefined ? undefined : Number(query.after),
      }),
    );
  });

  addWidgetAttachmentRoutes(app, deps);
  return app;
}
