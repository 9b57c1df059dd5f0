/**
 * Business hours (issue 16, item 4), without I/O: weekly opening ranges in an
 * IANA time zone, plus holidays, and whether a moment falls inside them.
 *
 * Every rule works on the wall clock of the time zone, got from the instant
 * with `Intl.DateTimeFormat` (no dependency), so a daylight-saving change
 * moves the opening with the clock: "09:00" is 09:00 local on both sides of
 * it. Decisions:
 * - A range belongs to the day it starts on. `from` < `to` is within the day
 *   (`to` may be "24:00"); `to` ≤ `from` runs overnight into the next day
 *   ("22:00-02:00" on Friday is open Friday 22:00 to Saturday 02:00).
 * - A holiday (a local date) is closed for the whole of that date, also the
 *   morning part of an overnight range from the evening before; a range that
 *   starts on the evening of a holiday does not open.
 * - Times that do not exist on a spring-forward day fall in the hour after the
 *   gap (as `Date` does); an hour that happens twice is open or closed by its
 *   wall-clock time both times.
 * - Hours switched off (`enabled: false`) mean always open.
 */
import { z } from "zod";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening range: local times "HH:MM" (to may be "24:00"); to ≤ from runs overnight. */
export interface OpeningRange {
  from: string;
  to: string;
}

export interface BusinessHours {
  /** Off: always open. */
  enabled: boolean;
  /** An IANA time zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Ranges per weekday (a day without ranges is closed). */
  weekly: Record<Weekday, OpeningRange[]>;
  /** Local dates "YYYY-MM-DD" closed all day. */
  holidays: string[];
  /** What a WhatsApp customer who writes out of hours is sent, once per conversation ("": the standard text). */
  awayMessage?: string;
}

/** Hours that never close (what a workspace has until an admin sets some). */
export const ALWAYS_OPEN: BusinessHours = {
  enabled: false,
  timeZone: "UTC",
  weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  holidays: [],
};

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Minutes since local midnight of "HH:MM". */
export const minutesOf = (hhmm: string): number =>
  Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True for a time zone this runtime's Intl knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.length > 0 && tz.length <= 64;
  } catch {
    return false;
  }
}

const range = z.object({
  from: z.string().regex(TIME, "Times are HH:MM, 00:00 to 23:59"),
  to: z.string().regex(TIME, "Times are HH:MM, 00:00 to 24:00"),
}).refine((r) => r.from !== "24:00", { message: "A range cannot start at 24:00", path: ["from"] })
  .refine((r) => r.from !== r.to, {
    message: "A range must not start and end at the same time (00:00-24:00 is the whole day)",
    path: ["to"],
  });

/** The one schema of business hours (admin form, admin API, store). */
export const businessHoursSchema = z.object({
  enabled: z.boolean(),
  timeZone: z.string().refine(
    isTimeZone,
    "Unknown time zone: use an IANA name such as Europe/Berlin",
  ),
  weekly: z.object(
    Object.fromEntries(
      WEEKDAYS.map((d) => [d, z.array(range).max(4, "At most 4 ranges a day")]),
    ) as {
      [K in Weekday]: z.ZodArray<typeof range>;
    },
  ).strict(),
  holidays: z.array(
    z.string().regex(DATE, "Holidays are dates written YYYY-MM-DD").refine(
      (d) =>
        !Number.isNaN(Date.parse(d + "T00:00:00Z")) &&
        new Date(d + "T00:00:00Z").toISOString().startsWith(d),
      "Not a real date",
    ),
  ).max(200, "At most 200 holidays"),
  awayMessage: z.string().trim().max(1000, "The away message is at most 1,000 characters")
    .optional(),
}).strict().transform((h) => ({ ...h, holidays: [...new Set(h.holidays)].sort() }));

/** The local wall clock of an instant in a time zone. */
export interface LocalTime {
  date: string; // YYYY-MM-DD
  weekday: Weekday;
  minutes: number; // since local midnight
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at `ms`. */
export function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday.toLowerCase().slice(0, 3) as Weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const previousDay = (d: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(d) + 6) % 7];

