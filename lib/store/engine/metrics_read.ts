/**
 * Reading the metrics counters (./metrics.ts): one scope's buckets of one
 * grain over a time range, as plain numbers, and percentiles from the
 * fixed-bin histograms. A read lists O(buckets) keys, whatever the number of
 * conversations.
 */
import {
  BIN_EDGES_S,
  type Counter,
  COUNTERS,
  type Grain,
  GRAIN_MS,
  type Histogram,
  HISTOGRAMS,
} from "./metrics.ts";

/** One bucket's figures: every counter (0 when never counted) and each histogram's bins. */
export interface MetricsBucket {
  startMs: number;
  counters: Record<Counter, number>;
  bins: Record<Histogram, number[]>;
}

const emptyBucket = (startMs: number): MetricsBucket => ({
  startMs,
  counters: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>,
  bins: Object.fromEntries(
    HISTOGRAMS.map((h) => [h, new Array(BIN_EDGES_S.length + 1).fill(0)]),
  ) as Record<Histogram, number[]>,
});

/**
 * The buckets of `scope` ("all", "team:ID", "agent:ID") and `grain` whose
 * start is in [fromMs, toMs), every bucket present (zeros where nothing happened).
 */
export async function readMetrics(
  kv: Deno.Kv,
  scope: string,
  grain: Grain,
  fromMs: number,
  toMs: number,
): Promise<MetricsBucket[]> {
  const step = GRAIN_MS[grain];
  const first = Math.ceil(fromMs / step) * step;
  const byStart = new Map<number, MetricsBucket>();
  const out: MetricsBucket[] = [];
  for (let t = first; t < toMs; t += step) {
    const b = emptyBucket(t);
    byStart.set(t, b);
    out.push(b);
  }
  if (out.length === 0) return out;
  const iter = kv.list<Deno.KvU64>({
    start: ["metrics", scope, grain, first],
    end: ["metrics", scope, grain, toMs],
  }, { batchSize: 500 });
  for await (const entry of iter) {
    const [, , , startMs, name, bin] = entry.key as [
      string,
      string,
      Grain,
      number,
      string,
      number?,
    ];
    const b = byStart.get(startMs);
    if (!b) continue;
    const n = Number(entry.value.value);
    if (bin === undefined) {
      if (name in b.counters) b.counters[name as Counter] = n;
    } else if (name in b.bins && bin >= 0 && bin < b.bins[name as Histogram].length) {
      b.bins[name as Histogram][bin] = n;
    }
  }
  return out;
}

/** The buckets added together (a range's total). */
export function totalOf(buckets: MetricsBucket[]): MetricsBucket {
  const total = emptyBucket(buckets[0]?.startMs ?? 0);
  for (const b of buckets) {
    for (const c of COUNTERS) total.counters[c] += b.counters[c];
    for (const h of HISTOGRAMS) b.bins[h].forEach((n, i) => total.bins[h][i] += n);
  }
  return total;
}

/**
 * The `p` percentile (0 < p ≤ 1) of a histogram, as the upper edge of the
 * bin it falls in, in seconds ("at most"): null when the histogram is empty,
 * Infinity when it falls in the last bin (a day or more).
 */
export function percentileSeconds(bins: number[], p: number): number | null {
  const n = bins.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.ceil(p * n);
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    seen += bins[i];
    if (seen >= rank) return i < BIN_EDGES_S.length ? BIN_EDGES_S[i] : Infinity;
  }
  return Infinity;
}
