/**
 * The columns of the report's tables, in one place for the page and the CSV
 * export, so a download holds exactly what the table shows (the page draws
 * an empty cell as "—"). Durations are whole seconds; percentiles are "at
 * most" (the upper edge of a histogram bin), "86400+" for a day or more. CSAT is the share
 * of OK answers; NPS is % promoters (9–10) − % detractors (0–6).
 */
import { type AgentRow, type PeriodRow, SURVEY_COUNTED } from "./supervision_report.ts";

export type Cell = string | number | null;
export interface Column<R> {
  key: string;
  label: string;
  cell: (row: R) => Cell;
}

const pct = (v: number | null): Cell => v === null ? null : Number.isFinite(v) ? v : "86400+";
export const dayLabel = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const hourLabel = (ms: number) => `${new Date(ms).toISOString().slice(11, 13)}:00`;

const figures: Column<PeriodRow>[] = [
  { key: "created", label: "New chats", cell: (r) => r.created },
  { key: "pickedUp", label: "Picked up", cell: (r) => r.pickedUp },
  { key: "pickupAvg", label: "Time to pickup, avg (s)", cell: (r) => r.pickupAvg },
  { key: "pickupP90", label: "Time to pickup, p90 (s)", cell: (r) => pct(r.pickupP90) },
  {
    key: "firstResponseP50",
    label: "First response, p50 (s)",
    cell: (r) => pct(r.firstResponseP50),
  },
  {
    key: "firstResponseP90",
    label: "First response, p90 (s)",
    cell: (r) => pct(r.firstResponseP90),
  },
  { key: "handleAvg", label: "Handle time, avg (s)", cell: (r) => r.handleAvg },
  { key: "handled", label: "Resolved", cell: (r) => r.handled },
  { key: "transferred", label: "Transfers", cell: (r) => r.transferred },
  { key: "abandoned", label: "Abandoned", cell: (r) => r.abandoned },
  // The survey's columns, once the engine counts it (SURVEY_COUNTED).
  ...(SURVEY_COUNTED
    ? [
      { key: "csatPercent", label: "CSAT (% OK)", cell: (r: PeriodRow) => r.csatPercent },
      { key: "csatResponses", label: "CSAT answers", cell: (r: PeriodRow) => r.csatResponses },
      { key: "nps", label: "NPS", cell: (r: PeriodRow) => r.nps },
      { key: "npsResponses", label: "NPS answers", cell: (r: PeriodRow) => r.npsResponses },
    ]
    : []),
];

export const DAY_COLUMNS: Column<PeriodRow>[] = [
  { key: "day", label: "Day (UTC)", cell: (r) => dayLabel(r.startMs) },
  ...figures,
];
export const HOUR_COLUMNS: Column<PeriodRow>[] = [
  { key: "hour", label: "Hour (UTC)", cell: (r) => hourLabel(r.startMs) },
  ...figures,
];
export const TOTAL_COLUMNS: Column<PeriodRow>[] = figures;

export const AGENT_COLUMNS: Column<AgentRow>[] = [
  { key: "agent", label: "Agent", cell: (r) => r.name },
  { key: "team", label: "Team", cell: (r) => r.teamName },
  { key: "handled", label: "Chats handled", cell: (r) => r.handled },
  { key: "firstResponseAvg", label: "First response, avg (s)", cell: (r) => r.firstResponseAvg },
  { key: "handleAvg", label: "Handle time, avg (s)", cell: (r) => r.handleAvg },
  { key: "transferred", label: "Transfers", cell: (r) => r.transferred },
  ...(SURVEY_COUNTED
    ? [{ key: "csatPercent", label: "CSAT (% OK)", cell: (r: AgentRow) => r.csatPercent }]
    : []),
  { key: "onlineMin", label: "Online (min)", cell: (r) => r.onlineMin },
  { key: "busyMin", label: "Busy (min)", cell: (r) => r.busyMin },
  { key: "offlineMin", label: "Offline (min)", cell: (r) => r.offlineMin },
];
