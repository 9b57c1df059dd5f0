/**
 * The supervision report behind `/supervise/reports` and `GET /api/v1/reports`:
 * per UTC day of the range, per hour of one day, and per agent, read from
 * the counters the engine keeps (lib/store/engine/metrics.ts, status_time.ts),
 * so its cost is O(days + hours + agents × days), never O(conversations).
 */
import { notFound } from "../errors.ts";
import type { Presence } from "../domain/engine_types.ts";
import { type Agent, getAgent, listAgents } from "../store/agents.ts";
import { getTeam, listTeams, type Team } from "../store/teams.ts";
import { keys } from "../store/keys.ts";
import { getManyEntries } from "../store/engine/records.ts";
import { byAgentScope, type Counter, COUNTERS, GRAIN_MS } from "../store/engine/metrics.ts";
import {
  type MetricsBucket,
  percentileSeconds,
  readMetrics,
  totalOf,
} from "../store/engine/metrics_read.ts";
import { readStatusTimes, type StatusTimes } from "../store/engine/status_time.ts";
import { DAY_MS, type ReportFilters, scopeOf } from "./report_query.ts";

/** One row of the day and hour tables: a bucket's figures. Durations in whole seconds. */
export interface PeriodRow {
  startMs: number;
  created: number;
  pickedUp: number;
  /** Percentiles are "at most" (a histogram bin's upper edge); Infinity: a day or more. */
  pickupAvg: number | null;
  pickupP50: number | null;
  pickupP90: number | null;
  firstResponses: number;
  firstResponseAvg: number | null;
  firstResponseP50: number | null;
  firstResponseP90: number | null;
  handled: number;
  handleAvg: number | null;
  closed: number;
  transferred: number;
  abandoned: number;
  /** Survey answers and the share of OK ones (null: none, or no survey counters). */
  csatResponses: number;
  csatPercent: number | null;
  /** NPS answers and the score (−100…100: % promoters − % detractors). */
  npsResponses: number;
  nps: number | null;
}

/** One agent's row of the per-agent table. */
export interface AgentRow {
  agentId: string;
  name: string;
  teamName: string | null;
  handled: number;
  firstResponses: number;
  firstResponseAvg: number | null;
  handleAvg: number | null;
  transferred: number;
  csatResponses: number;
  csatPercent: number | null;
  /** Time in each status over the range, in whole minutes. */
  onlineMin: number;
  busyMin: number;
  offlineMin: number;
}

export interface SupervisionReport {
  filters: ReportFilters;
  days: PeriodRow[];
  hours: PeriodRow[];
  total: PeriodRow;
  agents: AgentRow[];
  teams: Team[];
  /** Every staff member (for the filter's choices). */
  staff: { id: string; name: string; teamId: string | null }[];
}

const avgSeconds = (totalMs: number, n: number) => n === 0 ? null : Math.round(totalMs / n / 1000);

/**
 * Whether the engine counts the satisfaction survey (its counters, from issue 16, are in
 * COUNTERS): the report shows its CSAT and NPS columns only then.
 */
export const SURVEY_COUNTED = (COUNTERS as readonly string[]).includes("csat_ok");

/** A counter by name, 0 when this version does not keep it. */
const counter = (c: Record<string, number>, name: string) => c[name] ?? 0;

/** CSAT and NPS of some counters: answers, % OK, NPS score. */
function satisfaction(c: Record<string, number>) {
  const ok = counter(c, "csat_ok");
  const answers = ok + counter(c, "csat_ko");
  const n = counter(c, "nps_count");
  return {
    csatResponses: answers,
    csatPercent: answers === 0 ? null : Math.round((ok / answers) * 100),
    npsResponses: n,
    nps: n === 0
      ? null
      : Math.round(((counter(c, "nps_promoters") - counter(c, "nps_detractors")) / n) * 100),
  };
}

/** A bucket's figures as a table row. */
export function periodRow(b: MetricsBucket): PeriodRow {
  const c = b.counters;
  return {
    startMs: b.startMs,
    created: c.created,
    pickedUp: c.picked_up,
    pickupAvg: avgSeconds(c.pickup_ms, c.picked_up),
    pickupP50: percentileSeconds(b.bins.pickup, 0.5),
    pickupP90: percentileSeconds(b.bins.pickup, 0.9),
    firstResponses: c.first_responses,
    firstResponseAvg: avgSeconds(c.first_response_ms, c.first_responses),
    firstResponseP50: percentileSeconds(b.bins.first_response, 0.5),
    firstResponseP90: percentileSeconds(b.bins.first_response, 0.9),
    handled: c.handled,
    handleAvg: avgSeconds(c.handle_ms, c.handled),
    closed: c.closed,
    transferred: c.transferred,
    abandoned: c.abandoned,
    ...satisfaction(c),
  };
}

