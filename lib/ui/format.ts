/**
 * Pure formatting helpers of the agent workspace, shared by the server render
 * and the islands (no DOM, no I/O): waiting times, clock times, the tab title
 * with the unread count, delivery-state words, agent load, and the custom
 * field cursor of the composer. Words and dates are in the page's language
 * (lib/i18n: `t()` and `Intl`).
 */
import { ellipsize } from "../domain/text.ts";
import { dateParts, formatDate, t } from "../i18n/mod.ts";

/** "just now", "4 min", "2 h 5 min", "3 d" since `sinceIso`, at `nowMs` (in the page's language). */
export function waitingLabel(sinceIso: string | null | undefined, nowMs: number): string {
  if (!sinceIso) return "";
  const since = Date.parse(sinceIso);
  if (Number.isNaN(since)) return "";
  const minutes = Math.floor(Math.max(0, nowMs - since) / 60_000);
  if (minutes < 1) return t("time.justNow");
  if (minutes < 60) return t("time.minutes", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return minutes % 60
      ? t("time.hoursMinutes", { h: hours, m: minutes % 60 })
      : t("time.hours", { n: hours });
  }
  return t("time.days", { n: Math.floor(hours / 24) });
}

/**
 * "14:05" for today, "3 Nov 14:05" otherwise ("3 nov 14:05" in Spanish: the
 * month from `Intl.DateTimeFormat`): in local time with `local`, else in UTC
 * (what the server renders, so the first browser render matches it).
 */
export function clockLabel(
  iso: string | null | undefined,
  nowMs = Date.now(),
  local = false,
): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const timeZone = local ? undefined : "UTC";
  const dayOf = (x: Date) =>
    formatDate(x, { year: "numeric", month: "numeric", day: "numeric", timeZone });
  const time = formatDate(d, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
  if (dayOf(d) === dayOf(new Date(nowMs))) return time;
  const parts = dateParts(d, { day: "numeric", month: "short", timeZone });
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("day")} ${part("month")} ${time}`;
}

/** The document title: `(3) Parley` when 3 messages are unread, `Parley` otherwise. */
export function titleWithUnread(unread: number, base = "Parley"): string {
  return unread > 0 ? `(${unread > 99 ? "99+" : unread}) ${base}` : base;
}

export const DELIVERY_STATES = ["sending", "sent", "delivered", "read", "failed"] as const;
export type DeliveryState = typeof DELIVERY_STATES[number];

/** The word shown under an outbound message for its delivery state. */
export function deliveryLabel(state: string | null | undefined): string {
  return (DELIVERY_STATES as readonly (string | null | undefined)[]).includes(state)
    ? t(`delivery.${state as DeliveryState}`)
    : "";
}

/** "2/4": active chats over the agent's maximum ("2/–" when unknown). */
export function loadLabel(active: number, max: number | null | undefined): string {
  return `${active}/${max ?? "–"}`;
}

/** "WebChat" or "WhatsApp", the product's channel names. */
export function channelLabel(channel: string): string {
  return channel === "whatsapp" ? "WhatsApp" : "WebChat";
}

/** A one-line preview of a message body, at most `max` characters. */
export function previewText(text: string | null | undefined, max = 80): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return ellipsize(flat, max); // never half an emoji
}

/** The `{{field:Name}}` custom fields the agent still has to fill, in order. */
const FIELD = /\{\{\s*field:([^}]+?)\s*\}\}/g;

export interface FieldSpan {
  name: string;
  start: number;
  end: number;
}

export function customFields(text: string): FieldSpan[] {
  return [...text.matchAll(FIELD)].map((m) => ({
    name: m[1],
    start: m.index!,
    end: m.index! + m[0].length,
  }));
}

/**
 * The custom field Tab should select next from the caret at `from` (wrapping
 * around), or null when none is left.
 */
export function nextField(text: string, from: number): FieldSpan | null {
  const fields = customFields(text);
  if (fields.length === 0) return null;
  return fields.find((f) => f.start >= from) ?? fields[0];
}

/** A short, browser-safe client id for idempotent sends. */
export function newClientId(): string {
  return "c-" + crypto.randomUUID();
}

/** Name of a browser from a user-agent string ("Chrome 131", "Firefox 133", …), or the raw value. */
export function browserName(userAgent: string | null | undefined): string {
  if (!userAgent) return "";
  const rules: [RegExp, string][] = [
    [/Edg\/(\d+)/, "Edge"],
    [/OPR\/(\d+)/, "Opera"],
    [/Firefox\/(\d+)/, "Firefox"],
    [/Chrome\/(\d+)/, "Chrome"],
    [/Version\/(\d+).*Safari\//, "Safari"],
  ];
  for (const [re, name] of rules) {
    const m = userAgent.match(re);
    if (m) return `${name} ${m[1]}`;
  }
  return userAgent.slice(0, 80);
}

/** "4:32", "1:05:00": the time left until `untilIso` at `nowMs` ("0:00" once past). */
export function countdownLabel(untilIso: string, nowMs: number): string {
  const total = Math.max(0, Math.ceil((Date.parse(untilIso) - nowMs) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** "45 s", "3 min 05 s", "2 h 10 min", "3 d 4 h": a running duration to the second. */
export function durationLabel(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
