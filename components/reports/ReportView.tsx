/**
 * The reports page's body: the filter form, the range's totals, the charts
 * (SVG, each with its data table) and the day, hour and agent tables, each
 * with its CSV download. Renders on the server only; prints without the
 * navigation, form and downloads.
 */
import { Button, SelectField, TextField } from "../Form.tsx";
import { BarChart } from "./BarChart.tsx";
import { ReportTable } from "./ReportTable.tsx";
import type { SupervisionReport } from "../../lib/reports/supervision_report.ts";
import {
  AGENT_COLUMNS,
  DAY_COLUMNS,
  HOUR_COLUMNS,
  hourLabel,
  TOTAL_COLUMNS,
} from "../../lib/reports/report_tables.ts";
import { DAY_MS, filtersQuery, isoDayOf } from "../../lib/reports/report_query.ts";
import { formatDate, t } from "../../lib/i18n/mod.ts";

const channelLabel = (channel: "webchat" | "whatsapp") =>
  channel === "whatsapp" ? "WhatsApp" : t("reports.channel.webchat");
/** A UTC day the reader's way ("1 dic 2026"). */
const dayText = (ms: number) => formatDate(ms, { dateStyle: "medium", timeZone: "UTC" });
/** A chart's day label, short ("1 dic"). */
const dayTick = (ms: number) => formatDate(ms, { day: "numeric", month: "short", timeZone: "UTC" });
/** Seconds as "45 s", or "—" when there is no figure. */
const secondsText = (v: number | null) => v === null ? "—" : t("supervise.seconds", { n: v });

export function ReportFilterForm(
  { report, raw, errors }: {
    report: SupervisionReport | null;
    raw: Record<string, string>;
    errors: Record<string, string>;
  },
) {
  const f = report?.filters;
  const value = (k: string, fallback: string) => raw[k] ?? fallback;
  return (
    <form
      method="get"
      action="/supervise/reports"
      class="grid md:grid-cols-6 gap-x-4 items-end mb-6 print:hidden"
      aria-label={t("reports.filters")}
    >
      <TextField
        label={t("reports.from")}
        name="from"
        type="date"
        value={value("from", f ? isoDayOf(f.fromMs) : "")}
        error={errors.from}
      />
      <TextField
        label={t("reports.to")}
        name="to"
        type="date"
        value={value("to", f ? isoDayOf(f.toMs - DAY_MS) : "")}
        error={errors.to}
      />
      <SelectField
        label={t("reports.team")}
        name="teamId"
        value={raw.teamId ?? ""}
        error={errors.teamId}
        options={[
          { value: "", label: t("reports.allTeams") },
          ...(report?.teams ?? []).map((t) => ({ value: t.id, label: t.name })),
        ]}
      />
      <SelectField
        label={t("reports.agent")}
        name="agentId"
        value={raw.agentId ?? ""}
        error={errors.agentId}
        options={[
          { value: "", label: t("reports.allAgents") },
          ...(report?.staff ?? []).map((a) => ({ value: a.id, label: a.name })),
        ]}
      />
      <SelectField
        label={t("reports.channel")}
        name="channel"
        value={raw.channel ?? ""}
        error={errors.channel}
        options={[
          { value: "", label: t("reports.allChannels") },
          ...(["webchat", "whatsapp"] as const).map((v) => ({ value: v, label: channelLabel(v) })),
        ]}
      />
      <TextField
        label={t("reports.hoursOf")}
        name="day"
        type="date"
        value={value("day", f ? isoDayOf(f.dayMs) : "")}
        error={errors.day}
      />
      <div class="mb-3">
        <Button>{t("reports.show")}</Button>
      </div>
    </form>
  );
}

export function ReportView({ report }: { report: SupervisionReport }) {
  const f = report.filters;
  const csv = (table: string) => `/api/v1/reports/export?${filtersQuery(f, { table })}`;
  const days = report.days.map((r) => dayTick(r.startMs));
  const hours = report.hours.map((r) => hourLabel(r.startMs));
  const fin = (v: number | null) => v !== null && Number.isFinite(v) ? v : null;
  const total = report.total;
  const day = dayText(f.dayMs);
  const range = t("reports.range", { from: dayText(f.fromMs), to: dayText(f.toMs - DAY_MS) });
  return (
    <div>
      <p class="mb-4 text-sm text-gray-700" data-testid="report-range">
        {range}
        {f.teamId &&
          t("reports.rangeTeam", {
            name: report.teams.find((x) => x.id === f.teamId)?.name ?? "",
          })}
        {f.agentId &&
          t("reports.rangeAgent", {
            name: report.staff.find((x) => x.id === f.agentId)?.name ?? "",
          })}
        {f.channel && t("reports.rangeChannel", { channel: channelLabel(f.channel) })}
      </p>
      <BarChart
        id="volume"
        title={t("reports.volume.title")}
        unit={t("reports.volume.unit")}
        summary={t("reports.volume.summary", {
          created: total.created,
          handled: total.handled,
          days: days.length,
          busiest: Math.max(0, ...report.days.map((r) => r.created)),
        })}
        labels={days}
        series={[
          ...volumeSeries(report.days),
          {
            name: t("reports.series.abandoned"),
            values: report.days.map((r) => r.abandoned),
            colour: "#b45309",
          },
        ]}
      />
      <BarChart
        id="first-response"
        title={t("reports.firstResponse.title")}
        unit={t("reports.firstResponse.unit")}
        summary={t("reports.firstResponse.summary", {
          p50: secondsText(fin(total.firstResponseP50)),
          p90: secondsText(fin(total.firstResponseP90)),
        })}
        labels={days}
        series={[
          {
            name: "p50",
            values: report.days.map((r) => fin(r.firstResponseP50)),
            colour: "#1d4ed8",
          },
          {
            name: "p90",
            values: report.days.map((r) => fin(r.firstResponseP90)),
            colour: "#93c5fd",
          },
        ]}
      />
      <ReportTable
        id="days"
        caption={t("reports.perDay")}
        columns={DAY_COLUMNS}
        rows={report.days}
        total={TOTAL_COLUMNS.map((c) => c.cell(total))}
        csvHref={csv("days")}
      />
      <BarChart
        id="hours"
        title={t("reports.hours.title", { day })}
        unit={t("reports.volume.unit")}
        summary={t("reports.hours.summary", {
          count: report.hours.reduce((a, r) => a + r.created, 0),
          day,
        })}
        labels={hours}
        series={volumeSeries(report.hours)}
      />
      <ReportTable
        id="hours"
        caption={t("reports.perHour", { day })}
        columns={HOUR_COLUMNS}
        rows={report.hours}
        csvHref={csv("hours")}
      />
      <ReportTable
        id="agents"
        caption={t("reports.perAgent")}
        columns={AGENT_COLUMNS}
        rows={report.agents}
        csvHref={csv("agents")}
      />
      <p class="text-sm print:hidden">
        <a
          href={csv("conversations")}
          download
          class="underline text-brand-700"
          data-testid="conversations-csv"
        >
          {t("reports.conversationsCsv")}
        </a>
      </p>
      <p class="text-xs text-gray-600 mt-4">{t("reports.footnote")}</p>
    </div>
  );
}

/** New and resolved chats per row (a day or an hour), the same colours in both charts. */
function volumeSeries(rows: { created: number; handled: number }[]) {
  return [
    { name: t("reports.series.new"), values: rows.map((r) => r.created), colour: "#2563eb" },
    { name: t("reports.series.resolved"), values: rows.map((r) => r.handled), colour: "#16a34a" },
  ];
}
