/**
 * Routing settings from the admin console: the engine owns the record and its
 * rules (lib/store/engine/settings.ts, read on every decision, so a change
 * takes effect at once without a restart); this module adds the form schema
 * and the audit entry naming each changed value.
 */
import { z } from "zod";
import { type SettingsUpdate, settingsUpdateSchema } from "../domain/settings.ts";
import type { AppDeps } from "../app_deps.ts";
import { type Actor, recordAudit } from "../store/audit.ts";
import { getSettings, type Settings, updateSettings } from "../store/engine/mod.ts";
import { checkbox } from "./fields.ts";
import { INACTIVITY_LANGUAGES } from "../domain/inactivity.ts";

const NUMBER_FIELDS = [
  "maxChatsPerAgent",
  "heartbeatGraceSeconds",
  "unansweredTimeoutSeconds",
  "maxTransfersPerAgent",
  "inactivityWarnSeconds",
  "inactivityCloseSeconds",
  "retentionDays",
  "surveyWindowDays",
] as const;

/** The settings form: numbers arrive as strings, switches as checkboxes (absent = off). */
export const settingsFormSchema = z.preprocess((raw) => {
  const v = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {
    dynamicAssignment: checkbox.parse(v.dynamicAssignment),
    requeueOnOffline: checkbox.parse(v.requeueOnOffline),
    allowFreeTags: checkbox.parse(v.allowFreeTags),
    surveyComment: checkbox.parse(v.surveyComment),
  };
  if (v.surveyMode !== undefined) out.surveyMode = v.surveyMode;
  // One tag per line (commas too); a form without the field leaves the list as it is.
  if (typeof v.wrapUpTags === "string") {
    out.wrapUpTags = v.wrapUpTags.split(/[\n,]/).map((t) => t.trim()).filter(Boolean);
  }
  // The inactivity warning per language: fields "inactivityWarningText.en", ".es", ...
  const texts = Object.fromEntries(
    INACTIVITY_LANGUAGES.flatMap((l) => {
      const t = v[`inactivityWarningText.${l}`];
      return typeof t === "string" ? [[l, t]] : [];
    }),
  );
  if (Object.keys(texts).length) out.inactivityWarningText = texts;
  for (const f of NUMBER_FIELDS) {
    const s = typeof v[f] === "string" ? (v[f] as string).trim() : v[f];
    out[f] = s === "" || s === undefined ? undefined : /^-?\d+$/.test(String(s)) ? Number(s) : s;
  }
  return out;
}, settingsUpdateSchema);

/** Applies a settings update through the engine and audits what changed (from → to). */
export async function adminUpdateSettings(
  deps: AppDeps,
  actor: Actor,
  update: SettingsUpdate,
): Promise<Settings> {
  const before = await getSettings(deps.kv);
  const after = await updateSettings(deps.engine, update, actor.id);
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(after) as (keyof Settings)[]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      changed[k] = { from: before[k], to: after[k] };
    }
  }
  if (Object.keys(changed).length) {
    await recordAudit(deps.kv, {
      actorId: actor.id,
      actorName: actor.name,
      action: "settings.updated",
      targetType: "settings",
      targetId: "routing",
      targetLabel: "Routing settings",
      details: changed,
    });
  }
  return after;
}
