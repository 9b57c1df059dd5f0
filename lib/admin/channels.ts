/**
 * Channels in the admin console: web widget sites (store owned by the widget
 * area, lib/store/sites.ts) and the WhatsApp connection (store owned by the
 * WhatsApp area, lib/store/whatsapp_config.ts). This module adds what the
 * console needs on top: form parsing, team checks, the embed snippet, and an
 * audit entry for every change. WhatsApp secrets are write-only: a blank
 * secret field keeps the stored value, "remove" clears it, and neither the
 * answers nor the audit log ever contain one.
 */
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import { badRequest } from "../errors.ts";
import { type Actor, recordAudit } from "../store/audit.ts";
import {
  createSite,
  deleteSite,
  getSite,
  type Site,
  siteInputSchema,
  updateSite,
} from "../store/sites.ts";
import { getTeam } from "../store/teams.ts";
import {
  type PublicWhatsAppConfig,
  publicWhatsAppConfig,
  saveWhatsAppConfig,
  whatsAppConfigInputSchema,
} from "../store/whatsapp_config.ts";
import { checkbox } from "./fields.ts";
import { testWhatsAppConnection } from "../channels/whatsapp.ts";
import { refreshWhatsAppTemplates } from "../channels/whatsapp_templates.ts";
import { widgetEmbedSnippet } from "../channels/widget_snippet.ts";

/** The site form: origins one per line (or comma-separated), checkbox for "any origin". */
export const siteFormSchema = z.preprocess((raw) => {
  const v = raw as Record<string, unknown>;
  return {
    ...v,
    allowedOrigins: typeof v.allowedOrigins === "string"
      ? v.allowedOrigins.split(/[\r\n,]+/).map((o) => o.trim()).filter(Boolean)
      : v.allowedOrigins,
    allowAnyOrigin: checkbox.parse(v.allowAnyOrigin),
    preChatForm: checkbox.parse(v.preChatForm),
    teamId: v.teamId === "" ? null : v.teamId,
  };
}, siteInputSchema);

async function assertTeam(deps: AppDeps, teamId: string | null | undefined) {
  if (teamId && !(await getTeam(deps.kv, teamId))) {
    throw badRequest("invalid", "teamId: That team does not exist", {
      fields: { teamId: "That team does not exist" },
    });
  }
}

const siteAudit = (
  actor: Actor,
  action: string,
  site: Site,
  details?: Record<string, unknown>,
) => ({
  actorId: actor.id,
  actorName: actor.name,
  action,
  targetType: "site" as const,
  targetId: site.id,
  targetLabel: site.name,
  details,
});

/** Creates a widget site after checking its team; audited. */
export async function adminCreateSite(
  deps: AppDeps,
  actor: Actor,
  input: z.infer<typeof siteInputSchema>,
): Promise<Site> {
  await assertTeam(deps, input.teamId);
  const site = await createSite(deps.engine, input);
  await recordAudit(deps.kv, siteAudit(actor, "site.created", site));
  return site;
}

/** Changes a widget site; the audit entry names the changed fields. */
export async function adminUpdateSite(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: Partial<z.infer<typeof siteInputSchema>>,
): Promise<Site> {
  await assertTeam(deps, input.teamId);
  const before = await getSite(deps.kv, id);
  const site = await updateSite(deps.engine, id, input);
  const fields = Object.keys(input).filter((k) =>
    JSON.stringify((input as Record<string, unknown>)[k]) !==
      JSON.stringify((before as unknown as Record<string, unknown> | null)?.[k])
  );
  await recordAudit(deps.kv, siteAudit(actor, "site.updated", site, { fields }));
  return site;
}

/** Deletes a widget site (not the default one); audited. */
export async function adminDeleteSite(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  const site = await getSite(deps.kv, id);
  await deleteSite(deps.engine, id);
  if (site) await recordAudit(deps.kv, siteAudit(actor, "site.deleted", site));
}

/** The copy-paste snippet that embeds the widget of `site` on a page (stub included). */
export function embedSnippet(origin: string, site: Pick<Site, "siteKey">): string {
  return widgetEmbedSnippet(origin, site.siteKey);
}

const SECRET_FIELDS = ["accessToken", "appSecret", "verifyToken"] as const;

/**
 * The WhatsApp form: a blank secret keeps the stored one; the `clear_FIELD`
 * checkbox removes it. Other blank fields clear their value.
 */
export const whatsAppFormSchema = z.preprocess((raw) => {
  const v = { ...(raw as Record<string, unknown>) };
  for (const field of SECRET_FIELDS) {
    if (checkbox.parse(v[`clear_${field}`])) v[field] = null;
    else if (v[field] === "" || v[field] === undefined) delete v[field];
    delete v[`clear_${field}`];
  }
  for (
    const field of ["phoneNumberId", "businessAccountId", "graphUrl", "graphVersion", "teamId"]
  ) {
    if (v[field] === "") v[field] = null;
  }
  return v;
}, whatsAppConfigInputSchema.strict());

/** Saves the WhatsApp connection and audits which fields changed (never their values). */
export async function adminSaveWhatsApp(
  deps: AppDeps,
  actor: Actor,
  input: z.infer<typeof whatsAppConfigInputSchema>,
): Promise<PublicWhatsAppConfig> {
  await assertTeam(deps, input.teamId);
  await saveWhatsAppConfig(deps.kv, input, actor.id);
  const fields = Object.keys(input).filter((k) =>
    (input as Record<string, unknown>)[k] !== undefined
  );
  await recordAudit(deps.kv, {
    actorId: actor.id,
    actorName: actor.name,
    action: "whatsapp.updated",
    targetType: "whatsapp",
    targetId: "whatsapp",
    targetLabel: "WhatsApp connection",
    details: { fields },
  });
  return await publicWhatsAppConfig(deps);
}

/** Runs the WhatsApp area's connection test with the saved settings and audits that it ran. */
export async function adminTestWhatsApp(deps: AppDeps, actor: Actor) {
  const result = await testWhatsAppConnection(deps);
  await recordAudit(deps.kv, {
    actorId: actor.id,
    actorName: actor.name,
    action: "whatsapp.tested",
    targetType: "whatsapp",
    targetId: "whatsapp",
    targetLabel: "WhatsApp connection",
    details: { ok: result.ok },
  });
  return result;
}

/** Reads the WABA's message templates from the Graph API into the cache; audited. */
export async function adminRefreshWhatsAppTemplates(deps: AppDeps, actor: Actor) {
  const result = await refreshWhatsAppTemplates(deps);
  await recordAudit(deps.kv, {
    actorId: actor.id,
    actorName: actor.name,
    action: "whatsapp.templates_refreshed",
    targetType: "whatsapp",
    targetId: "whatsapp",
    targetLabel: "WhatsApp templates",
    details: { ok: result.ok, count: result.items.length },
  });
  return result;
}
