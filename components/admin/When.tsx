/**
 * A moment on an admin page (API keys, webhook deliveries, audit log,
 * templates): written the page's language's way with `Intl`, in UTC (the
 * server does not know the admin's zone) and saying so, inside a `<time>`
 * that carries the exact ISO value.
 */
import { formatDate } from "../../lib/i18n/mod.ts";

const TO_THE_MINUTE: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
};
const TO_THE_SECOND: Intl.DateTimeFormatOptions = { ...TO_THE_MINUTE, second: "2-digit" };

/** "Dec 1, 2026, 02:05 PM UTC" / "1 dic 2026, 14:05 UTC"; "—" when there is no moment. */
export function When({ iso, seconds = false }: { iso: string | null; seconds?: boolean }) {
  if (!iso) return <>—</>;
  return <time dateTime={iso}>{formatDate(iso, seconds ? TO_THE_SECOND : TO_THE_MINUTE)}</time>;
}
