/** Routing settings: defaults and the schema of an update (admin console, `PUT /api/v1/admin/settings`). */
import { z } from "zod";
import { maxChats } from "./boundary.ts";
import type { Settings } from "./engine_types.ts";
import { SURVEY_LIMITS } from "./survey.ts";
import { WRAP_UP_TAGS } from "./wrap_up.ts";
import { RETENTION_DAYS } from "./retention.ts";
import {
  DEFAULT_WARNING_TEXT,
  INACTIVITY_LANGUAGES,
  INACTIVITY_SECONDS,
  MAX_WARNING_CHARS,
} from "./inactivity.ts";

export const DEFAULT_SETTINGS: Settings = {
  maxChatsPerAgent: 5,
  dynamicAssignment: true,
  heartbeatGraceSeconds: 60,
  requeueOnOffline: true,
  unansweredTimeoutSeconds: 120,
  maxTransfersPerAgent: 0,
  wrapUpTags: [],
  allowFreeTags: true,
  // Inactivity (lib/domain/inactivity.ts): off until an admin sets the warning delay.
  inactivityWarnSeconds: 0,
  inactivityCloseSeconds: 300,
  inactivityWarningText: { ...DEFAULT_WARNING_TEXT },
  // Retention (lib/domain/retention.ts): off until an admin sets a number of days.
  retentionDays: 0,
  surveyMode: "off",
  surveyComment: true,
  surveyWindowDays: 7,
};

const GRACE = "The grace period must be between 10 and 3600 seconds";
const SURVEY_DAYS =
  `Survey answers count for ${SURVEY_LIMITS.minDays} to ${SURVEY_LIMITS.maxDays} days`;
const TRANSFERS = "Max transferred chats must be between 0 (no limit) and 100";
const INACTIVE = `Use ${INACTIVITY_SECONDS.min} to ${INACTIVITY_SECONDS.max} seconds`;
const inactivitySeconds = z.number().int("Use whole seconds").min(INACTIVITY_SECONDS.min, INACTIVE)
  .max(INACTIVITY_SECONDS.max, INACTIVE);
/** The warning per language: each at most 1000 characters; an empty one falls back to the default. */
const warningTexts = z.object(
  Object.fromEntries(
    INACTIVITY_LANGUAGES.map((l) => [
      l,
      z.string().trim().max(MAX_WARNING_CHARS, `At most ${MAX_WARNING_CHARS} characters`)
        .optional(),
    ]),
  ),
).strict();

/** A partial update; fields left out keep their value. */
export const settingsUpdateSchema = z.object({
  maxChatsPerAgent: maxChats.optional(),
  dynamicAssignment: z.boolean().optional(),
  heartbeatGraceSeconds: z.number().int("Use whole seconds").min(10, GRACE).max(3600, GRACE)
    .optional(),
  requeueOnOffline: z.boolean().optional(),
  unansweredTimeoutSeconds: z.number().int().refine((n) => n === 0 || (n >= 10 && n <= 86400), {
    message: "Use 0 (off) or 10 to 86400 seconds",
  }).optional(),
  maxTransfersPerAgent: z.number().int("Use a whole number").min(0, TRANSFERS).max(100, TRANSFERS)
    .optional(),
  /** The admin's list (cleaned on save: trimmed, one of each, case-blind). */
  wrapUpTags: z.array(
    z.string().trim().min(1, "A tag cannot be empty").max(
      WRAP_UP_TAGS.chars,
      `A tag has at most ${WRAP_UP_TAGS.chars} characters`,
    ),
  ).max(WRAP_UP_TAGS.predefined, `At most ${WRAP_UP_TAGS.predefined} tags`).optional(),
  allowFreeTags: z.boolean().optional(),
  inactivityWarnSeconds: z.number().int().refine(
    (n) => n === 0 || (n >= INACTIVITY_SECONDS.min && n <= INACTIVITY_SECONDS.max),
    { message: `Use 0 (off) or ${INACTIVE.slice(4)}` },
  ).optional(),
  inactivityCloseSeconds: inactivitySeconds.optional(),
  inactivityWarningText: warningTexts.optional(),
  retentionDays: z.number().int().refine(
    (n) => n === 0 || (n >= RETENTION_DAYS.min && n <= RETENTION_DAYS.max),
    { message: `Use 0 (keep forever) or ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max} days` },
  ).optional(),
  surveyMode: z.enum(["off", "csat", "csat_nps"], {
    message: 'Use "off", "csat" or "csat_nps"',
  }).optional(),
  surveyComment: z.boolean().optional(),
  surveyWindowDays: z.number().int("Use whole days").min(SURVEY_LIMITS.minDays, SURVEY_DAYS).max(
    SURVEY_LIMITS.maxDays,
    SURVEY_DAYS,
  ).optional(),
}).strict();
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

/**
 * Stored settings over the defaults. The store keeps only the values an admin
 * saved (lib/store/engine/settings.ts), so a default (or a later change of
 * one, such as unansweredTimeoutSeconds 0 → 120 in issue 16) applies wherever
 * no value was saved; a record saved by an older version holds every field.
 */
export function withDefaults(stored: Partial<Settings> | null): Settings {
  return { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
}