/** The local date before `date` (YYYY-MM-DD). */
function dayBefore(date: string): string {
  const t = Date.parse(date + "T12:00:00Z") - 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** True when `hours` are open at the instant `ms`. */
export function isOpenAt(hours: BusinessHours, ms: number): boolean {
  if (!hours.enabled) return true;
  const now = localTime(ms, hours.timeZone);
  if (hours.holidays.includes(now.date)) return false;
  for (const r of hours.weekly[now.weekday]) {
    const from = minutesOf(r.from);
    const to = minutesOf(r.to);
    if (from < to ? now.minutes >= from && now.minutes < to : now.minutes >= from) return true;
  }
  // The morning part of an overnight range that began yesterday (unless yesterday was a holiday).
  if (hours.holidays.includes(dayBefore(now.date))) return false;
  for (const r of hours.weekly[previousDay(now.weekday)]) {
    const from = minutesOf(r.from);
    const to = minutesOf(r.to);
    if (to <= from && now.minutes < to) return true;
  }
  return false;
}

/**
 * The next moment (ms) the hours open after `ms` while closed, looking up to
 * 14 days ahead, to the minute; null when open now or nothing opens in that
 * time (e.g. every day closed).
 */
export function nextOpening(hours: BusinessHours, ms: number): number | null {
  if (isOpenAt(hours, ms)) return null;
  // Openings happen only at a range's start or at local midnight (a holiday ending): walk the
  // minutes where the state can change, in order, in steps the wall clock cannot skip over.
  const starts = new Set<number>([0]);
  for (const d of WEEKDAYS) for (const r of hours.weekly[d]) starts.add(minutesOf(r.from));
  const step = 15 * 60_000;
  let t = Math.ceil((ms + 1) / 60_000) * 60_000;
  const end = ms + 14 * 86_400_000;
  while (t <= end) {
    const local = localTime(t, hours.timeZone);
    if (isOpenAt(hours, t)) {
      // Back up minute by minute to the first open minute (at most one step).
      let first = t;
      while (first - 60_000 > ms && isOpenAt(hours, first - 60_000)) first -= 60_000;
      return first;
    }
    // Jump to the next minute of the day where something may open, else one step.
    const next = [...starts].filter((m) => m > local.minutes).sort((a, b) => a - b)[0];
    const jump = next === undefined ? 1440 - local.minutes : next - local.minutes;
    t += Math.min(step, Math.max(1, jump) * 60_000);
  }
  return null;
}

/**
 * Whether a chat may expect someone now, as the widget is told before the
 * visitor types: closed by the hours first (with when they open again), else
 * closed when nobody who could take the chat is Online, else open. With the
 * hours off (the default) the widget always chats: the visitor waits in the
 * queue as before; switching hours on is what turns the offline form on, for
 * both reasons (hours for every day, 00:00-24:00, give "only when nobody is
 * Online").
 */
export interface Availability {
  open: boolean;
  reason: "closed_hours" | "nobody_online" | null;
  /** When the hours open again (ISO), while closed by them; null otherwise or when unknown. */
  opensAt: string | null;
  /** The time zone of the hours that apply (null when always open). */
  timeZone: string | null;
}

/** The availability under `hours` at `ms`, given whether anyone who could take the chat is Online. */
export function availabilityOf(hours: BusinessHours, staffed: boolean, ms: number): Availability {
  if (!hours.enabled) return { open: true, reason: null, opensAt: null, timeZone: null };
  const timeZone = hours.timeZone;
  if (!isOpenAt(hours, ms)) {
    const next = nextOpening(hours, ms);
    return {
      open: false,
      reason: "closed_hours",
      opensAt: next === null ? null : new Date(next).toISOString(),
      timeZone,
    };
  }
  if (!staffed) return { open: false, reason: "nobody_online", opensAt: null, timeZone };
  return { open: true, reason: null, opensAt: null, timeZone };
}

/**
 * The WhatsApp away reply's text: the admin's own, or the standard one saying
 * when the hours open again (in their time zone). English: WhatsApp gives no
 * language for a customer.
 */
export function awayReplyText(hours: BusinessHours, ms: number): string {
  const own = hours.awayMessage?.trim();
  if (own) return own;
  const next = nextOpening(hours, ms);
  const when = next === null ? "" : ` We open again ${
    new Date(next).toLocaleString("en-GB", {
      weekday: "long",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: hours.timeZone,
    })
  } (${hours.timeZone} time).`;
  return `Thank you for your message. We are closed right now and will answer you as soon as we are back.${when}`;
}
