/**
 * The metrics report behind `GET /api/v1/metrics` (supervisors and admins):
 * which figures a caller may ask for (scope, grain, range), read from the
 * counters the engine keeps (lib/store/engine/metrics.ts) and shaped for
 * integrators: per bucket and in total, counts, averages and p50/p90.
 */
import { z } from "zod";
import { badRequest, notFound } from "../errors.ts";
import { getAgent } from "../store/agents.ts";
import { getTeam } from "../store/teams.ts";
import { type Grain, GRAIN_MS, HISTOGRAMS } from "../store/engine/metrics.ts";
import {
  type MetricsBucket,
  percentileSeconds,
  readMetrics,
  totalOf,
} from "../store/engine/metrics_read.ts";

/** At most this many buckets in one report (31 days of hours; 400 days). */
export const MAX_BUCKETS = 744;

const instant = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), {
  message: "Use an ISO date or date-time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z",
});

export const metricsQuerySchema = z.object({
  scope: z.string().max(120).regex(
    /^(all|team:[^\s]{1,100}|agent:[^\s]{1,100})$/,
    'Use "all", "team:ID" or "agent:ID"',
  ).optional(),
  grain: z.enum(["h", "d"]).optional(),
  from: instant,
  to: instant,
});
export type MetricsQuery = z.infer<typeof metricsQuerySchema>;

/** One bucket (or the total) as the API answers it. */
export interface MetricsFigures {
  start: string;
  created: number;
  pickedUp: number;
  firstResponses: number;
  closed: number;
  handled: number;
  transferred: number;
  abandoned: number;
  /** Averages in seconds (null when nothing was counted). */
  avgPickupSeconds: number | null;
  avgFirstResponseSeconds: number | null;
  avgHandleSeconds: number | null;
  /**
   * Percentiles: the upper edge of the histogram bin they fall in, in seconds ("at most"); null
   * when `count` is 0, or when they fall in the last bin (a day or more).
   */
  percentiles: Record<
    "pickup" | "firstResponse" | "handle",
    { count: number; p50: number | null; p90: number | null }
  >;
  /**
   * Satisfaction survey answers (issue 16) counted when answered: OK and KO ratings, the share of
   * OK in percent (null without answers), and the 0–10 scores: how many, their average, the
   * promoters (9–10), passives (7–8) and detractors (0–6), and the NPS (% promoters − %
   * detractors, −100..100; null without scores).
   */
  csat: { ok: number; ko: number; okPercent: number | null };
  nps: {
    count: number;
    average: number | null;
    promoters: number;
    passives: number;
    detractors: number;
    score: number | null;
  };
}

const avg = (totalMs: number, n: number) => n === 0 ? null : Math.round(totalMs / n) / 1000;
/** `part` of `whole` in percent, one decimal; null when `whole` is 0. */
const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
const finite = (v: number | null) => v === null || !Number.isFinite(v) ? null : v;

function figures(b: MetricsBucket): MetricsFigures {
  const c = b.counters;
  const pct = (h: (typeof HISTOGRAMS)[number]) => ({
    count: b.bins[h].reduce((a, n) => a + n, 0),
    p50: finite(percentileSeconds(b.bins[h], 0.5)),
    p90: finite(percentileSeconds(b.bins[h], 0.9)),
  });
  return {
    start: new Date(b.startMs).toISOString(),
    created: c.created,
    pickedUp: c.picked_up,
    firstResponses: c.first_responses,
    closed: c.closed,
    handled: c.handled,
    transferred: c.transferred,
    abandoned: c.abandoned,
    avgPickupSeconds: avg(c.pickup_ms, c.picked_up),
    avgFirstResponseSeconds: avg(c.first_response_ms, c.first_responses),
    avgHandleSeconds: avg(c.handle_ms, c.handled),
    percentiles: {
      pickup: pct("pickup"),
      firstResponse: pct("first_response"),
      handle: pct("handle"),
    },
    csat: {
      ok: c.csat_ok,
      ko: c.csat_ko,
      okPercent: ratio(c.csat_ok, c.csat_ok + c.csat_ko),
    },
    nps: {
      count: c.nps_count,
      average: c.nps_count === 0 ? null : Math.round((c.nps_sum / c.nps_count) * 10) / 10,
      promoters: c.nps_promoters,
      passives: c.nps_passives,
      detractors: c.nps_detractors,
      score: c.nps_count === 0
        ? null
        : Math.round(((c.nps_promoters - c.nps_detractors) / c.nps_count) * 100),
    },
  };
}

/**
 * The report for `query`: 400 when the range is empty or too long, 404 for
 * an unknown team or agent.
 */
export async function metricsReport(kv: Deno.Kv, query: MetricsQuery) {
  const scope = query.scope ?? "all";
  const grain: Grain = query.grain ?? "d";
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  if (toMs <= fromMs) throw badRequest("invalid", "to: Must be after from.");
  if ((toMs - fromMs) / GRAIN_MS[grain] > MAX_BUCKETS) {
    throw badRequest("invalid", `to: At most ${MAX_BUCKETS} ${grain === "h" ? "hours" : "days"}.`);
  }
  const [kind, id] = scope === "all"
    ? ["all", ""]
    : [scope.slice(0, scope.indexOf(":")), scope.slice(scope.indexOf(":") + 1)];
  if (kind === "team" && !(await getTeam(kv, id))) throw notFound("Team");
  if (kind === "agent" && !(await getAgent(kv, id))) throw notFound("Agent");
  const buckets = await readMetrics(kv, scope, grain, fromMs, toMs);
  return {
    scope,
    grain,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    buckets: buckets.map(figures),
    total: { ...figures(totalOf(buckets)), start: new Date(fromMs).toISOString() },
  };
}
