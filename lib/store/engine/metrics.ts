/**
 * Supervision metrics, kept as the engine commits: KV `sum` counters per
 * hour and per day (UTC), for the whole workspace, each team and each agent,
 * so a report reads O(buckets), never every conversation.
 *
 *   ["metrics", scope, grain, bucketStartMs, counter]          -> Deno.KvU64
 *   ["metrics", scope, grain, bucketStartMs, histogram, bin]   -> Deno.KvU64
 *
 *   ["metrics", "by_agent" | "by_agent/channel:C", "d", dayStartMs, agentId, counter] -> Deno.KvU64
 *
 * scope "all" | "team:ID" | "agent:ID" | "channel:C", and the last three
 * narrowed to one channel ("team:ID/channel:C", "agent:ID/channel:C"), so
 * a report filters by team or agent and channel without reading a record;
 * grain "h" | "d". The "by_agent" family repeats the agents' day counters
 * (no histograms) keyed by day first, so the reports' per-agent table reads
 * every agent of a range in one list. The rules live in
 * ONE place per source: {@link eventsOfWrite} derives the events of one
 * conversation write from the record before and after it and the log entries
 * the same op appended (records.ts `writeConversation`, the one writer of
 * conversations, calls it, so every engine function is covered), and
 * {@link eventsOfHistory} derives the same events from a stored record and
 * its whole log (the backfill, ./metrics_backfill.ts). The counters are sums,
 * so they never conflict: group commit does not count them as shared keys.
 * docs/engine.md "Metrics" lists what each counter means.
 */
import type { Conversation, Message } from "../../domain/engine_types.ts";
import { npsGroup } from "../../domain/survey.ts";
import { keys } from "../keys.ts";
import type { EngineOp } from "./op.ts";

export type Grain = "h" | "d";
export const GRAIN_MS: Record<Grain, number> = { h: 3_600_000, d: 86_400_000 };

export const COUNTERS = [
  "created",
  "picked_up",
  "pickup_ms",
  "first_responses",
  "first_response_ms",
  "closed",
  "handled",
  "handle_ms",
  "transferred",
  "abandoned",
  // The satisfaction survey (lib/domain/survey.ts), counted at the answer's time.
  "csat_ok",
  "csat_ko",
  "nps_count",
  "nps_sum",
  "nps_promoters",
  "nps_passives",
  "nps_detractors",
] as const;
export type Counter = (typeof COUNTERS)[number];

export const HISTOGRAMS = ["pickup", "first_response", "handle"] as const;
export type Histogram = (typeof HISTOGRAMS)[number];

/**
 * Upper edges (seconds, exclusive) of the histogram bins; a duration of a day
 * or more falls in the last bin (index BIN_EDGES_S.length). Percentiles read
 * from these are a bin's upper edge ("at most"), not exact values.
 */
export const BIN_EDGES_S = [
  5,
  10,
  20,
  30,
  45,
  60,
  90,
  120,
  180,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  14400,
  28800,
  86400,
] as const;

const metricKey = (scope: string, grain: Grain, bucketMs: number, counter: Counter) =>
  keys.metric(scope, grain, bucketMs, counter);
const byAgentKey = (family: string, dayMs: number, agentId: string, counter: Counter) =>
  keys.metricByAgent(family, dayMs, agentId, counter);
const binKey = (scope: string, grain: Grain, bucketMs: number, h: Histogram, bin: number) =>
  keys.metricBin(scope, grain, bucketMs, h, bin);

/** The start of the bucket `ms` falls in (UTC). */
export const bucketStart = (ms: number, grain: Grain): number =>
  Math.floor(ms / GRAIN_MS[grain]) * GRAIN_MS[grain];

/** The histogram bin of a duration. */
export function binOf(durationMs: number): number {
  const i = BIN_EDGES_S.findIndex((edge) => durationMs < edge * 1000);
  return i === -1 ? BIN_EDGES_S.length : i;
}

/** One thing that happened to a conversation, as the metrics count it. */
export interface MetricEvent {
  kind: "created" | "picked_up" | "first_response" | "closed" | "transferred" | "csat" | "nps";
  atMs: number;
  teamId: string | null;
  agentId: string | null;
  /** The conversation's channel (absent: counted in no channel scope). */
  channel?: string;
  /** Time to pickup / to first response / handle time (closed after a pickup). */
  durationMs?: number;
  /** Closed while Pending, never picked up. */
  abandoned?: boolean;
  /** csat: the rating; nps: the 0–10 score. */
  rating?: "ok" | "ko";
  score?: number;
}

const ms = (iso: string) => Date.parse(iso);
const span = (from: string, to: string) => Math.max(0, ms(to) - ms(from));
const isAgentReply = (m: Message) => m.type === "message" && m.author.type === "agent";
const isTransfer = (m: Message) => m.type === "event" && m.kind === "transferred";

/**
 * The events of one conversation write: `before` as read (null when new),
 * `after` as written, `appended` the log entries the same op added to it.
 */
