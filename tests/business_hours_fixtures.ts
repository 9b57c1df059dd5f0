/** Business hours the hours tests share (widget, HTTP, WhatsApp away reply). */
import { ALWAYS_OPEN, type BusinessHours } from "../lib/domain/business_hours.ts";

/**
 * Open 09:00-17:00 only on the weekday three days from today (UTC): closed now
 * whatever the hour, in UTC and in Berlin alike.
 */
export function closedToday(): BusinessHours {
  const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
  const other = days[(new Date().getUTCDay() + 3) % 7];
  return {
    enabled: true,
    timeZone: "Europe/Berlin",
    weekly: { ...ALWAYS_OPEN.weekly, [other]: [{ from: "09:00", to: "17:00" }] },
    holidays: [],
  };
}
