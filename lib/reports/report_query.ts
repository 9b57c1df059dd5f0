/**
 * The supervision reports' filters (page, JSON and CSV alike): a range of
 * UTC days, a team, an agent, a channel, and the day the per-hour table
 * shows. Parsed once here, so the page, the API and every export read the
 * same figures for the same address.
 */
import { z } from "zod";
import { type Channel, CHANNELS } from "../domain/engine_types.ts";
import { badRequest } from "../errors.ts";
import { withChannel } from "../store/engine/metrics.ts";
import { parseWith } from "../validate.ts";
import { type MessageKey, t } from "../i18n/mod.ts";

export const DAY_MS = 86_400_000;
/** The longest range one report covers, in days. */
export const MAX_DAYS = 92;
/** Days a report covers when no range is given (ending today). */
export const DEFAULT_DAYS = 7;

/**
 * The filters' refusals, in the API's English (`details.fields`), each with the catalog key the
 * reports page says it with in the reader's language.
 */
export const FILTER_ERRORS = {
  badDate: ["Use a date like 2026-11-01.", "reports.error.badDate"],
  realDate: ["Use a real date.", "reports.error.realDate"],
  backwards: ["Must be on or before the last day.", "reports.error.backwards"],
  tooLong: [`A report covers at most ${MAX_DAYS} days.`, "reports.error.tooLong"],
  dayOutside: ["Must be a day of the range.", "reports.error.dayOutside"],
} as const satisfies Record<string, readonly [string, MessageKey]>;

/** A field's refusal in the page's language ("choose from the list" for one it does not know). */
export function filterErrorText(message: string): string {
  const known = Object.values(FILTER_ERRORS).find(([english]) => english === message);
  return known ? t(known[1], { max: MAX_DAYS }) : t("reports.error.invalid");
}

const blankIsAbsent = (v: unknown) => v === "" ? undefined : v;
const isoDay = z.preprocess(
  blankIsAbsent,
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, FILTER_ERRORS.badDate[0]).refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)),
    FILTER_ERRORS.realDate[0],
  ).optional(),
);
const id = z.preprocess(blankIsAbsent, z.string().max(100).optional());

export const reportQuerySchema = z.object({
  from: isoDay.describe("First UTC day, YYYY-MM-DD (default: 6 days before `to`)"),
  to: isoDay.describe("Last UTC day, YYYY-MM-DD, included (default: today)"),
  teamId: id.describe("Only this team's figures"),
  agentId: id.describe("Only this agent's figures (wins over teamId for the day and hour tables)"),
  channel: z.preprocess(blankIsAbsent, z.enum(CHANNELS).optional()).describe("Only this channel"),
  day: isoDay.describe("The UTC day the per-hour table shows (default: the last day of the range)"),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

const invalidField = (field: string, message: string) =>
  badRequest("invalid", `${field}: ${message}`, { fields: { [field]: message } });

/** A parsed, checked report request. Times are UTC ms; `toMs` is exclusive. */
export interface ReportFilters {
  fromMs: number;
  toMs: number;
  teamId: string | null;
  agentId: string | null;
  channel: Channel | null;
  /** Start of the day the per-hour table shows. */
  dayMs: number;
}

const dayStart = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
export const isoDayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The filters of a query (a 400 naming the field for a range that is backwards or too long). */
export function reportFilters(raw: unknown, nowMs = Date.now()): ReportFilters {
  const q = parseWith(reportQuerySchema, raw);
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const last = q.to ? dayStart(q.to) : today;
  const first = q.from ? dayStart(q.from) : last - (DEFAULT_DAYS - 1) * DAY_MS;
  if (first > last) throw invalidField("from", FILTER_ERRORS.backwards[0]);
  if ((last - first) / DAY_MS + 1 > MAX_DAYS) {
    throw invalidField("from", FILTER_ERRORS.tooLong[0]);
  }
  const day = q.day ? dayStart(q.day) : last;
  if (day < first || day > last) {
    throw invalidField("day", FILTER_ERRORS.dayOutside[0]);
  }
  return {
    fromMs: first,
    toMs: last + DAY_MS,
    teamId: q.teamId ?? null,
    agentId: q.agentId ?? null,
    channel: q.channel ?? null,
    dayMs: day,
  };
}

/** The metrics scope the day and hour tables read (metrics.ts scopes). */
export function scopeOf(f: ReportFilters): string {
  const base = f.agentId ? `agent:${f.agentId}` : f.teamId ? `team:${f.teamId}` : "all";
  return withChannel(base, f.channel);
}

/** The filters as a query string (links between the page, its exports and its hours). */
export function filtersQuery(f: ReportFilters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ from: isoDayOf(f.fromMs), to: isoDayOf(f.toMs - DAY_MS) });
  if (f.teamId) p.set("teamId", f.teamId);
  if (f.agentId) p.set("agentId", f.agentId);
  if (f.channel) p.set("channel", f.channel);
  p.set("day", isoDayOf(f.dayMs));
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}
