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
  dayLabel,
  HOUR_COLUMNS,
  hourLabel,
  TOTAL_COLUMNS,
} from "../../lib/reports/report_tables.ts";
import { DAY_MS, filtersQuery, isoDayOf } from "../../lib/reports/report_query.ts";

const CHANNEL_LABEL = { webchat: "Web chat", whatsapp: "WhatsApp" } as const;

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
      aria-label="Report filters"
    >
      <TextField
        label="From"
        name="from"
        type="date"
        value={value("from", f ? isoDayOf(f.fromMs) : "")}
        error={errors.from}
      />
      <TextField
        label="To"
        name="to"
        type="date"
        value={value("to", f ? isoDayOf(f.toMs - DAY_MS) : "")}
        error={errors.to}
      />
      <SelectField
        label="Team"
        name="teamId"
        value={raw.teamId ?? ""}
        error={errors.teamId}
        options={[
          { value: "", label: "All teams" },
          ...(report?.teams ?? []).map((t) => ({ value: t.id, label: t.name })),
        ]}
      />
      <SelectField
        label="Agent"
        name="agentId"
        value={raw.agentId ?? ""}
        error={errors.agentId}
        options={[
          { value: "", label: "All agents" },
          ...(report?.staff ?? []).map((a) => ({ value: a.id, label: a.name })),
        ]}
      />
      <SelectField
        label="Channel"
        name="channel"
        value={raw.channel ?? ""}
        error={errors.channel}
        options={[
          { value: "", label: "All channels" },
          ...Object.entries(CHANNEL_LABEL).map(([v, label]) => ({ value: v, label })),
        ]}
      />
      <TextField
        label="Hours of"
        name="day"
        type="date"
        value={value("day", f ? isoDayOf(f.dayMs) : "")}
        error={errors.day}
      />
      <div class="mb-3">
        <Button>Show report</Button>
      </div>
    </form>
  );
}

export function ReportView({ report }: { report: SupervisionReport }) {
  const f = report.filters;
  const csv = (table: string) => `/api/v1/reports/export?${filtersQuery(f, { table })}`;
  const days = report.days.map((r) => dayLabel(r.startMs));
  const hours = report.hours.map((r) => hourLabel(r.startMs));
  const fin = (v: number | null) => v !== null && Number.isFinite(v) ? v : null;
  const t = report.total;
  const range = `${isoDayOf(f.fromMs)} to ${isoDayOf(f.toMs - DAY_MS)} (UTC)`;
  return (
    <div>
      <p class="mb-4 text-sm text-gray-700" data-testid="report-range">
        {range}
        {f.teamId && `, team ${report.teams.find((x) => x.id === f.teamId)?.name}`}
        {f.agentId && `, agent ${report.staff.find((x) => x.id === f.agentId)?.name}`}
        {f.channel && `, ${CHANNEL_LABEL[f.channel]} only`}
      </p>
      <BarChart
        id="volume"
        title="Chats per day"
        unit="chats"
        summary={`${t.created} new chats and ${t.handled} resolved over ${days.length} days; the busiest day had ${
          Math.max(0, ...report.days.map((r) => r.created))
        } new chats.`}
        labels={days}
        series={[
          { name: "New", values: report.days.map((r) => r.created), colour: "#2563eb" },
          { name: "Resolved", values: report.days.map((r) => r.handled), colour: "#16a34a" },
          { name: "Abandoned", values: report.days.map((r) => r.abandoned), colour: "#b45309" },
        ]}
      />
      <BarChart
        id="first-response"
        title="First response time per day"
        unit="seconds, at most"
        summary={`Over the range, half the first responses came within ${
          fin(t.firstResponseP50) ?? "—"
        } s and nine in ten within ${fin(t.firstResponseP90) ?? "—"} s.`}
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
        caption="Per day"
        columns={DAY_COLUMNS}
        rows={report.days}
        total={TOTAL_COLUMNS.map((c) => c.cell(t))}
        csvHref={csv("days")}
      />
      <BarChart
        id="hours"
        title={`Chats per hour on ${isoDayOf(f.dayMs)}`}
        unit="chats"
        summary={`${report.hours.reduce((a, r) => a + r.created, 0)} new chats on ${
          isoDayOf(f.dayMs)
        }, by hour (UTC).`}
        labels={hours}
        series={[
          { name: "New", values: report.hours.map((r) => r.created), colour: "#2563eb" },
          { name: "Resolved", values: report.hours.map((r) => r.handled), colour: "#16a34a" },
        ]}
      />
      <ReportTable
        id="hours"
        caption={`Per hour, ${isoDayOf(f.dayMs)}`}
        columns={HOUR_COLUMNS}
        rows={report.hours}
        csvHref={csv("hours")}
      />
      <ReportTable
        id="agents"
        caption="Per agent"
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
          Download the closed conversations of this range (CSV, with wrap-up notes and tags)
        </a>
      </p>
      <p class="text-xs text-gray-600 mt-4">
        Times are in seconds. Percentiles (p50, p90) are “at most” figures from fixed bins (5 s, 10
        s, 20 s, 30 s, 45 s, 1 min, 90 s, 2 min, …); 86400+ means a day or more. Time to pickup:
        from the first message to an agent taking the chat. Handle time: from pickup to close.
        Abandoned: closed before anyone picked it up.
      </p>
    </div>
  );
}
