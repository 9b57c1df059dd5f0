/**
 * WhatsApp HTTP surface (docs/api.md, "WhatsApp"):
 *
 * - `GET /webhooks/whatsapp`: Meta's verification handshake.
 * - `POST /webhooks/whatsapp`: signed events; 200 once durably queued.
 * - `GET /api/v1/media/:mediaId`: staff open a customer's photo, voice note or
 *   document; fetched from the Graph API with the token, never exposing it.
 * - `GET /api/v1/conversations/:id/whatsapp`: the 24-hour window.
 *
 * Also registers the WhatsApp jobs on `deps.jobs` (inbound processing and
 * outbound delivery).
 */
import { Hono } from "hono";
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

  return app;
}
