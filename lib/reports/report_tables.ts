/**
 * The columns of the report's tables, in one place for the page and the CSV
 * export, so a download holds exactly what the table shows (the page draws
 * an empty cell as "—"). Durations are whole seconds; percentiles are "at
 * most" (the upper edge of a histogram bin), "86400+" for a day or more. CSAT is the share
 * of OK answers; NPS is % promoters (9–10) − % detractors (0–6). Headings follow the
 * reader's language; cells are plain digits and ISO days in every language, so a CSV reads as
 * numbers in any spreadsheet and still equals the table cell for cell.
 */
import { type AgentRow, type PeriodRow, SURVEY_COUNTED } from "./supervision_report.ts";
import { type Locale, type MessageKey, translate } from "../i18n/mod.ts";

export type Cell = string | number | null;
export interface Column<R> {
  key: string;
  /** The heading's catalog key: the page and the CSV say it in the reader's language. */
  label: MessageKey;
  cell: (row: R) => Cell;
}

/** A column's heading in `locale` (the page's, or the CSV request's). */
export const columnLabel = (c: { label: MessageKey }, locale: Locale) => translate(locale, c.label);

const pct = (v: number | null): Cell => v === null ? null : Number.isFinite(v) ? v : "86400+";
export const dayLabel = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const hourLabel = (ms: number) => `${new Date(ms).toISOString().slice(11, 13)}:00`;

const figures: Column<PeriodRow>[] = [
  { key: "created", label: "reports.col.created", cell: (r) => r.created },
  { key: "pickedUp", label: "reports.col.pickedUp", cell: (r) => r.pickedUp },
  { key: "pickupAvg", label: "reports.col.pickupAvg", cell: (r) => r.pickupAvg },
  { key: "pickupP90", label: "reports.col.pickupP90", cell: (r) => pct(r.pickupP90) },
  {
    key: "firstResponseP50",
    label: "reports.col.firstResponseP50",
    cell: (r) => pct(r.firstResponseP50),
  },
  {
    key: "firstResponseP90",
    label: "reports.col.firstResponseP90",
    cell: (r) => pct(r.firstResponseP90),
  },
  { key: "handleAvg", label: "reports.col.handleAvg", cell: (r) => r.handleAvg },
  { key: "handled", label: "reports.col.handled", cell: (r) => r.handled },
  { key: "transferred", label: "reports.col.transferred", cell: (r) => r.transferred },
  { key: "abandoned", label: "reports.col.abandoned", cell: (r) => r.abandoned },
  // The survey's columns, once the engine counts it (SURVEY_COUNTED).
  ...(SURVEY_COUNTED
    ? ([
      {
        key: "csatPercent",
        label: "reports.col.csatPercent",
        cell: (r: PeriodRow) => r.csatPercent,
      },
      {
        key: "csatResponses",
        label: "reports.col.csatResponses",
        cell: (r: PeriodRow) => r.csatResponses,
      },
      { key: "nps", label: "reports.col.nps", cell: (r: PeriodRow) => r.nps },
      {
        key: "npsResponses",
        label: "reports.col.npsResponses",
        cell: (r: PeriodRow) => r.npsResponses,
      },
    ] satisfies Column<PeriodRow>[])
    : []),
];

export const DAY_COLUMNS: Column<PeriodRow>[] = [
  { key: "day", label: "reports.col.day", cell: (r) => dayLabel(r.startMs) },
  ...figures,
];
export const HOUR_COLUMNS: Column<PeriodRow>[] = [
  { key: "hour", label: "reports.col.hour", cell: (r) => hourLabel(r.startMs) },
  ...figures,
];
export const TOTAL_COLUMNS: Column<PeriodRow>[] = figures;

export const AGENT_COLUMNS: Column<AgentRow>[] = [
  { key: "agent", label: "reports.col.agent", cell: (r) => r.name },
  { key: "team", label: "reports.col.team", cell: (r) => r.teamName },
  { key: "handled", label: "reports.col.agentHandled", cell: (r) => r.handled },
  {
    key: "firstResponseAvg",
    label: "reports.col.firstResponseAvg",
    cell: (r) => r.firstResponseAvg,
  },
  { key: "handleAvg", label: "reports.col.handleAvg", cell: (r) => r.handleAvg },
  { key: "transferred", label: "reports.col.transferred", cell: (r) => r.transferred },
  ...(SURVEY_COUNTED
    ? ([{
      key: "csatPercent",
      label: "reports.col.csatPercent",
      cell: (r: AgentRow) => r.csatPercent,
    }] satisfies Column<AgentRow>[])
    : []),
  { key: "onlineMin", label: "reports.col.onlineMin", cell: (r) => r.onlineMin },
  { key: "busyMin", label: "reports.col.busyMin", cell: (r) => r.busyMin },
  { key: "offlineMin", label: "reports.col.offlineMin", cell: (r) => r.offlineMin },
];
