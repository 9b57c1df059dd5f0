/**
 * WhatsApp HTTP surface (docs/api.md, "WhatsApp"):
 *
 * - `GET /webhooks/whatsapp`: Meta's verification handshake.
 * - `POST /webhooks/whatsapp`: signed events; 200 once durably queued.
 * - `GET /api/v1/media/:mediaId`: staff open a customer's photo, voice note or
 *   document; fetched from the Graph API with the token, never exposing it.
 * - `GET /api/v1/conversations/:id/whatsapp`: the 24-hour window.
 * - `GET /api/v1/whatsapp/templates`: the approved templates agents can send.
 * - `POST /api/v1/conversations/:id/templates`: send one (in or out of the window).
 *
 * Also registers the WhatsApp jobs on `deps.jobs` (inbound processing and
 * outbound delivery).
 */
import { Hono } from "hono";
import { z } from "zod";
import { clientId } from "../lib/domain/boundary.ts";
import { notFound } from "../lib/errors.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import { listWhatsAppTemplates, sendTemplateMessage } from "../lib/channels/whatsapp_templates.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { requireRole } from "../lib/http/middleware.ts";
import { loadWhatsAppSettings } from "../lib/store/whatsapp_config.ts";
import { acceptWhatsAppWebhook, verificationChallenge } from "../lib/channels/whatsapp_webhook.ts";
import {
  openWhatsAppMedia,
  registerWhatsAppJobs,
  whatsAppStateForStaff,
} from "../lib/channels/whatsapp.ts";

export const templateSendBody = z.object({
  clientId,
  name: z.string().trim().min(1).max(512),
  language: z.string().trim().min(1).max(20),
  values: z.record(z.string().max(200), z.string().max(4096))
    .refine((v) => Object.keys(v).length <= 60, "At most 60 values").default({}),
}).strict();

export function whatsappRoutes(deps: AppDeps): Hono<AppEnv> {
  registerWhatsAppJobs(deps);
  const app = new Hono<AppEnv>();

  app.get("/webhooks/whatsapp", async (c) => {
    const settings = await loadWhatsAppSettings(deps);
    const challenge = verificationChallenge(settings, c.req.query());
    if (challenge === null) return c.text("Verification failed.", 403);
    return c.text(challenge, 200);
  });

  app.post("/webhooks/whatsapp", async (c) => {
    const settings = await loadWhatsAppSettings(deps);
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const queued = await acceptWhatsAppWebhook(
      deps.kv,
      settings,
      raw,
      c.req.header("x-hub-signature-256"),
    );
    return c.json({ ok: true, ...queued }, 200);
  });

  app.get("/api/v1/media/:mediaId", requireRole(), async (c) => {
    return await openWhatsAppMedia(deps, c.get("agent")!, c.req.param("mediaId"));
  });

  app.get("/api/v1/conversations/:id/whatsapp", requireRole(), async (c) => {
    return c.json(await whatsAppStateForStaff(deps, c.get("agent")!, c.req.param("id")));
  });

  app.get("/api/v1/whatsapp/templates", requireRole(), async (c) => {
    return c.json(await listWhatsAppTemplates(deps.kv, { sendableOnly: true }));
  });

  app.post("/api/v1/conversations/:id/templates", requireRole(), async (c) => {
    const body = await parseJsonBody(c, templateSendBody);
    const id = c.req.param("id");
    if (id.length > 100) throw notFound("Conversation");
    const { message, duplicate } = await sendTemplateMessage(
      deps.engine,
      c.get("agent")!,
      id,
      body,
    );
    return c.json({ message, duplicate }, duplicate ? 200 : 201);
  });

  return app;
}