export function eventsOfWrite(
  before: Conversation | null,
  after: Conversation,
  appended: Message[],
): MetricEvent[] {
  return eventsOfWriteIn(before, after, appended).map((e) => ({ ...e, channel: after.channel }));
}

function eventsOfWriteIn(
  before: Conversation | null,
  after: Conversation,
  appended: Message[],
): MetricEvent[] {
  const out: MetricEvent[] = [];
  if (!before) {
    out.push({ kind: "created", atMs: ms(after.createdAt), teamId: after.teamId, agentId: null });
  }
  for (const m of appended) {
    if (!isTransfer(m)) continue;
    const from = m.data?.fromAgentId;
    out.push({
      kind: "transferred",
      atMs: ms(m.createdAt),
      teamId: before?.teamId ?? null,
      agentId: typeof from === "string" ? from : null,
    });
  }
  if (after.pickedUpAt && !before?.pickedUpAt) {
    out.push({
      kind: "picked_up",
      atMs: ms(after.pickedUpAt),
      teamId: after.teamId,
      agentId: after.pickedUpBy ?? null,
      durationMs: span(after.createdAt, after.pickedUpAt),
    });
  }
  if (after.firstAgentReplyAt && !before?.firstAgentReplyAt) {
    const reply = appended.find(isAgentReply);
    out.push({
      kind: "first_response",
      atMs: ms(after.firstAgentReplyAt),
      teamId: after.teamId,
      agentId: reply?.author.id ?? after.assigneeId,
      durationMs: span(after.createdAt, after.firstAgentReplyAt),
    });
  }
  if (after.status === "closed" && before?.status !== "closed") {
    out.push(closedEvent(after));
  }
  if (after.csat && !before?.csat) out.push(csatEvent(after));
  if (after.csat?.nps != null && before?.csat?.nps == null) out.push(npsEvent(after));
  return out;
}

/** The survey answer of `conv` (answered): for the holder at close and the chat's team. */
function csatEvent(conv: Conversation): MetricEvent {
  return {
    kind: "csat",
    atMs: ms(conv.csat!.answeredAt),
    teamId: conv.teamId,
    agentId: conv.assigneeId,
    rating: conv.csat!.rating,
  };
}

/** The 0–10 score of the answer (given with it or after it), counted at the answer's time. */
function npsEvent(conv: Conversation): MetricEvent {
  return { ...csatEvent(conv), kind: "nps", rating: undefined, score: conv.csat!.nps! };
}

/** The close of `conv` (a closed record): held by its assignee, or abandoned in the queue. */
function closedEvent(conv: Conversation): MetricEvent {
  const closedAt = conv.closedAt ?? conv.lastActivityAt;
  return {
    kind: "closed",
    atMs: ms(closedAt),
    teamId: conv.teamId,
    agentId: conv.assigneeId,
    ...(conv.pickedUpAt ? { durationMs: span(conv.pickedUpAt, closedAt) } : {}),
    abandoned: conv.assigneeId === null && !conv.pickedUpAt,
  };
}

/**
 * The events of a stored conversation's whole history (its record and its
 * log, oldest first): the same events {@link eventsOfWrite} derived as it
 * was written. The team at each moment is replayed from the transfer events
 * (`fromTeamId`, `toTeamId`); on records from before metrics existed, the
 * first pickup is the first "assigned" event, and its agent is unknown.
 */
export function eventsOfHistory(conv: Conversation, log: Message[]): MetricEvent[] {
  return eventsOfHistoryIn(conv, log).map((e) => ({ ...e, channel: conv.channel }));
}

function eventsOfHistoryIn(conv: Conversation, log: Message[]): MetricEvent[] {
  const toQueue = log.filter((m) => isTransfer(m) && m.data && "toTeamId" in m.data);
  const firstFrom = toQueue[0]?.data?.fromTeamId;
  const initialTeam = toQueue.length === 0
    ? conv.teamId
    : typeof firstFrom === "string" || firstFrom === null
    ? firstFrom
    : conv.teamId;
  const teamAt = (seq: number): string | null => {
    let team = initialTeam;
    for (const m of toQueue) if (m.seq < seq) team = (m.data!.toTeamId as string | null) ?? null;
    return team;
  };
  const out: MetricEvent[] = [
    { kind: "created", atMs: ms(conv.createdAt), teamId: initialTeam, agentId: null },
  ];
  for (const m of log) {
    if (!isTransfer(m)) continue;
    const from = m.data?.fromAgentId;
    out.push({
      kind: "transferred",
      atMs: ms(m.createdAt),
      teamId: teamAt(m.seq),
      agentId: typeof from === "string" ? from : null,
    });
  }
  const assigned = log.find((m) => m.type === "event" && m.kind === "assigned");
  const pickedUpAt = conv.pickedUpAt ?? assigned?.createdAt ?? null;
  if (pickedUpAt) {
    out.push({
      kind: "picked_up",
      atMs: ms(pickedUpAt),
      teamId: assigned ? teamAt(assigned.seq) : conv.teamId,
      agentId: conv.pickedUpBy ?? null,
      durationMs: span(conv.createdAt, pickedUpAt),
    });
  }
  const reply = log.find(isAgentReply);
  if (reply) {
    out.push({
      kind: "first_response",
      atMs: ms(reply.createdAt),
      teamId: teamAt(reply.seq),
      agentId: reply.author.id ?? null,
      durationMs: span(conv.createdAt, reply.createdAt),
    });
  }
  if (conv.status === "closed") out.push(closedEvent({ ...conv, pickedUpAt }));
  if (conv.csat) out.push(csatEvent(conv));
  if (conv.csat?.nps != null) out.push(npsEvent(conv));
  return out;
}

