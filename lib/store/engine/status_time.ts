/**
 * Time in status, for the supervision reports' per-agent table ("time
 * Online / Busy / Offline") and the dashboard's "in this status since":
 * each status change adds the time the agent spent in the status it leaves
 * to that status's per-UTC-day sum, in the same atomic op as the change
 * (presence.ts `setAgentStatus`, the one writer of presence). The status an
 * agent is in now is added at read time, from its presence record.
 *
 *   ["status_time", dayStartMs, agentId, status] -> Deno.KvU64 (ms)
 *
 * Keyed day first, so a report over a range reads every agent in one list.
 * Only what a presence record says is counted: before an agent's first
 * status change there is nothing to count. A status held longer than
 * {@link MAX_DAYS} is counted for its last MAX_DAYS days only (one op holds
 * at most that many sums).
 */
import type { AgentStatus, Presence } from "../../domain/engine_types.ts";
import { keys } from "../keys.ts";
import type { EngineOp } from "./op.ts";

const DAY_MS = 86_400_000;
export const MAX_DAYS = 62;
export const STATUSES: AgentStatus[] = ["online", "busy", "offline"];

/** The [dayStartMs, ms] pieces of the span [fromMs, toMs), one per UTC day it touches. */
export function splitByDay(fromMs: number, toMs: number): [number, number][] {
  const out: [number, number][] = [];
  let start = Math.max(fromMs, toMs - MAX_DAYS * DAY_MS);
  while (start < toMs) {
    const day = Math.floor(start / DAY_MS) * DAY_MS;
    const end = Math.min(toMs, day + DAY_MS);
    out.push([day, end - start]);
    start = end;
  }
  return out;
}

/** Adds the time spent in `before`'s status, up to `atMs`, to `op` (a status change). */
export function countStatusTime(op: EngineOp, before: Presence | null, atMs: number): void {
  if (!before) return;
  for (const [day, ms] of splitByDay(Date.parse(before.changedAt), atMs)) {
    if (ms > 0) op.sum(keys.statusTime(day, before.agentId, before.status), BigInt(ms));
  }
}

/** Milliseconds per status. */
export type StatusTimes = Record<AgentStatus, number>;
export const noStatusTime = (): StatusTimes => ({ online: 0, busy: 0, offline: 0 });

/**
 * Each agent's time per status over the UTC days [fromMs, toMs) (day
 * starts), plus, for the agents whose `presences` are given, the time in
 * their current status up to `nowMs` that falls inside the range.
 */
export async function readStatusTimes(
  kv: Deno.Kv,
  fromMs: number,
  toMs: number,
  presences: Presence[],
  nowMs: number,
): Promise<Map<string, StatusTimes>> {
  const out = new Map<string, StatusTimes>();
  const of = (id: string) => {
    let t = out.get(id);
    if (!t) out.set(id, t = noStatusTime());
    return t;
  };
  const iter = kv.list<Deno.KvU64>(
    { start: ["status_time", fromMs], end: ["status_time", toMs] },
    { batchSize: 500 },
  );
  for await (const e of iter) {
    const [, , agentId, status] = e.key as [string, number, string, AgentStatus];
    if (STATUSES.includes(status)) of(agentId)[status] += Number(e.value.value);
  }
  for (const p of presences) {
    const from = Math.max(Date.parse(p.changedAt), fromMs);
    const to = Math.min(nowMs, toMs);
    if (to > from) of(p.agentId)[p.status] += to - from;
  }
  return out;
}
