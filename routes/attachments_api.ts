/**
 * Attachments over HTTP (docs/api.md, "Attachments"): uploads as the raw
 * request body (the file's type in `Content-Type`, its name in `?filename=`),
 * and downloads by id, for staff and for visitors. Thin: the rules are in
 * lib/attachments/ (who may), lib/store/attachments.ts (limits, types,
 * chunks) and lib/attachments/serve.ts (headers, ranges).
 */
import { type Context, Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { requireStaffOrKey } from "../lib/http/api_key_auth.ts";
import { notFound } from "../lib/errors.ts";
import { ownOrigin } from "../lib/domain/boundary.ts";
import { bearerToken } from "../lib/auth/visitor_token.ts";
import { authorizeVisitor } from "../lib/channels/webchat.ts";
import { takeWidgetQuota } from "../lib/channels/webchat_limits.ts";
import type { StoredAttachment } from "../lib/store/attachments.ts";
import {
  attachmentForStaff,
  attachmentForVisitor,
  registerAttachmentJobs,
  uploadForStaff,
  uploadForVisitor,
  type UploadRequest,
} from "../lib/attachments/access.ts";
import { attachmentResponse } from "../lib/attachments/serve.ts";

function uploadRequest(c: Context): UploadRequest {
  return {
    body: c.req.raw.body,
    contentType: c.req.header("content-type"),
    contentLength: c.req.header("content-length"),
    filename: c.req.query("filename"),
  };
}

/** What an upload answers: the file as a message will carry it. */
function uploaded(a: StoredAttachment) {
  return { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size };
}

function idParam(id: string): string {
  if (id.length === 0 || id.length > 100) throw notFound("Attachment");
  return id;
}

/**
 * The visitor's upload and download, added to the widget API's app (routes/widget_api.ts) after
 * its CORS middleware, so they answer cross-origin like the rest of `/api/v1/widget/`.
 */
export function addWidgetAttachmentRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { kv } = deps;
  const visitor = (c: Context) =>
    authorizeVisitor(
      deps.engine,
      bearerToken(c.req.header("authorization")),
      c.req.header("origin"),
      ownOrigin(c.req.raw),
    );

  app.post("/api/v1/widget/attachments", async (c) => {
    const access = await visitor(c);
    await takeWidgetQuota(kv, access.claims.visitorId, "uploads");
    const stored = await uploadForVisitor(deps, access.claims.visitorId, uploadRequest(c));
    return c.json({ attachment: uploaded(stored) }, 201);
  });

  app.get("/api/v1/widget/attachments/:id", async (c) => {
    const access = await visitor(c);
    await takeWidgetQuota(kv, access.claims.visitorId, "read");
    const record = await attachmentForVisitor(
      kv,
      access.claims.visitorId,
      idParam(c.req.param("id")),
    );
    return attachmentResponse(kv, record, c.req.header("range"), c.req.method);
  });
}

export function attachmentsApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv } = deps;
  registerAttachmentJobs(deps);

  app.post(
    "/api/v1/conversations/:id/attachments",
    requireStaffOrKey(deps, "messages:write"),
    async (c) => {
      const id = c.req.param("id");
      if (id.length > 100) throw notFound("Conversation");
      const stored = await uploadForStaff(deps, currentAgent(c), id, uploadRequest(c));
      return c.json({ attachment: uploaded(stored) }, 201);
    },
  );

  const staffDownload = async (c: Context<AppEnv>) => {
    const record = await attachmentForStaff(kv, currentAgent(c), idParam(c.req.param("id")!));
    return attachmentResponse(kv, record, c.req.header("range"), c.req.method);
  };
  app.get(
    "/api/v1/attachments/:id",
    requireStaffOrKey(deps, "conversations:read"),
    staffDownload,
  );

  return app;
}