type Counts = Record<Counter, number>;
const zeroCounts = () => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counts;

/** Every agent's counters over the days [fromMs, toMs), from the "by_agent" family: one list. */
async function agentCounts(
  kv: Deno.Kv,
  channel: string | null,
  fromMs: number,
  toMs: number,
): Promise<Map<string, Counts>> {
  const family = byAgentScope(channel);
  const out = new Map<string, Counts>();
  const iter = kv.list<Deno.KvU64>({
    start: ["metrics", family, "d", fromMs],
    end: ["metrics", family, "d", toMs],
  }, { batchSize: 500 });
  for await (const e of iter) {
    const [, , , , agentId, counter] = e.key as [string, string, string, number, string, string];
    if (!(COUNTERS as readonly string[]).includes(counter)) continue;
    let counts = out.get(agentId);
    if (!counts) out.set(agentId, counts = zeroCounts());
    counts[counter as Counter] += Number(e.value.value);
  }
  return out;
}

function agentRow(a: Agent, team: Team | undefined, c: Counts, t: StatusTimes): AgentRow {
  const min = (ms: number) => Math.round(ms / 60_000);
  return {
    agentId: a.id,
    name: a.name,
    teamName: team?.name ?? null,
    handled: c.handled,
    firstResponses: c.first_responses,
    firstResponseAvg: avgSeconds(c.first_response_ms, c.first_responses),
    handleAvg: avgSeconds(c.handle_ms, c.handled),
    transferred: c.transferred,
    csatResponses: satisfaction(c).csatResponses,
    csatPercent: satisfaction(c).csatPercent,
    onlineMin: min(t.online),
    busyMin: min(t.busy),
    offlineMin: min(t.offline),
  };
}

/** The report for `f` (404 for an unknown team or agent). */
export async function supervisionReport(
  kv: Deno.Kv,
  f: ReportFilters,
  nowMs = Date.now(),
): Promise<SupervisionReport> {
  const [team, agent, teams, everyone] = await Promise.all([
    f.teamId ? getTeam(kv, f.teamId) : null,
    f.agentId ? getAgent(kv, f.agentId) : null,
    listTeams(kv),
    listAgents(kv),
  ]);
  if (f.teamId && !team) throw notFound("Team");
  if (f.agentId && !agent) throw notFound("Agent");
  const scope = scopeOf(f);
  const shown = everyone.filter((a) =>
    f.agentId ? a.id === f.agentId : f.teamId ? a.teamId === f.teamId : true
  );
  const [days, hours, counts, presences] = await Promise.all([
    readMetrics(kv, scope, "d", f.fromMs, f.toMs),
    readMetrics(kv, scope, "h", f.dayMs, f.dayMs + DAY_MS),
    agentCounts(kv, f.channel, f.fromMs, f.toMs),
    getManyEntries<Presence>(kv, shown.map((a) => keys.presence(a.id))),
  ]);
  const times = await readStatusTimes(
    kv,
    f.fromMs,
    f.toMs,
    presences.flatMap((p) => p.value ? [p.value] : []),
    nowMs,
  );
  const teamById = new Map(teams.map((t) => [t.id, t]));
  const agents = shown
    .map((a) =>
      agentRow(
        a,
        a.teamId ? teamById.get(a.teamId) : undefined,
        counts.get(a.id) ?? zeroCounts(),
        times.get(a.id) ?? { online: 0, busy: 0, offline: 0 },
      )
    )
    // Everyone who worked in the range, and the active accounts even when idle.
    .filter((row, i) => shown[i].active || row.handled > 0 || row.onlineMin + row.busyMin > 0)
    .sort((a, b) => b.handled - a.handled || a.name.localeCompare(b.name));
  return {
    filters: f,
    days: days.map(periodRow),
    hours: hours.map(periodRow),
    total: { ...periodRow(totalOf(days)), startMs: f.fromMs },
    agents,
    teams,
    staff: everyone.map((a) => ({ id: a.id, name: a.name, teamId: a.teamId })),
  };
}

export const HOUR_MS = GRAIN_MS.h;
