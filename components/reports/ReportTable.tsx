/** A report table drawn from the same columns as its CSV export (lib/reports/report_tables.ts). */
import { type Column, columnLabel } from "../../lib/reports/report_tables.ts";
import { currentLocale, t } from "../../lib/i18n/mod.ts";

export function ReportTable<R>(
  { id, caption, columns, rows, total, csvHref }: {
    id: string;
    caption: string;
    columns: Column<R>[];
    rows: R[];
    /** A last row of totals (cells for every column but the first). */
    total?: (string | number | null)[];
    csvHref: string;
  },
) {
  // Cells as the CSV has them (plain digits, ISO days), so a download equals the table.
  const show = (v: string | number | null) => v === null ? "—" : String(v);
  const locale = currentLocale();
  return (
    <div class="mb-8 break-inside-avoid">
      <div class="flex items-baseline gap-3 mb-2">
        <h2 id={`${id}-heading`} class="text-lg font-semibold">{caption}</h2>
        <a
          href={csvHref}
          download
          class="text-sm underline text-brand-700 print:hidden"
          data-testid={`${id}-csv`}
        >
          {t("reports.downloadCsv")}
          <span class="sr-only">{`: ${caption}`}</span>
        </a>
      </div>
      {
        /* Focusable, so a table wider than the screen (longer headings in Spanish or Portuguese)
          scrolls from the keyboard too. */
      }
      <div
        class="overflow-x-auto focus:outline-none focus:ring-2 focus:ring-brand-500"
        tabIndex={0}
        role="region"
        aria-labelledby={`${id}-heading`}
      >
        <table
          class="text-sm border-collapse min-w-full"
          aria-labelledby={`${id}-heading`}
          data-testid={`${id}-table`}
        >
          <thead>
            <tr class="border-b border-gray-300">
              {columns.map((c) => (
                <th key={c.key} scope="col" class="text-left align-bottom py-1 pr-3 font-medium">
                  {columnLabel(c, locale)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} class="border-b border-gray-100">
                {columns.map((c, j) =>
                  j === 0
                    ? (
                      <th key={c.key} scope="row" class="text-left font-normal py-1 pr-3">
                        {show(c.cell(r))}
                      </th>
                    )
                    : <td key={c.key} class="py-1 pr-3 tabular-nums">{show(c.cell(r))}</td>
                )}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={columns.length} class="py-2 text-gray-600">
                  {t("reports.nothing")}
                </td>
              </tr>
            )}
          </tbody>
          {total && (
            <tfoot>
              <tr class="border-t border-gray-300 font-medium">
                <th scope="row" class="text-left py-1 pr-3">{t("reports.total")}</th>
                {total.map((v, i) => <td key={i} class="py-1 pr-3 tabular-nums">{show(v)}</td>)}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </div>
  );
}
