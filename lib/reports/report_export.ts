/**
 * What `GET /api/v1/reports/export` sends: one of the report's tables, from
 * the same columns the page draws (the day table ends with its total row),
 * or the closed conversations of the range (./closed_export.ts, streamed). Column headings are in
 * the reader's language (the page's, so the download equals the table it came from), or the
 * `lang` asked for; the cells are the same data in every language.
 */
import { z } from "zod";
import { listAgents } from "../store/agents.ts";
import { listTeams } from "../store/teams.ts";
import { csvLine } from "./csv.ts";
import { closedConversationsCsv, tableCsv } from "./closed_export.ts";
import { DAY_MS, isoDayOf, type ReportFilters } from "./report_query.ts";
import { AGENT_COLUMNS, DAY_COLUMNS, HOUR_COLUMNS, TOTAL_COLUMNS } from "./report_tables.ts";
import { supervisionReport } from "./supervision_report.ts";
import { type Locale, LOCALES, translate } from "../i18n/mod.ts";

export const EXPORT_TABLES = ["days", "hours", "agents", "conversations"] as const;
export const exportQuerySchema = z.object({
  table: z.enum(EXPORT_TABLES).describe("Which table: days, hours, agents or conversations"),
  lang: z.enum(LOCALES).optional().describe(
    "Language of the column headings (en, es, pt; default: the caller's, as the page)",
  ),
});

/** The file name (safe ASCII) and the CSV lines of `table` for `f`, headings in `locale`. */
export async function reportExport(
  kv: Deno.Kv,
  table: (typeof EXPORT_TABLES)[number],
  f: ReportFilters,
  locale: Locale,
): Promise<{ filename: string; lines: AsyncGenerator<string> }> {
  const range = `${isoDayOf(f.fromMs)}_${isoDayOf(f.toMs - DAY_MS)}`;
  const filename = table === "hours"
    ? `parley-hours-${isoDayOf(f.dayMs)}.csv`
    : `parley-${table}-${range}.csv`;
  // The report first, so an unknown team or agent is a 404 before anything is sent.
  const report = await supervisionReport(kv, f);
  if (table === "conversations") {
    const [agents, teams] = await Promise.all([listAgents(kv), listTeams(kv)]);
    return { filename, lines: closedConversationsCsv(kv, f, agents, teams, locale) };
  }
  async function* lines() {
    if (table === "days") {
      yield* tableCsv(DAY_COLUMNS, report.days, locale);
      yield csvLine([
        translate(locale, "reports.total"),
        ...TOTAL_COLUMNS.map((c) => c.cell(report.total)),
      ]);
    } else if (table === "hours") yield* tableCsv(HOUR_COLUMNS, report.hours, locale);
    else yield* tableCsv(AGENT_COLUMNS, report.agents, locale);
  }
  return { filename, lines: lines() };
}
