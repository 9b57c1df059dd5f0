/**
 * A server-rendered SVG bar chart (no chart library, no script): grouped bars
 * per label with a y axis, light enough to print. Accessible: role="img"
 * named by its title and described by a summary, and a data table of the
 * very values it draws in a <details> under it. Numbers in the page's language (Intl).
 */
import { formatNumber, t } from "../../lib/i18n/mod.ts";

export interface ChartSeries {
  name: string;
  values: (number | null)[];
  colour: string;
}

const W = 720;
const H = 220;
const PAD = { left: 48, right: 8, top: 12, bottom: 36 };

/** A round maximum for the y axis (1, 2 or 5 × a power of ten). */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

export function BarChart(
  { id, title, summary, labels, series, unit }: {
    id: string;
    title: string;
    summary: string;
    labels: string[];
    series: ChartSeries[];
    unit: string;
  },
) {
  const finite = (v: number | null) => v !== null && Number.isFinite(v) ? v : 0;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.map(finite))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.max(1, (slot * 0.8) / series.length);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const every = Math.ceil(labels.length / 12);
  return (
    <figure class="mb-6 break-inside-avoid" data-testid={`chart-${id}`}>
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${W} ${H}`}
        class="w-full h-auto max-w-3xl"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(max * share)}
              y2={y(max * share)}
              class="stroke-gray-300"
              stroke-width="1"
            />
            <text
              x={PAD.left - 6}
              y={y(max * share) + 4}
              text-anchor="end"
              font-size="11"
              class="fill-gray-700"
            >
              {formatNumber(max * share)}
            </text>
          </g>
        ))}
        {labels.map((label, i) => (
          <g key={i}>
            {series.map((s, j) => {
              const v = finite(s.values[i]);
              return (
                <rect
                  key={s.name}
                  x={PAD.left + i * slot + slot * 0.1 + j * barW}
                  y={y(v)}
                  width={barW}
                  height={Math.max(0, PAD.top + plotH - y(v))}
                  fill={s.colour}
                />
              );
            })}
            {i % every === 0 && (
              <text
                x={PAD.left + i * slot + slot / 2}
                y={H - PAD.bottom + 14}
                text-anchor="middle"
                font-size="11"
                class="fill-gray-700"
              >
                {label}
              </text>
            )}
          </g>
        ))}
        {series.map((s, j) => (
          <g key={s.name}>
            <rect x={PAD.left + j * 160} y={H - 14} width="10" height="10" fill={s.colour} />
            <text x={PAD.left + j * 160 + 14} y={H - 5} font-size="11" class="fill-gray-900">
              {s.name}
            </text>
          </g>
        ))}
      </svg>
      <figcaption class="text-sm text-gray-700">
        {t("reports.chart.figcaption", { title, unit })}
      </figcaption>
      <details class="text-sm print:hidden">
        <summary class="cursor-pointer underline text-brand-700">
          {t("reports.chart.dataTable", { title })}
        </summary>
        <table class="text-sm mt-2">
          <caption class="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" class="text-left pr-3">{t("reports.chart.period")}</th>
              {series.map((s) => <th key={s.name} scope="col" class="text-right pr-3">{s.name}
              </th>)}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={i}>
                <th scope="row" class="text-left font-normal pr-3">{label}</th>
                {series.map((s) => (
                  <td key={s.name} class="text-right pr-3">
                    {s.values[i] === null ? "—" : formatNumber(s.values[i]!)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
