/**
 * Business hours in the admin console (`/admin/hours`): the form's fields to
 * and from the record (lib/domain/business_hours.ts), with errors named after
 * the field to fix ("Monday: write opening times like 09:00-17:00"). One text
 * field per weekday holds that day's ranges, comma-separated ("09:00-12:30,
 * 13:30-17:00"; "22:00-02:00" runs overnight; empty = closed), so the whole
 * form is plain inputs a keyboard fills in order.
 */
import { badRequest } from "../errors.ts";
import {
  type BusinessHours,
  businessHoursSchema,
  type OpeningRange,
  type Weekday,
  WEEKDAYS,
} from "../domain/business_hours.ts";
import { plainMessage } from "../validate.ts";
import { checkbox } from "./fields.ts";
import { formatDate, t } from "../i18n/mod.ts";

/** A Monday at noon UTC (1 January 2024), from which each weekday's name is read. */
const A_MONDAY = Date.UTC(2024, 0, 1, 12);

/** The weekday's name in the page's language, by `Intl` ("Monday", "Lunes", "Segunda-feira"). */
export function dayName(day: Weekday): string {
  const name = formatDate(A_MONDAY + WEEKDAYS.indexOf(day) * 86_400_000, {
    weekday: "long",
    timeZone: "UTC",
  });
  return name.charAt(0).toLocaleUpperCase() + name.slice(1);
}

const RANGE = /^(\d{1,2}):(\d{2})\s*(?:-|–|to)\s*(\d{1,2}):(\d{2})$/;
const pad = (h: string, m: string) => `${h.padStart(2, "0")}:${m}`;

/** One day's field ("09:00-12:00, 13:00-17:00") as ranges; null when it cannot be read. */
export function parseDay(text: string): OpeningRange[] | null {
  const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
  const out: OpeningRange[] = [];
  for (const part of parts) {
    const m = RANGE.exec(part);
    if (!m) return null;
    out.push({ from: pad(m[1], m[2]), to: pad(m[3], m[4]) });
  }
  return out;
}

/** A day's ranges as its form field shows them. */
export const dayText = (ranges: OpeningRange[]): string =>
  ranges.map((r) => `${r.from}-${r.to}`).join(", ");

/** The form's values for a record (what the page fills in). */
export function hoursFormValues(hours: BusinessHours): Record<string, string> {
  const v: Record<string, string> = {
    enabled: hours.enabled ? "on" : "",
    timeZone: hours.timeZone,
    holidays: hours.holidays.join("\n"),
    awayMessage: hours.awayMessage ?? "",
  };
  for (const d of WEEKDAYS) v[d] = dayText(hours.weekly[d]);
  return v;
}

/**
 * The record a submitted form describes; a 400 `invalid` naming each field to
 * fix (by the form's field names: `mon`…`sun`, `timeZone`, `holidays`).
 */
export function hoursFromForm(form: Record<string, string | undefined>): BusinessHours {
  const fields: Record<string, string> = {};
  const weekly = {} as Record<Weekday, OpeningRange[]>;
  for (const d of WEEKDAYS) {
    const ranges = parseDay(form[d] ?? "");
    if (ranges) weekly[d] = ranges;
    else {
      weekly[d] = [];
      fields[d] = t("admin.hours.badDay", { day: dayName(d) });
    }
  }
  const holidays = (form.holidays ?? "").split(/[\n,]/).map((l) => l.trim()).filter(Boolean);
  const raw = {
    enabled: checkbox.parse(form.enabled),
    timeZone: (form.timeZone ?? "").trim(),
    weekly,
    holidays,
    awayMessage: form.awayMessage ?? "",
  };
  const parsed = businessHoursSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, day] = issue.path as (string | number)[];
      if (top === "weekly" && typeof day === "string") {
        fields[day] ??= `${dayName(day as Weekday)}: ${plainMessage(issue)}.`;
      } else if (top === "holidays") {
        const i = issue.path[1];
        fields.holidays ??= typeof i === "number"
          ? `"${holidays[i]}": ${plainMessage(issue)}.`
          : `${plainMessage(issue)}.`;
      } else if (top === "timeZone" || top === "awayMessage") {
        fields[top] ??= `${plainMessage(issue)}.`;
      } else fields[String(top ?? "_")] ??= plainMessage(issue);
    }
  }
  if (Object.keys(fields).length || !parsed.success) {
    throw badRequest(
      "invalid",
      Object.entries(fields).map(([k, m]) => `${k}: ${m}`).join("; "),
      { fields },
    );
  }
  return parsed.data;
}