/** The scopes an event counts in. */
export function scopesOf(e: MetricEvent): string[] {
  const out = ["all"];
  if (e.teamId) out.push(`team:${e.teamId}`);
  if (e.agentId) out.push(`agent:${e.agentId}`);
  if (!e.channel) return out;
  return [...out, ...out.slice(1).map((s) => `${s}/channel:${e.channel}`), `channel:${e.channel}`];
}

/** The scope narrowed to one channel ("all" + "web" → "channel:web"); no channel: as it is. */
export function withChannel(scope: string, channel: string | null): string {
  if (!channel) return scope;
  return scope === "all" ? `channel:${channel}` : `${scope}/channel:${channel}`;
}

/** The "by_agent" family's scope (every agent's day counters, day first), per channel or not. */
export const byAgentScope = (channel: string | null): string =>
  channel ? `by_agent/channel:${channel}` : "by_agent";

const HISTOGRAM_OF: Partial<Record<MetricEvent["kind"], Histogram>> = {
  picked_up: "pickup",
  first_response: "first_response",
  closed: "handle",
};

/** The counter additions of `events`, merged by key (a key's JSON → [key, n]). */
export function sumsOf(events: MetricEvent[]): Map<string, [Deno.KvKey, bigint]> {
  const sums = new Map<string, [Deno.KvKey, bigint]>();
  const add = (key: Deno.KvKey, n: number) => {
    if (n <= 0) return;
    const id = JSON.stringify(key);
    const had = sums.get(id);
    sums.set(id, [key, (had ? had[1] : 0n) + BigInt(Math.round(n))]);
  };
  for (const e of events) {
    for (const scope of scopesOf(e)) {
      for (const grain of ["h", "d"] as const) {
        const b = bucketStart(e.atMs, grain);
        for (const [c, n] of countersOf(e)) add(metricKey(scope, grain, b, c), n);
        const histogram = HISTOGRAM_OF[e.kind];
        if (histogram && e.durationMs !== undefined) {
          add(binKey(scope, grain, b, histogram, binOf(e.durationMs)), 1);
        }
      }
    }
    if (e.agentId) {
      const day = bucketStart(e.atMs, "d");
      for (const family of [byAgentScope(null), ...e.channel ? [byAgentScope(e.channel)] : []]) {
        const count = (c: Counter, n = 1) => add(byAgentKey(family, day, e.agentId!, c), n);
        for (const [c, n] of countersOf(e)) count(c, n);
      }
    }
  }
  return sums;
}

/** The plain counters (no histograms) one event adds: every scope and the by-agent family alike. */
function countersOf(e: MetricEvent): [Counter, number][] {
  if (e.kind === "created") return [["created", 1]];
  if (e.kind === "csat") return [[e.rating === "ok" ? "csat_ok" : "csat_ko", 1]];
  if (e.kind === "nps") {
    const group = npsGroup(e.score!);
    return [
      ["nps_count", 1],
      ["nps_sum", e.score!],
      [
        group === "promoter"
          ? "nps_promoters"
          : group === "passive"
          ? "nps_passives"
          : "nps_detractors",
        1,
      ],
    ];
  }
  if (e.kind === "transferred") return [["transferred", 1]];
  if (e.kind === "picked_up") return [["picked_up", 1], ["pickup_ms", e.durationMs!]];
  if (e.kind === "first_response") {
    return [["first_responses", 1], ["first_response_ms", e.durationMs!]];
  }
  return [
    ["closed", 1],
    ...(e.abandoned ? [["abandoned", 1] as [Counter, number]] : []),
    ...(e.durationMs !== undefined
      ? [["handled", 1], ["handle_ms", e.durationMs]] as [Counter, number][]
      : []),
  ];
}

/** Adds the counters of one conversation write to `op` (records.ts `writeConversation`). */
export function countWrite(
  op: EngineOp,
  before: Conversation | null,
  after: Conversation,
): void {
  const appended = op.written.messages.filter((m) =>
    m.conversationId === after.id && m.seq > (before?.lastSeq ?? 0)
  );
  for (const [key, n] of sumsOf(eventsOfWrite(before, after, appended)).values()) op.sum(key, n);
}
